import { describe, expect, it } from 'vitest';
import { hrefFor, matchRoute, parseLocation } from './url-state.ts';

const loc = (url: string) => { const u = new URL(url, 'https://x.test'); return { pathname: u.pathname, search: u.search }; };

describe('URL state', () => {
  it('parses locale, period, unit and module parameters', () => {
    expect(parseLocation(loc('/units/quan-3?lang=en&period=2024-Q1&tab=x'))).toEqual({
      path: '/units/quan-3', locale: 'en', period: '2024-Q1', unitId: 'quan-3', query: { tab: 'x' },
    });
    expect(parseLocation(loc('/?period=2024-13&lang=fr'))).toMatchObject({ locale: 'vi', period: null, unitId: null });
    expect(parseLocation(loc('/units/ph%C6%B0%E1%BB%9Dng-1')).unitId).toBe('phường-1');
  });

  it('matches manifest routes', () => {
    expect(matchRoute('/', '/')).toEqual({});
    expect(matchRoute('/', '/units/a')).toBeNull();
    expect(matchRoute('/units/:unitId', '/units/a/')).toEqual({ unitId: 'a' });
    expect(matchRoute('/units/:unitId', '/units/')).toBeNull();
    expect(matchRoute('/units/:unitId', '/units/%E0%A4%A')).toBeNull();
  });

  it('keeps lang and period across paths, module parameters within a path, in a stable order', () => {
    const here = loc('/?peer=ward&period=2024-03&lang=en');
    expect(hrefFor(here, { query: { peer: 'district' } })).toBe('/?lang=en&period=2024-03&peer=district');
    expect(hrefFor(here, { path: '/units/q3' })).toBe('/units/q3?lang=en&period=2024-03');
    expect(hrefFor(here, { query: { lang: 'vi', period: null } })).toBe('/?peer=ward');
    expect(hrefFor(loc('/'), {})).toBe('/');
  });
});
