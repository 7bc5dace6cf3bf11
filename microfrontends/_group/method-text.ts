/** Words for the method table's rules (shared by the group modules and the methodology page). */
import { fill, formatNumber, formatPercent, type Locale } from '@itmap/kit/core';
import type { IndicatorDef } from './group.ts';

const WORDS = {
  vi: {
    linear: 'Tuyến tính: điểm = tối đa × n/d',
    threshold: 'Ngưỡng {t}: điểm = tối đa × (n/d) / {t}, không quá tối đa (đủ điểm khi n/d ≥ {t})',
    emptyFull: 'Khi mẫu số bằng 0: đủ điểm',
    emptyZero: 'Khi mẫu số bằng 0: 0 điểm, ghi “không có dữ liệu”',
    max: 'tối đa {max} điểm',
  },
  en: {
    linear: 'Linear: points = max × n/d',
    threshold: 'Threshold {t}: points = max × (n/d) / {t}, capped at max (full marks when n/d ≥ {t})',
    emptyFull: 'When the denominator is 0: full marks',
    emptyZero: 'When the denominator is 0: 0 points, flagged “no data”',
    max: 'max {max} points',
  },
} as const;

export function ruleText(ind: IndicatorDef, locale: Locale): string {
  const w = WORDS[locale] ?? WORDS.vi;
  return ind.rule === 'threshold' ? fill(w.threshold, { t: formatPercent(ind.threshold ?? 1, locale, 0) }) : w.linear;
}
export function emptyText(ind: IndicatorDef, locale: Locale): string {
  const w = WORDS[locale] ?? WORDS.vi;
  return ind.empty === 'full' ? w.emptyFull : w.emptyZero;
}
export function maxText(max: number, locale: Locale): string {
  return fill((WORDS[locale] ?? WORDS.vi).max, { max: formatNumber(max, locale, Number.isInteger(max) ? 0 : 2) });
}
