/** The whole pipeline: latest state → own counts → roll-up → scores, for many periods at once. */
import type { MethodTable } from '../../../../shared-types/src/method.ts';
import { parseTimestamp, type PeriodRange } from '../../../../shared-types/src/periods.ts';
import { isTombstone, type Dossier, type Feedback, type Procedure, type RecordCopy, type Unit } from '../../../../shared-types/src/records.ts';
import type { Counts, UnitScore } from '../../../../shared-types/src/scores.ts';
import { asStructure, structureIn, type PeriodStructure, type Units } from '../structure/structure.ts';
import { M, addRegistryCounts, countOwn, countsAt, indexUnits, planPeriods, poolSlot } from './grid.ts';
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
  /** every unit of the structure: the grid's rows */
  units: readonly Unit[];
  /** per period slot: the units scored, retired, and whose records each pools */
  structures: PeriodStructure[];
  /** own counts, [unit][period][measure] (a ward counts itself in the periods it is in force) */
  own: Int32Array;
  /** counts pooled over each subtree of the period's structure, same layout (zero for units not scored) */
  pooled: Int32Array;
  /** pooled counts of one unit for one period; undefined when the unit is not scored in that period */
  get(unitId: string, period: string): Counts | undefined;
}

export interface PooledCountsInput {
  /** the city's registries over time (or one registry's units, in force for ever) */
  units: Units;
  /** every copy as sent (any order, duplicates and tombstones allowed) */
  records: Iterable<RecordCopy>;
  periods: readonly (string | PeriodRange)[];
  /** when the counts are taken (ISO 8601): each period is judged at min(end, asOf) */
  asOf: string;
}

/** Latest state → own counts → roll-up, for every unit and period. */
export function pooledCounts({ units, records, periods, asOf }: PooledCountsInput): PooledCounts {
  const structure = asStructure(units);
  const index = indexUnits(structure.units);
  const plan = planPeriods(periods, parseTimestamp(asOf));
  const own = countOwn({ units: index, plan, ...latestByType(records) });
  const nSlots = plan.periods.length;
  const structures = plan.periods.map((p, slot) => structureIn(structure, p.start, plan.evalAt[slot]));
  const pooled = new Int32Array(own.length);
  structures.forEach((period, slot) => {
    // a ward counts itself (4.3) in the periods it is in force, with its attributes then
    for (const unit of period.units) addRegistryCounts(own, (index.index.get(unit.id)! * nSlots + slot) * M, unit);
    poolSlot(index.index, nSlots, slot, own, period, pooled);
  });
  const slotOf = new Map(plan.periods.map((p, i) => [p.id, i]));
  return {
    periods: plan.periods,
    units: structure.units,
    structures,
    own,
    pooled,
    get(unitId, period) {
      const u = index.index.get(unitId);
      const s = slotOf.get(period);
      return u === undefined || s === undefined || !structures[s].byId.has(unitId) ? undefined : countsAt(pooled, nSlots, u, s);
    },
  };
}

export interface ScoreAllInput extends PooledCountsInput {
  method: MethodTable;
}

/**
 * Scores every unit scored in each period (periods in the given order, deduplicated; units in registry
 * order within a period, oldest registry first), from the records as sent.
 */
export function scoreAll({ units, records, periods, method, asOf }: ScoreAllInput): UnitScore[] {
  const { periods: list, pooled, structures, units: rows } = pooledCounts({ units, records, periods, asOf });
  const nSlots = list.length;
  const row = new Map(rows.map((u, i) => [u.id, i]));
  const out: UnitScore[] = [];
  for (let slot = 0; slot < nSlots; slot++) {
    const period = list[slot].id;
    const { units: scored, retired } = structures[slot];
    const scores = scored.map((u) => finish(u, period, method, asOf, scoreBlock(method, pooled, (row.get(u.id)! * nSlots + slot) * M), retired.has(u.id)));
    rankInPeerGroups(scores);
    for (const s of scores) out.push(s);
  }
  return out;
}
