import { seriesOfKind, type UnitScore } from '@itmap/kit';

/**
 * The history entries of the same kind as `period` (months for a month, …) up to and including
 * it, oldest first: the chosen period is the last one drawn (issue 19), as in /embed/history.
 */
export function historyOfKind(history: UnitScore[], period: string): UnitScore[] {
  return seriesOfKind(history, period);
}
