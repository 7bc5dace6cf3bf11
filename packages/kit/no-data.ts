/**
 * "No data" (issue 19): one rule deciding when a unit, a group or an indicator has no data, and why, so every
 * view (overview, profile, group pages, compare, embeds) shows and explains it the same way (NoData.svelte).
 *   - not-scored:     the unit has no score for the period: it is not part of the period's administrative
 *                     structure (not yet established, merged or dissolved), so the engine scores it nowhere;
 *   - no-records:     nothing to count (denominator 0) and the method's empty rule is `zero`: 0 points (the
 *                     engine's `noData`);
 *   - not-applicable: nothing to count and the empty rule is `full` (e.g. no petitions, no wards below a
 *                     department): full points, nothing lost; or the indicator is not in the score's method.
 * A group or a unit has no data when none of its indicators has any (no-records if any of them lost points).
 * Pure: no DOM.
 */
import type { Locale } from './core.ts';

export type NoDataReason = 'not-scored' | 'no-records' | 'not-applicable';

interface IndicatorLike { d: number; noData: boolean }
interface ScoreLike { indicators?: Record<string, IndicatorLike | undefined> }

export type NoDataSubject =
  /** one indicator of a unit's score (undefined: not in its method) */
  | { indicator: IndicatorLike | null | undefined }
  /** a unit's score (null: not scored in the period); `indicators`: only these (a group's), else all it has */
  | { score: ScoreLike | null | undefined; indicators?: readonly string[] };

/** Why the subject shows no figure, or null when it has data. */
export function noDataReason(subject: NoDataSubject): NoDataReason | null {
  if ('indicator' in subject) {
    const r = subject.indicator;
    if (!r) return 'not-applicable';
    if (r.d > 0) return null;
    return r.noData ? 'no-records' : 'not-applicable';
  }
  const { score } = subject;
  if (!score) return 'not-scored';
  // a compact ranking entry carries no indicators: scored, so it has data
  if (!score.indicators) return null;
  const ids = subject.indicators ?? Object.keys(score.indicators);
  if (!ids.length) return null;
  const reasons = ids.map((id) => noDataReason({ indicator: score.indicators![id] }));
  if (reasons.some((r) => r == null)) return null;
  return reasons.includes('no-records') ? 'no-records' : 'not-applicable';
}

const TEXT: Record<Locale, Record<NoDataReason, { short: string; why: string }> & { ask: string }> = {
  vi: {
    'not-scored': { short: 'Chưa có điểm', why: 'Đơn vị không thuộc cơ cấu hành chính của kỳ này (chưa thành lập, đã sáp nhập hoặc giải thể), nên không được chấm điểm.' },
    'no-records': { short: 'Không có dữ liệu', why: 'Không có hồ sơ, thủ tục hay phản ánh nào để tính trong kỳ (mẫu số bằng 0): theo phương pháp, chỉ số được 0 điểm.' },
    'not-applicable': { short: 'Không áp dụng', why: 'Chỉ số không áp dụng cho đơn vị trong kỳ này (không có gì để tính, ví dụ không có phản ánh hoặc không có phường, xã trực thuộc): theo phương pháp, đơn vị không mất điểm vì chỉ số này.' },
    ask: 'Vì sao?',
  },
  en: {
    'not-scored': { short: 'No score', why: 'The unit is not part of this period’s administrative structure (not yet established, merged or dissolved), so it is not scored.' },
    'no-records': { short: 'No data', why: 'Nothing to count in the period (no dossiers, procedures or petitions: the denominator is 0): under the method the indicator earns 0 points.' },
    'not-applicable': { short: 'Not applicable', why: 'The indicator does not apply to the unit in this period (nothing to count, e.g. no petitions or no wards below it): under the method the unit loses no points for it.' },
    ask: 'Why?',
  },
};

/** The short text shown in place of (or beside) the figure, the explanation, and the question that reveals it. */
export function noDataText(locale: Locale, reason: NoDataReason): { short: string; why: string; ask: string } {
  const t = TEXT[locale] ?? TEXT.vi;
  return { ...t[reason], ask: t.ask };
}
