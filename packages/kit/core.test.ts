import { describe, expect, it } from 'vitest';
import { ApiError, ifPublished, changeText, formatChange, formatRankMove, rankMove, scoreChange, defaultPeriodFrom, figureStatus, formatDateTime, formatNumber, formatPeriod, isProvisionalPeriod, kt, periodKind, periodLabel, provisionalLabel, translator } from './core.ts';
import { fakeApi } from './testing.ts';

describe('kit core', () => {
  it('translator: the locale\'s text, Vietnamese where English has none, placeholders filled, unknown ones kept', () => {
    const t = translator({ vi: { hello: 'Xin chào {name}', only: 'Chỉ tiếng Việt' }, en: { hello: 'Hello {name}' } });
    expect(t('en', 'hello', { name: 'Hà' })).toBe('Hello Hà');
    expect(t('vi', 'hello', { name: 'Hà' })).toBe('Xin chào Hà');
    expect(t('en', 'only')).toBe('Chỉ tiếng Việt');
    expect(t('en', 'hello')).toBe('Hello {name}');
  });

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

  it('writes numbers and dates as Intl does in vi-VN and en-GB, without Intl (its data is not loaded on the first view)', () => {
    const intlLocale = { vi: 'vi-VN', en: 'en-GB' } as const;
    let seed = 766;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = [0, -0, 0.5, 1.5, 2.5, -2.5, 0.005, 1.005, 1.045, 2.675, 74.58333, 99.995, 99.9949, 100, 999.5, 1000, 1234.5, -1234567.005, 12345678.9, 1e15 + 0.3, 9.995e20, 1e21, 1e-7, -1e-7, NaN, Infinity, -Infinity];
    for (let i = 0; i < 3000; i++) values.push((random() - 0.3) * 10 ** Math.floor(random() * 9 - 2), Math.round(random() * 100_000) / 1000);
    for (const locale of ['vi', 'en'] as const) {
      for (const digits of [0, 1, 2, 3]) {
        const intl = new Intl.NumberFormat(intlLocale[locale], { minimumFractionDigits: digits, maximumFractionDigits: digits });
        for (const v of values) expect(formatNumber(v, locale, digits), `${v} ${locale} ${digits}`).toBe(intl.format(v));
      }
      const intl = new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' });
      for (let i = 0; i < 2000; i++) {
        const t = Date.UTC(1990, 0, 1) + Math.floor(random() * 60 * 365 * 86_400_000);
        expect(formatDateTime(new Date(t).toISOString(), locale)).toBe(intl.format(t));
      }
    }
    expect(formatDateTime('2026-12-06T10:15:00Z', 'vi')).toBe('17:15 6 thg 12, 2026');
    expect(formatDateTime('2026-12-31T23:59:00+07:00', 'en')).toBe('31 Dec 2026, 23:59');
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
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

  it('ifPublished: null for a snapshot not published (404), any other failure still a failure', async () => {
    const api = fakeApi({ 'rankings/2024-03.json': { period: '2024-03' }, 'units.json': '<html>' });
    expect(await ifPublished(api.rankings('2024-03'))).toEqual({ period: '2024-03' });
    expect(await ifPublished(api.unitHistory('nowhere'))).toBeNull();
    await expect(ifPublished(api.units())).rejects.toThrow(/invalid JSON/);
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

describe('kit core: change since the previous period (issue 19)', () => {
  it('a score\'s change is rounded as shown; nothing (null, not 0) without a score then or now', () => {
    expect(scoreChange(81.234, 72.5)).toBe(8.7);
    expect(scoreChange(70, 73.25)).toBe(-3.3);
    expect(scoreChange(70.01, 70.03)).toBe(0);
    expect(Object.is(scoreChange(70.01, 70.03), -0)).toBe(false);
    expect(scoreChange(70, undefined)).toBeNull();
    expect(scoreChange(70, null)).toBeNull();
    expect(scoreChange(undefined, 70)).toBeNull();
  });
  it('a rank move counts places climbed; none for a retired unit (rank null), a unit not ranked then, or another peer group', () => {
    expect(rankMove({ rank: 3, peerGroup: 'ward' }, { rank: 5, peerGroup: 'ward' })).toBe(2);
    expect(rankMove({ rank: 5, peerGroup: 'ward' }, { rank: 2, peerGroup: 'ward' })).toBe(-3);
    expect(rankMove({ rank: 1, peerGroup: 'ward' }, { rank: 1, peerGroup: 'ward' })).toBe(0);
    expect(rankMove({ rank: null, peerGroup: 'ward' }, { rank: 2, peerGroup: 'ward' })).toBeNull();
    expect(rankMove({ rank: 2, peerGroup: 'ward' }, null)).toBeNull();
    expect(rankMove({ rank: 2, peerGroup: 'ward' }, { rank: 2, peerGroup: 'district-urban' })).toBeNull();
  });
  it('is written "+3,2" / "−1,5" with a true minus, ranks "▲2" / "▼3" / "=", and said in words', () => {
    expect(formatChange(3.2, 'vi')).toBe('+3,2');
    expect(formatChange(-1.5, 'en')).toBe('\u22121.5');
    expect(formatChange(0, 'en')).toBe('0.0');
    expect(formatRankMove(2)).toBe('▲2');
    expect(formatRankMove(-3)).toBe('▼3');
    expect(formatRankMove(0)).toBe('=');
    expect(changeText('en', 'score', 3.2, '2024-02')).toBe('up 3.2 points since February 2024');
    expect(changeText('vi', 'rank', -3, '2024-Q4')).toBe('giảm 3 bậc so với Quý 4/2024');
  });
});
