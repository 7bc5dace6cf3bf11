/** Own counts of one unit and the roll-up over subtrees, as plain `Counts` maps. */
import { parseTimestamp, type PeriodRange } from '../../../../shared-types/src/periods.ts';
import type { Dossier, Feedback, Procedure, Unit } from '../../../../shared-types/src/records.ts';
import type { Counts } from '../../../../shared-types/src/scores.ts';
import { asStructure, structureIn, type PeriodStructure } from '../structure/structure.ts';
import { M, addRegistryCounts, countOwn, countsAt, indexUnits, planPeriods, poolSlot, writeCounts } from './grid.ts';

export interface OwnCountsInput {
  unit: Unit;
  procedures: readonly Procedure[];
  dossiers: readonly Dossier[];
  feedback: readonly Feedback[];
  /** period ids (or ranges) */
  periods: readonly (string | PeriodRange)[];
  /** when the counts are taken: each period is judged at min(end, asOf) */
  asOf: string;
}

/**
 * The unit's OWN counts per period (records of other units are ignored; a ward counts itself for
 * 4.3). Records must be latest-state copies (see `latestState`).
 */
export function ownCounts({ unit, procedures, dossiers, feedback, periods, asOf }: OwnCountsInput): Map<string, Counts> {
  const units = indexUnits([{ ...unit, parentId: null }]);
  const plan = planPeriods(periods, parseTimestamp(asOf));
  const grid = countOwn({ units, plan, procedures, dossiers, feedback });
  const out = new Map<string, Counts>();
  plan.periods.forEach((p, slot) => {
    addRegistryCounts(grid, slot * M, unit);
    out.set(p.id, countsAt(grid, plan.periods.length, 0, slot));
  });
  return out;
}

/**
 * Pools own counts (of one period) over each unit's subtrees: the unit plus all descendants, in the period's
 * structure (or, given a list of units, in that one registry).
 */
export function rollUp(units: readonly Unit[] | PeriodStructure, ownCountsByUnit: ReadonlyMap<string, Counts>): Map<string, Counts> {
  const period = Array.isArray(units) ? structureIn(asStructure(units as readonly Unit[]), -Infinity, Infinity) : (units as PeriodStructure);
  // a row for every unit scored and every unit with counts (a member not in force during the period still has dated ones)
  const rows = new Map(period.units.map((u, i) => [u.id, i]));
  for (const id of ownCountsByUnit.keys()) if (!rows.has(id)) rows.set(id, rows.size);
  const own = new Int32Array(rows.size * M);
  for (const [id, row] of rows) {
    const c = ownCountsByUnit.get(id);
    if (c) writeCounts(own, 1, row, 0, c);
  }
  const pooled = new Int32Array(own.length);
  poolSlot(rows, 1, 0, own, period, pooled);
  return new Map(period.units.map((u, i) => [u.id, countsAt(pooled, 1, i, 0)]));
}
