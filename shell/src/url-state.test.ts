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

  it('carries the peer group, district and unit from page to page, not onto a profile; a profile\'s unit goes along (issue 19)', () => {
    const here = loc('/?district=quan-3&peer=ward&period=2024-02&sort=x');
    expect(hrefFor(here, { path: '/transparency' })).toBe('/transparency?period=2024-02&district=quan-3&peer=ward');
    expect(hrefFor(here, { path: '/units/q3' })).toBe('/units/q3?period=2024-02');
    const profile = loc('/units/quan-3?lang=en&period=2024-Q1');
    expect(hrefFor(profile, { path: '/progress' })).toBe('/progress?lang=en&period=2024-Q1&unit=quan-3');
    expect(hrefFor(profile, { path: '/progress', query: { unit: 'hcm' } })).toBe('/progress?lang=en&period=2024-Q1&unit=hcm');
    expect(hrefFor(profile, { path: '/units/p14' })).toBe('/units/p14?lang=en&period=2024-Q1');
    expect(hrefFor(loc('/progress?unit=quan-3&peer=ward'), { path: '/units/quan-3' })).toBe('/units/quan-3');
  });

  it('carries the compare set everywhere, onto profiles too (issue 19)', () => {
    const here = loc('/compare?compare=q1,q3&period=2024-02&sort=x');
    expect(hrefFor(here, { path: '/units/q3' })).toBe('/units/q3?period=2024-02&compare=q1,q3');
    expect(hrefFor(loc('/units/q3?compare=q1,q3'), { path: '/transparency' })).toBe('/transparency?compare=q1,q3&unit=q3');
    expect(hrefFor(loc('/units/q3?compare=q1,q3'), { path: '/compare', query: { compare: 'q1,q3,p14', unit: null } })).toBe('/compare?compare=q1,q3,p14');
  });
});
