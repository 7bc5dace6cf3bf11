/**
 * The scorer. For every dirty unit: recount its own records per period with the pure engine; for every
 * period whose counts moved: pool the subtrees, score and rank all units, store, and queue the period
 * for publishing. Recounting from the stored records (rather than adding stream deltas) is what makes
 * duplicates, retries, reordering and replays harmless: the result is always that of a full recompute.
 *
 * Every period is judged at e = min(end, now): the ongoing month, quarter and year are provisional and
 * move with time alone (an open dossier becomes overdue when its due date passes). So a unit is also
 * recounted, with no new record, once now passes the instant its counts were known to hold until
 * (`nextJudgementAt`); between those instants its stored counts are exactly the counts at now.
 */
import { feedbackView, isProvisional, nextJudgementAt, ownCounts, rollUp, scorePeriod, splitByType } from '../domain/engine/index.ts';
import { monthOf, parsePeriod, periodsBetween } from '../../../shared-types/src/periods.ts';
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

/** What the scorer keeps per unit: its own counts and 1022 figures per period (both add up over units), taken at asOf. */
export interface UnitCounts {
  counts: Record<string, Counts>;
  feedback: Record<string, OwnFeedback>;
  /** epoch ms after which the ongoing periods' counts may differ with no new record (see `nextJudgementAt`); null: never */
  judgeAgainAfterMs: number | null;
  /** dossiers waiting for their procedure (none of the unit's procedures has their procedureId) */
  awaitingProcedure: number;
}

/**
 * The scorer's watch list (meta `watch`): per unit, when it must be judged again, and how many of its dossiers
 * wait for their procedure (what /api/v1/status reports). Only units with something to say are listed.
 */
export interface ScoringWatch {
  judgeAgainAfterMs: Record<string, number>;
  awaitingProcedure: Record<string, number>;
}

export const periodIdsFor = (config: Pick<ScoringConfig, 'firstMonth' | 'now'>) =>
  periodsBetween(config.firstMonth, monthOf(config.now())).map((period) => period.id);

/** A unit's own counts and 1022 figures for the periods, judged at asOf; records are its latest-state copies. */
export function countUnit(unit: Unit, records: SourceRecord[], periods: string[], fields: FeedbackFieldDef[], asOf: string): UnitCounts {
  const { procedures, dossiers, feedback } = splitByType(records);
  const counts = Object.fromEntries(ownCounts({ unit, procedures, dossiers, feedback, periods, asOf }));
  const ownFeedback: Record<string, OwnFeedback> = {};
  if (feedback.length > 0) {
    for (const period of periods) {
      const view = feedbackView({ units: [{ ...unit, parentId: null }], feedback, period, fields, asOf });
      if (view.total.inPeriod === 0 && view.total.received === 0) continue;
      ownFeedback[period] = { total: view.total, byField: Object.fromEntries(view.byField.map(({ field, name: _, ...figures }) => [field, figures])) };
    }
  }
  const asOfMs = Date.parse(asOf);
  const ongoingUntil = Math.max(asOfMs, ...periods.map((period) => parsePeriod(period).end));
  const known = new Set(procedures.filter((p) => p.unitId === unit.id).map((p) => p.id));
  return {
    counts,
    feedback: ownFeedback,
    judgeAgainAfterMs: nextJudgementAt(records, asOfMs, ongoingUntil),
    awaitingProcedure: dossiers.filter((d) => !known.has(d.procedureId)).length,
  };
}

const WATCH = 'watch';
/** Changes when the way stored counts are taken changes: stored counts of another version are rebuilt from the records. */
const SCORING_RULES = 'judged-at-min(end,asOf)';
const emptyWatch = (): ScoringWatch => ({ judgeAgainAfterMs: {}, awaitingProcedure: {} });

