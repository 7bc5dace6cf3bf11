import { periodKind, type UnitScore } from '../../_kit/index.ts';

/** The history entries of the same kind as `period` (months for a month, …), oldest first. */
export function historyOfKind(history: UnitScore[], period: string): UnitScore[] {
  const kind = periodKind(period) ?? 'month';
  return history.filter((s) => periodKind(s.period) === kind).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

/** Points of the payment sub-group, whatever its shape in the score ({points} or a number). */
export function paymentPoints(group: { payment?: unknown } | undefined): number | null {
  const p = group?.payment;
  if (typeof p === 'number') return p;
  if (p && typeof p === 'object' && typeof (p as { points?: unknown }).points === 'number') return (p as { points: number }).points;
  return null;
}
