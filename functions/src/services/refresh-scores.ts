/**
 * The scorer. For every dirty unit: recount its own records per period with the pure engine; for every
 * period whose counts moved: pool the subtrees, score and rank all units, store, and queue the period
 * for publishing. Recounting from the stored records (rather than adding stream deltas) is what makes
 * duplicates, retries, reordering and replays harmless: the result is always that of a full recompute.
 */
import { feedbackView, ownCounts, rollUp, scorePeriod, splitByType } from '../domain/engine/index.ts';
import { monthOf, periodsBetween } from '../../../shared-types/src/periods.ts';
import type { SourceRecord, Unit } from '../../../shared-types/src/records.ts';
import type { FeedbackFieldDef, FeedbackFigures } from '../../../shared-types/src/snapshots.ts';
import type { MethodTable } from '../../../shared-types/src/method.ts';
import type { Counts } from '../../../shared-types/src/scores.ts';
import type { RecordStore, StateStore, StoredRecord } from '../store/ports.ts';

export interface ScoringConfig {
  units: Unit[];
  method: MethodTable;
  fields: FeedbackFieldDef[];
  /** First month scored, e.g. `2023-01`. */
  firstMonth: string;
  now: () => number;
  /** How long a dirty mark must rest before scoring, so a just-written record is visible in the unit index. */
  settleMs: number;
}

/** The 1022 figures of one unit's own feedback in a period: all of it, and per field code. */
export interface OwnFeedback {
  total: FeedbackFigures;
  byField: Record<string, FeedbackFigures>;
}

/** What the scorer keeps per unit: its own counts and 1022 figures per period. Both add up over units. */
export interface UnitCounts {
  counts: Record<string, Counts>;
  feedback: Record<string, OwnFeedback>;
}

export const periodIdsFor = (config: Pick<ScoringConfig, 'firstMonth' | 'now'>) =>
  periodsBetween(config.firstMonth, monthOf(config.now())).map((period) => period.id);

export function countUnit(unit: Unit, records: SourceRecord[], periods: string[], fields: FeedbackFieldDef[]): UnitCounts {
  const { procedures, dossiers, feedback } = splitByType(records);
  const counts = Object.fromEntries(ownCounts({ unit, procedures, dossiers, feedback, periods }));
  const ownFeedback: Record<string, OwnFeedback> = {};
  if (feedback.length > 0) {
    for (const period of periods) {
      const view = feedbackView({ units: [{ ...unit, parentId: null }], feedback, period, fields });
      if (view.total.inPeriod === 0 && view.total.received === 0) continue;
      ownFeedback[period] = { total: view.total, byField: Object.fromEntries(view.byField.map(({ field, name: _, ...figures }) => [field, figures])) };
    }
  }
  return { counts, feedback: ownFeedback };
}

export const parseStored = (stored: StoredRecord): SourceRecord => JSON.parse(stored.body);

export async function refreshScores(deps: { records: RecordStore; state: StateStore }, config: ScoringConfig) {
  const periods = periodIdsFor(config);
  const previousRun = await deps.state.getMeta('scoring');
  // The first run, a new month (new periods for every unit) and a requested recompute rebuild everything:
  // every unit recounted from its records, every period scored again.
  const rebuild = (previousRun?.periods as string[] | undefined)?.join() !== periods.join();
  if (rebuild) await deps.state.markDirty(config.units.map((unit) => unit.id));
  const settledBefore = config.now() - config.settleMs;
  const notes = (await deps.state.listDirty()).filter((note) => note.markedAtMs <= settledBefore);
  if (notes.length === 0) return { units: 0, periods: [] as string[] };

  const unitsById = new Map(config.units.map((unit) => [unit.id, unit]));
  const dirty = new Set(notes.flatMap((note) => note.unitIds));
  const changed = new Set<string>(rebuild ? periods : []);
  for (const unitId of dirty) {
    const unit = unitsById.get(unitId);
    if (unit) {
      const records = (await deps.records.listByUnit(unit.id)).map(parseStored);
      const fresh = countUnit(unit, records, periods, config.fields);
      const stale = (await deps.state.getUnitCounts(unit.id)) as UnitCounts | undefined;
      for (const period of periods) {
        const same =
          JSON.stringify(fresh.counts[period]) === JSON.stringify(stale?.counts[period]) &&
          JSON.stringify(fresh.feedback[period]) === JSON.stringify(stale?.feedback[period]);
        if (!same) changed.add(period);
      }
      await deps.state.putUnitCounts(unit.id, fresh);
    }
  }

  if (changed.size > 0) {
    const stored = (await deps.state.listUnitCounts()) as Map<string, UnitCounts>;
    const asOf = new Date(config.now()).toISOString();
    for (const period of periods.filter((p) => changed.has(p))) {
      const own = new Map<string, Counts>();
      for (const unit of config.units) {
        // A unit that never had a record still has counts from the registry (4.3 counts its wards).
        own.set(unit.id, stored.get(unit.id)?.counts[period] ?? countUnit(unit, [], [period], config.fields).counts[period]);
      }
      const pooled = rollUp(config.units, own);
      const scores = scorePeriod({ units: config.units, period, pooled, method: config.method, asOf });
      await deps.state.putPeriodScores(period, { period, method: config.method.id, asOf, scores });
    }
    await deps.state.queuePublish(changed);
  }
  // Cleared only now: a crash above leaves the notes (and a rebuild unrecorded), and the next run redoes them.
  for (const note of notes) await deps.state.clearDirty(note);
  await deps.state.putMeta('scoring', { lastScoredAt: new Date(config.now()).toISOString(), periods });
  return { units: dirty.size, periods: [...changed] };
}

/** `npm run recompute`: forget what was scored, so the next run rebuilds every score from the records. */
export async function requestRecompute(deps: { state: StateStore }) {
  await deps.state.putMeta('scoring', { periods: [], recomputeRequestedAt: new Date().toISOString() });
}