/** Writes a unit's entries of the watch list (removing those with nothing to say). */
function watchUnit(watch: ScoringWatch, unitId: string, counts: UnitCounts): void {
  if (counts.judgeAgainAfterMs === null) delete watch.judgeAgainAfterMs[unitId];
  else watch.judgeAgainAfterMs[unitId] = counts.judgeAgainAfterMs;
  if (counts.awaitingProcedure === 0) delete watch.awaitingProcedure[unitId];
  else watch.awaitingProcedure[unitId] = counts.awaitingProcedure;
}

export async function readWatch(state: StateStore): Promise<ScoringWatch> {
  return ((await state.getMeta(WATCH)) as ScoringWatch | undefined) ?? emptyWatch();
}

export const parseStored = (stored: StoredRecord): SourceRecord => JSON.parse(stored.body);

export async function refreshScores(deps: { records: RecordStore; state: StateStore }, config: ScoringConfig) {
  const periods = periodIdsFor(config);
  const previousRun = await deps.state.getMeta('scoring');
  // The first run, a new month (new periods for every unit) and a requested recompute rebuild everything:
  // every unit recounted from its records, every period scored again.
  const rebuild = (previousRun?.periods as string[] | undefined)?.join() !== periods.join() || previousRun?.rules !== SCORING_RULES;
  if (rebuild) await deps.state.markDirty(config.units.map((unit) => unit.id));
  const nowMs = config.now();
  const asOf = new Date(nowMs).toISOString();
  const settledBefore = nowMs - config.settleMs;
  // settleMs 0 (DynamoDB Local, whose indexes are synchronous): every note, whatever clock wrote it.
  const notes = (await deps.state.listDirty()).filter((note) => config.settleMs === 0 || note.markedAtMs <= settledBefore);
  const watch = rebuild ? emptyWatch() : await readWatch(deps.state);
  // Units whose ongoing counts time alone has moved (a due date passed since they were counted).
  const timeMoved = Object.entries(watch.judgeAgainAfterMs).filter(([, after]) => nowMs > after).map(([unitId]) => unitId);
  if (notes.length === 0 && timeMoved.length === 0) return { units: 0, periods: [] as string[] };

  const unitsById = new Map(config.units.map((unit) => [unit.id, unit]));
  const dirty = new Set([...notes.flatMap((note) => note.unitIds), ...timeMoved]);
  const changed = new Set<string>(rebuild ? periods : []);
  for (const unitId of dirty) {
    const unit = unitsById.get(unitId);
    if (!unit) delete watch.judgeAgainAfterMs[unitId];
    if (unit) {
      const records = (await deps.records.listByUnit(unit.id)).map(parseStored);
      const fresh = countUnit(unit, records, periods, config.fields, asOf);
      watchUnit(watch, unit.id, fresh);
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
    for (const period of periods.filter((p) => changed.has(p))) {
      const own = new Map<string, Counts>();
      for (const unit of config.units) {
        // A unit that never had a record still has counts from the registry (4.3 counts its wards).
        own.set(unit.id, stored.get(unit.id)?.counts[period] ?? countUnit(unit, [], [period], config.fields, asOf).counts[period]);
      }
      const pooled = rollUp(config.units, own);
      const scores = scorePeriod({ units: config.units, period, pooled, method: config.method, asOf });
      await deps.state.putPeriodScores(period, { period, method: config.method.id, asOf, provisional: isProvisional(period, asOf), scores });
    }
    await deps.state.queuePublish(changed);
  }
  // Cleared only now: a crash above leaves the notes (and a rebuild unrecorded), and the next run redoes them.
  await deps.state.putMeta(WATCH, watch as unknown as Record<string, unknown>);
  for (const note of notes) await deps.state.clearDirty(note);
  await deps.state.putMeta('scoring', { lastScoredAt: asOf, periods, rules: SCORING_RULES });
  return { units: dirty.size, periods: [...changed] };
}

/** `npm run recompute`: forget what was scored, so the next run rebuilds every score from the records. */
export async function requestRecompute(deps: { state: StateStore }) {
  await deps.state.putMeta('scoring', { periods: [], recomputeRequestedAt: new Date().toISOString() });
}
