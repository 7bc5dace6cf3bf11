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
import type { RecordStore, ScoringStore, StoredRecord, WatchEntry } from '../store/ports.ts';
import { inParallel } from '../commons/parallel.ts';
import { DEFAULT_LEASE_TTL_MS, LEASES, LeaseLost, withLease, type HeldLease, type LeaseOptions } from './lease.ts';

export interface ScoringConfig {
  units: Unit[];
  method: MethodTable;
  fields: FeedbackFieldDef[];
  /** First month scored, e.g. `2023-01`. */
  firstMonth: string;
  now: () => number;
  /** How long a dirty mark must rest before scoring, so a just-written record is visible in the unit index. */
  settleMs: number;
  /** The `scoring` lease (default: DEFAULT_LEASE_TTL_MS on the wall clock). */
  lease?: LeaseOptions;
}

/** The 1022 figures of one unit's own feedback in a period: all of it, and per field code. */
export interface OwnFeedback {
  total: FeedbackFigures;
  byField: Record<string, FeedbackFigures>;
}

/** What the scorer keeps per (unit, period), one item each: its own counts and 1022 figures, both additive over units. */
export interface PeriodCounts {
  counts: Counts;
  feedback?: OwnFeedback;
}

/** A unit's own counts and 1022 figures per period (both add up over units), taken at asOf. */
export interface UnitCounts {
  counts: Record<string, Counts>;
  feedback: Record<string, OwnFeedback>;
  /** epoch ms after which the ongoing periods' counts may differ with no new record (see `nextJudgementAt`); null: never */
  judgeAgainAfterMs: number | null;
  /** dossiers waiting for their procedure (none of the unit's procedures has their procedureId) */
  awaitingProcedure: number;
}

/**
 * The scorer's watch list (one item per unit): per unit, when it must be judged again, and how many of its dossiers
 * wait for their procedure (their sum is what /api/v1/status reports). Only units with something to say are listed.
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

/** Changes when the way stored counts are taken or laid out changes: stored counts of another version are rebuilt from the records. */
const SCORING_RULES = 'judged-at-min(end,asOf);items-per-unit-period';
const SCORING = 'scoring';
/** Units counted, and periods scored, at once: reads and writes of one overlap the engine's work on another. */
const UNITS_IN_FLIGHT = 4;
const PERIODS_IN_FLIGHT = 2;

/** Which months are scored, in a few bytes (the meta item must not grow with the periods). */
const periodRangeOf = (config: Pick<ScoringConfig, 'firstMonth' | 'now'>) => `${config.firstMonth}..${monthOf(config.now())}`;

/** A unit's line of the watch list, or null when it has nothing to say (the list holds only units that do). */
function watchEntryOf(counts: UnitCounts): WatchEntry | null {
  if (counts.judgeAgainAfterMs === null && counts.awaitingProcedure === 0) return null;
  return { judgeAgainAfterMs: counts.judgeAgainAfterMs, awaitingProcedure: counts.awaitingProcedure };
}

export async function readWatch(state: Pick<ScoringStore, 'listWatch'>): Promise<ScoringWatch> {
  const watch: ScoringWatch = { judgeAgainAfterMs: {}, awaitingProcedure: {} };
  for (const [unitId, entry] of await state.listWatch()) {
    if (entry.judgeAgainAfterMs !== null) watch.judgeAgainAfterMs[unitId] = entry.judgeAgainAfterMs;
    if (entry.awaitingProcedure > 0) watch.awaitingProcedure[unitId] = entry.awaitingProcedure;
  }
  return watch;
}

export const parseStored = (stored: StoredRecord): SourceRecord => JSON.parse(stored.body);

export interface ScoringResult {
  units: number;
  periods: string[];
  /** why nothing was scored: another run holds the lease, or took it over from this one */
  skipped?: 'held elsewhere' | 'lost';
}

/** One scoring run, under the `scoring` lease: a run that finds it held returns at once without scoring. */
export async function refreshScores(deps: { records: RecordStore; state: ScoringStore }, config: ScoringConfig): Promise<ScoringResult> {
  const run = await withLease(deps.state, LEASES.scoring, config.lease ?? { ttlMs: DEFAULT_LEASE_TTL_MS }, (lease) => scoreDirtyUnits(deps, config, lease));
  return run.ran ? run.result : { units: 0, periods: [], skipped: run.why };
}

