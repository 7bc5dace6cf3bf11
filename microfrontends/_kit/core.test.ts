import { describe, expect, it } from 'vitest';
import { ApiError, formatNumber, formatPeriod, kt, periodKind } from './core.ts';
import { fakeApi } from './testing.ts';

describe('kit core', () => {
  it('formats periods and numbers in both languages', () => {
    expect(formatPeriod('2024-03', 'vi')).toBe('Tháng 3/2024');
    expect(formatPeriod('2024-03', 'en')).toBe('March 2024');
    expect(formatPeriod('2024-Q1', 'vi')).toBe('Quý 1/2024');
    expect(formatPeriod('2024-Q1', 'en')).toBe('Q1 2024');
    expect(formatPeriod('2024', 'vi')).toBe('Năm 2024');
    expect(formatNumber(74.58333, 'vi')).toBe('74,58');
    expect(formatNumber(74.58333, 'en')).toBe('74.58');
    expect(periodKind('2024-Q4')).toBe('quarter');
    expect(periodKind('nope')).toBeNull();
    expect(kt('en', 'showAll', { n: 12 })).toBe('Show all 12');
  });

  it('caches snapshots, does not cache failures, and reports the status', async () => {
    const calls: string[] = [];
    const api = fakeApi({ 'latest.json': { latestPeriod: '2024-03' } }, calls);
    await api.latest();
    await api.latest();
    expect(calls).toEqual(['latest.json']);
    await api.latest({ fresh: true });
    expect(calls).toHaveLength(2);
    const err = await api.scores('2024-03').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    await api.scores('2024-03').catch(() => {});
    expect(calls.filter((c) => c === 'scores/2024-03.json')).toHaveLength(2);
    api.invalidate();
    await api.latest();
    expect(calls.filter((c) => c === 'latest.json')).toHaveLength(3);
  });

  it('rejects a body that is not JSON', async () => {
    const api = fakeApi({ 'units.json': '<html>' });
    await expect(api.units()).rejects.toThrow(/invalid JSON/);
  });
});
