import { describe, expect, it } from 'vitest';
import { ApiError, defaultPeriodFrom, figureStatus, formatNumber, formatPeriod, isProvisionalPeriod, kt, periodKind, periodLabel, provisionalLabel } from './core.ts';
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

describe('kit core: ongoing periods (issue 15)', () => {
  const latest = { latestPeriod: '2026-12', defaultPeriod: '2026-11', provisionalPeriods: ['2026-12', '2026-Q4', '2026'] };
  it('opens on defaultPeriod, falling back to latestPeriod for an older latest.json', () => {
    expect(defaultPeriodFrom(latest)).toBe('2026-11');
    expect(defaultPeriodFrom({ latestPeriod: '2026-12' })).toBe('2026-12');
    expect(defaultPeriodFrom(null)).toBe('');
  });
  it('labels provisional periods and says so with the asOf, in both languages', () => {
    expect(isProvisionalPeriod(latest, '2026-Q4')).toBe(true);
    expect(isProvisionalPeriod(latest, '2026-11')).toBe(false);
    expect(isProvisionalPeriod({}, '2026-12')).toBe(false);
    expect(periodLabel('2026-12', 'vi', true)).toBe('Tháng 12/2026 (tạm tính)');
    expect(periodLabel('2026-12', 'en', true)).toBe('December 2026 (provisional)');
    expect(periodLabel('2026-11', 'vi', false)).toBe('Tháng 11/2026');
    expect(provisionalLabel('vi', '2026-12-02T10:00:00+07:00')).toBe('Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến 10:00 2 thg 12, 2026, còn thay đổi cho đến hết kỳ.');
    expect(provisionalLabel('en', '2026-12-02T10:00:00+07:00')).toBe('Provisional: this period is not over. Figures as of 2 Dec 2026, 10:00; they will change until the period ends.');
    expect([figureStatus('vi', true), figureStatus('vi', false), figureStatus('en', true), figureStatus('en', undefined)]).toEqual(['tạm tính', 'chính thức', 'provisional', 'final']);
  });
});
