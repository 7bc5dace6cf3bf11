import { describe, expect, it } from 'vitest';
import { periodOptions } from './period-options.ts';

const latest = {
  asOf: '2026-12-02T10:00:00+07:00', periods: ['2026-10', '2026-11', '2026-12', '2026-Q4', '2026'],
  latestPeriod: '2026-12', defaultPeriod: '2026-11', provisionalPeriods: ['2026-12', '2026-Q4', '2026'],
};
const flat = (o: ReturnType<typeof periodOptions>) => [o.first, ...o.groups.flatMap((g) => g.options)].map((x) => `${x.value}=${x.label}`);

describe('period selector (issue 15)', () => {
  it('"" is the last complete month (what a URL without ?period= shows); ongoing periods are marked provisional', () => {
    expect(flat(periodOptions(latest, null, 'vi'))).toEqual([
      '=Tháng đã kết thúc gần nhất: Tháng 11/2026',
      '2026-12=Tháng 12/2026 (tạm tính)', '2026-11=Tháng 11/2026', '2026-10=Tháng 10/2026',
      '2026-Q4=Quý 4/2026 (tạm tính)', '2026=Năm 2026 (tạm tính)',
    ]);
    expect(periodOptions(latest, null, 'vi').groups.map((g) => g.label)).toEqual(['Tháng', 'Quý', 'Năm']);
    expect(flat(periodOptions(latest, null, 'en'))).toEqual([
      '=Last complete month: November 2026',
      '2026-12=December 2026 (provisional)', '2026-11=November 2026', '2026-10=October 2026',
      '2026-Q4=Q4 2026 (provisional)', '2026=2026 (provisional)',
    ]);
  });

  it('says "latest" when nothing is complete yet, or latest.json predates defaultPeriod', () => {
    expect(periodOptions({ ...latest, defaultPeriod: '2026-12' }, null, 'vi').first.label).toBe('Mới nhất: Tháng 12/2026 (tạm tính)');
    const { defaultPeriod: _d, provisionalPeriods: _p, ...old } = latest;
    expect(periodOptions(old, null, 'en').first.label).toBe('Latest: December 2026');
    expect(flat(periodOptions(null, '2024-03', 'vi'))).toEqual(['=Mới nhất: …', '2024-03=Tháng 3/2024']);
  });
});