async function scoreDirtyUnits(deps: { records: RecordStore; state: ScoringStore }, config: ScoringConfig, lease: HeldLease): Promise<ScoringResult> {
  const periods = periodIdsFor(config);
  const periodRange = periodRangeOf(config);
  const previousRun = await deps.state.getMeta(SCORING);
  // The first run, a new month (new periods for every unit) and a requested recompute rebuild everything:
  // every unit recounted from its records, every period scored again.
  const rebuild = previousRun?.periodRange !== periodRange || previousRun?.rules !== SCORING_RULES;
  if (rebuild) await deps.state.markDirty(config.units.map((unit) => unit.id));
  const nowMs = config.now();
  const asOf = new Date(nowMs).toISOString();
  const settledBefore = nowMs - config.settleMs;
  // settleMs 0 (DynamoDB Local, whose indexes are synchronous): every note, whatever clock wrote it.
  const notes = (await deps.state.listDirty()).filter((note) => config.settleMs === 0 || note.markedAtMs <= settledBefore);
  const watched = await deps.state.listWatch();
  const watch = rebuild ? new Map<string, WatchEntry>() : new Map(watched);
  // Units whose ongoing counts time alone has moved (a due date passed since they were counted).
  const timeMoved = [...watch].filter(([, entry]) => entry.judgeAgainAfterMs !== null && nowMs > entry.judgeAgainAfterMs).map(([unitId]) => unitId);
  if (notes.length === 0 && timeMoved.length === 0) return { units: 0, periods: [] };

  const unitsById = new Map(config.units.map((unit) => [unit.id, unit]));
  const dirty = new Set([...notes.flatMap((note) => note.unitIds), ...timeMoved]);
  const changed = new Set<string>(rebuild ? periods : []);
  /** The dirty units' fresh counts where they moved: stored only after the scores (see below). */
  const moved = new Map<string, Map<string, PeriodCounts>>();
  // A few units at a time: reading one unit's records overlaps counting another's.
  await inParallel([...dirty], UNITS_IN_FLIGHT, async (unitId) => {
    await lease.keep();
    const unit = unitsById.get(unitId);
    if (!unit) {
      watch.delete(unitId);
      return;
    }
    const records = (await deps.records.listByUnit(unit.id)).map(parseStored);
    const fresh = countUnit(unit, records, periods, config.fields, asOf);
    const entry = watchEntryOf(fresh);
    if (entry) watch.set(unit.id, entry);
    else watch.delete(unit.id);
    const stale = (await deps.state.getUnitCounts(unit.id, periods)) as Map<string, PeriodCounts>;
    const movedHere = new Map<string, PeriodCounts>();
    for (const period of periods) {
      const same =
        JSON.stringify(fresh.counts[period]) === JSON.stringify(stale.get(period)?.counts) &&
        JSON.stringify(fresh.feedback[period]) === JSON.stringify(stale.get(period)?.feedback);
      if (same) continue;
      changed.add(period);
      movedHere.set(period, fresh.feedback[period] ? { counts: fresh.counts[period], feedback: fresh.feedback[period] } : { counts: fresh.counts[period] });
    }
    if (movedHere.size > 0) moved.set(unit.id, movedHere);
  });

  await inParallel(periods.filter((p) => changed.has(p)), PERIODS_IN_FLIGHT, async (period) => {
    await lease.keep();
    const stored = (await deps.state.listPeriodCounts(period)) as Map<string, PeriodCounts>;
    const own = new Map<string, Counts>();
    for (const unit of config.units) {
      // A unit that never had a record still has counts from the registry (4.3 counts its wards).
      const counts = moved.get(unit.id)?.get(period)?.counts ?? stored.get(unit.id)?.counts;
      own.set(unit.id, counts ?? countUnit(unit, [], [period], config.fields, asOf).counts[period]);
    }
    const pooled = rollUp(config.units, own);
    const scores = scorePeriod({ units: config.units, period, pooled, method: config.method, asOf });
    const written = await deps.state.putPeriodScores({ period, method: config.method.id, asOf, provisional: isProvisional(period, asOf), scores });
    // Refused: scores judged later than asOf are stored, so another run got ahead of this one; it redoes this work.
    if (!written) throw new LeaseLost(`Scores of ${period} later than ${asOf} are stored.`);
  });
  if (changed.size > 0) await deps.state.queuePublish(changed);
  // Counts are stored after the scores they fed: a run that stops in between leaves counts that still differ,
  // so the next run (which finds the same dirty notes) scores those periods again.
  await inParallel([...moved], UNITS_IN_FLIGHT, async ([unitId, byPeriod]) => {
    await lease.keep();
    await deps.state.putUnitCounts(unitId, byPeriod);
  });
  const watchChanges = new Map<string, WatchEntry | null>();
  for (const [unitId, entry] of watch) if (JSON.stringify(watched.get(unitId)) !== JSON.stringify(entry)) watchChanges.set(unitId, entry);
  for (const unitId of watched.keys()) if (!watch.has(unitId)) watchChanges.set(unitId, null);
  await deps.state.putWatch(watchChanges);
  // Cleared only now: a run that stops above leaves the notes (and a rebuild unrecorded), and the next run redoes them.
  for (const note of notes) await deps.state.clearDirty(note);
  const awaitingProcedure = [...watch.values()].reduce((sum, entry) => sum + entry.awaitingProcedure, 0);
  await deps.state.putMeta(SCORING, { lastScoredAt: asOf, periodRange, rules: SCORING_RULES, awaitingProcedure });
  return { units: dirty.size, periods: [...changed] };
}

/** `npm run recompute`: forget what was scored, so the next run rebuilds every score from the records. */
export async function requestRecompute(deps: { state: Pick<ScoringStore, 'putMeta'> }) {
  await deps.state.putMeta(SCORING, { periodRange: '', recomputeRequestedAt: new Date().toISOString() });
}
