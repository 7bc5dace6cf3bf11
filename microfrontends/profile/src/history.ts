import { periodKind, type UnitScore } from '../../_kit/index.ts';

/** The history entries of the same kind as `period` (months for a month, …), oldest first. */
export function historyOfKind(history: UnitScore[], period: string): UnitScore[] {
  const kind = periodKind(period) ?? 'month';
  return history.filter((s) => periodKind(s.period) === kind).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}
