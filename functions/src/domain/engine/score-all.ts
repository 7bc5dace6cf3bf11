/** The whole pipeline: latest state → own counts → roll-up → scores, for many periods at once. */
import type { MethodTable } from '../../../../shared-types/src/method.ts';
import { parseTimestamp, type PeriodRange } from '../../../../shared-types/src/periods.ts';
import { isTombstone, type Dossier, type Feedback, type Procedure, type RecordCopy, type Unit } from '../../../../shared-types/src/records.ts';
import type { Counts, UnitScore } from '../../../../shared-types/src/scores.ts';
import { M, countOwn, countsAt, indexUnits, planPeriods, rollUpGrid } from './grid.ts';
import { latestByType } from './latest-state.ts';
import { finish, rankInPeerGroups, scoreBlock } from './score.ts';

export interface SplitRecords {
  procedures: Procedure[];
  dossiers: Dossier[];
  feedback: Feedback[];
}

/** Latest-state copies (the store's) split by type; a withdrawn record (its tombstone) counts nowhere. */
export function splitByType(records: Iterable<RecordCopy>): SplitRecords {
  const out: SplitRecords = { procedures: [], dossiers: [], feedback: [] };
  for (const r of records) {
    if (isTombstone(r)) continue;
    if (r.type === 'dossier') out.dossiers.push(r);
    else if (r.type === 'procedure') out.procedures.push(r);
    else if (r.type === 'feedback') out.feedback.push(r);
  }
  return out;
}

export interface PooledCounts {
  periods: PeriodRange[];
  units: readonly Unit[];
  /** own counts, [unit][period][measure] */
  own: Int32Array;
  /** counts pooled over each subtree, same layout */
  pooled: Int32Array;
  /** pooled counts of one unit for one period */
  get(unitId: string, period: string): Counts | undefined;
}

export interface PooledCountsInput {
  units: readonly Unit[];
  /** every copy as sent (any order, duplicates and tombstones allowed) */
  records: Iterable<RecordCopy>;
  periods: readonly (string | PeriodRange)[];
  /** when the counts are taken (ISO 8601): each period is judged at min(end, asOf) */
  asOf: string;
}

/** Latest state → own counts → roll-up, for every unit and period. */
export function pooledCounts({ units, records, periods, asOf }: PooledCountsInput): PooledCounts {
  const index = indexUnits(units);
  const plan = planPeriods(periods, parseTimestamp(asOf));
  const own = countOwn({ units: index, plan, ...latestByType(records) });
  const nSlots = plan.periods.length;
  const pooled = rollUpGrid(index, nSlots, own);
  const slotOf = new Map(plan.periods.map((p, i) => [p.id, i]));
  return {
    periods: plan.periods,
    units,
    own,
    pooled,
    get(unitId, period) {
      const u = index.index.get(unitId);
      const s = slotOf.get(period);
      return u === undefined || s === undefined ? undefined : countsAt(pooled, nSlots, u, s);
    },
  };
}

export interface ScoreAllInput extends PooledCountsInput {
  method: MethodTable;
}

/**
 * Scores every unit for every period (periods in the given order, deduplicated; units in
 * registry order within a period), from the records as sent.
 */
export function scoreAll({ units, records, periods, method, asOf }: ScoreAllInput): UnitScore[] {
  const { periods: list, pooled } = pooledCounts({ units, records, periods, asOf });
  const nSlots = list.length;
  const out: UnitScore[] = [];
  for (let slot = 0; slot < nSlots; slot++) {
    const period = list[slot].id;
    const scores = units.map((u, ui) => finish(u, period, method, asOf, scoreBlock(method, pooled, (ui * nSlots + slot) * M)));
    rankInPeerGroups(scores);
    for (const s of scores) out.push(s);
  }
  return out;
}
