/**
 * The scorer, one run at a time (the `scoring` lease). A run
 * 1. finishes a plan an earlier run wrote and did not apply to the end (TallyPlan);
 * 2. counts the records the dirty notes name (a unit in a note: all of its records), then the records whose
 *    tallies the clock has moved since the last run (an open dossier whose due date passed, a month start an open
 *    record is carried across): what it reads and writes grows with what changed, never with the history;
 * 3. scores the periods whose cells moved (a catalogue cell: every period, since 1.3, 3.2, 4.7 and the joins of
 *    3.1, 3.3, 4.1 use the current catalogue), the periods that are new and those that ended since the last run,
 *    from the tallies alone, and queues them for publishing.
 * Every period is judged at e = min(end, now): ongoing periods are provisional.
 *
 * `npm run recompute` (and a change of the counting rules or of the first month) starts a new generation of
 * tallies from the records: every unit's records are counted again into it, and it replaces the one scored only
 * once every note is done, so readers never see half a rebuild.
 */
import { createHash } from 'node:crypto';
import { isProvisional, rollUp, scorePeriod } from '../domain/engine/index.ts';
import { CATALOGUE, NAMED, awaitingProcedureOf, cellKey, cellOf, countsOfCells, feedbackOfCell } from '../domain/tally/tally.ts';
import { monthOf, parsePeriod, periodsBetween } from '../../../shared-types/src/periods.ts';
import { structureIn, type Structure } from '../domain/structure/structure.ts';
import { recordKey } from '../domain/ingest/classify.ts';
import { methodFor, methodsSignature, type MethodSchedule } from '../commons/city.ts';
import type { FeedbackFieldDef } from '../../../shared-types/src/snapshots.ts';
import type { PeriodCounts, RecordStore, ScoringStore, StoredRecord, TallyStore, WatchEntry } from '../store/ports.ts';
import { chunks, inParallel } from '../commons/parallel.ts';
import { countRecords, finishUnfinishedPlans } from './count-records.ts';
import { DEFAULT_LEASE_TTL_MS, LEASES, LeaseLost, withLease, type HeldLease, type LeaseOptions } from './lease.ts';

export interface ScoringConfig {
  /** the city's registries over time */
  structure: Structure;
  /** the methods, each from the month it becomes active */
  methods: MethodSchedule;
  fields: FeedbackFieldDef[];
  /** First month scored, e.g. `2023-01`. */
  firstMonth: string;
  now: () => number;
  /** The `scoring` lease (default: DEFAULT_LEASE_TTL_MS on the wall clock). */
  lease?: LeaseOptions;
}

export interface ScoringDeps {
  records: RecordStore;
  state: ScoringStore;
  tallies: TallyStore;
}

/** Per unit, how many of its dossiers wait for their procedure (their sum is what /api/v1/status reports). */
export interface ScoringWatch {
  awaitingProcedure: Record<string, number>;
}

export const periodIdsFor = (config: Pick<ScoringConfig, 'firstMonth' | 'now'>) =>
  periodsBetween(config.firstMonth, monthOf(config.now())).map((period) => period.id);

/** Changes when the way tallies are taken or laid out changes: a new generation is then counted from the records. */
const SCORING_RULES = 'tallies-v1';
const SCORING = 'scoring';
/** Written only by `requestRecompute`, never by a run: a request made while a run saves its meta is not lost. */
const RECOMPUTE_REQUEST = 'recompute-request';
const PERIODS_IN_FLIGHT = 2;
/** A run takes no more notes once it has counted this many records (a rebuild notes its units a few at a time). */
const RECORDS_PER_RUN = 20_000;
const UNITS_PER_REBUILD_NOTE = 5;
/** Far above the propagation delay of a DynamoDB global secondary index (normally well under a second). */
const INDEX_LAG_MS = 5 * 60_000;

interface ScoringMeta {
  rules?: string;
  /** the methods and registries last scored with: a change scores every period again, from the same tallies */
  scoredWith?: string;
  firstMonth?: string;
  /** the generation of tallies scored, and the one being counted from the records while a rebuild goes on */
  generation?: number;
  building?: number;
  /** the last `npm run recompute` request a rebuild was started for */
  rebuildRequestedAt?: string;
  /** `<first month>..<last month>` scored by the last run */
  periodRange?: string;
  lastScoredAt?: string;
  /** the clock's moves up to here are counted, in the generation being counted */
  rejudgedThroughMs?: number;
  awaitingProcedure?: number;
}

export async function readWatch(state: Pick<ScoringStore, 'listWatch'>): Promise<ScoringWatch> {
  const watch: ScoringWatch = { awaitingProcedure: {} };
  for (const [unitId, entry] of await state.listWatch()) if (entry.awaitingProcedure > 0) watch.awaitingProcedure[unitId] = entry.awaitingProcedure;
  return watch;
}

export interface ScoringResult {
  /** records counted (read, and counted again where they moved) */
  records: number;
  periods: string[];
  /** why nothing was scored: another run holds the lease, or took it over from this one */
  skipped?: 'held elsewhere' | 'lost';
}

/** One scoring run, under the `scoring` lease: a run that finds it held returns at once without scoring. */
export async function refreshScores(deps: ScoringDeps, config: ScoringConfig): Promise<ScoringResult> {
  const run = await withLease(deps.state, LEASES.scoring, config.lease ?? { ttlMs: DEFAULT_LEASE_TTL_MS }, (lease) => scoreChanges(deps, config, lease));
  return run.ran ? run.result : { records: 0, periods: [], skipped: run.why };
}

/** A digest of what scores are computed with besides the tallies: the methods and the registries. */
const scoringInputsOf = (config: Pick<ScoringConfig, 'methods' | 'structure'>) =>
  createHash('sha256')
    .update(methodsSignature(config.methods))
    .update(JSON.stringify(config.structure.registries.map(({ name, fromMs, toMs, units }) => [name, fromMs, toMs, units])))
    .digest('base64url');

const rangeOf = (config: Pick<ScoringConfig, 'firstMonth' | 'now'>) => `${config.firstMonth}..${monthOf(config.now())}`;
const periodsOfRange = (range: string | undefined) => {
  const [first, last] = range?.split('..') ?? [];
  return first && last ? periodsBetween(first, last).map((period) => period.id) : [];
};

async function scoreChanges(deps: ScoringDeps, config: ScoringConfig, lease: HeldLease): Promise<ScoringResult> {
  const nowMs = config.now();
  const asOf = new Date(nowMs).toISOString();
  const periods = periodIdsFor(config);
  const [stored, request] = await Promise.all([deps.state.getMeta(SCORING), deps.state.getMeta(RECOMPUTE_REQUEST)]);
  let meta = (stored ?? {}) as ScoringMeta;
  const requestedAt = request?.requestedAt as string | undefined;
  const saveMeta = async (change: Partial<ScoringMeta>) => {
    meta = { ...meta, ...change };
    await deps.state.putMeta(SCORING, meta as Record<string, unknown>);
  };

  // A rebuild: a fresh generation, counted from every unit's records.
  if (meta.building === undefined && (meta.rules !== SCORING_RULES || meta.firstMonth !== config.firstMonth || (requestedAt ?? '') > (meta.rebuildRequestedAt ?? '') || meta.generation === undefined)) {
    for (const unitIds of chunks(config.structure.units.map((unit) => unit.id), UNITS_PER_REBUILD_NOTE)) await deps.state.markDirty(unitIds);
    await saveMeta({ building: (meta.generation ?? 0) + 1, rules: SCORING_RULES, firstMonth: config.firstMonth, rebuildRequestedAt: requestedAt ?? meta.rebuildRequestedAt, rejudgedThroughMs: nowMs });
  }
  const generation = meta.building ?? meta.generation!;
  const scoredWith = scoringInputsOf(config);
  const run = { generation, firstMonth: config.firstMonth, nowMs, fence: lease.fence, keep: () => lease.keep() };

  const moved = await finishUnfinishedPlans(deps.tallies, lease.fence);
  let counted = 0;
  // Notes name records, read by key and strongly consistent: a record is counted as stored the moment it was noted.
  const notes = await deps.state.listDirty();
  for (const note of notes) {
    // A run scores what it counted before taking more: a backlog is worked off over several runs, and the figures
    // move at each (the map fills in as a backlog arrives).
    if (counted >= RECORDS_PER_RUN) break;
    await lease.keep();
    for (const key of await countRecords(deps, run, note.recordKeys)) moved.add(key);
    counted += note.recordKeys.length;
    // A unit in a note (a rebuild): all of its records, one unit at a time.
    for (const unitId of note.unitIds) {
      await lease.keep();
      const known = new Map((await deps.records.listByUnit(unitId)).map((record): [string, StoredRecord] => [recordKey(record.type, record.id), record]));
      for (const key of await countRecords(deps, run, known.keys(), known)) moved.add(key);
      counted += known.size;
    }
    // Cleared once counted: a run that stops here leaves the note, and counting it again changes nothing.
    await deps.state.clearDirty(note);
  }
  await lease.keep();
  // The index of rejudgeAfter is eventually consistent: the window starts INDEX_LAG_MS before the last run's end, so a
  // counted copy indexed late is still found (one found twice is read and left alone).
  const due = await deps.tallies.dueForRejudging(generation, (meta.rejudgedThroughMs ?? nowMs) - INDEX_LAG_MS, nowMs);
  for (const key of await countRecords(deps, run, due)) moved.add(key);
  counted += due.length;
  await saveMeta({ rejudgedThroughMs: nowMs });

  // A new method (or activation month) or registry changes no tally: every period is scored again.
  let rescoreAll = meta.scoredWith !== scoredWith;
  if (meta.building !== undefined) {
    // Done once no unit of the rebuild waits; records noted meanwhile are counted into the new generation as usual.
    if ((await deps.state.listDirty()).some((note) => note.unitIds.length > 0)) return { records: counted, periods: [] };
    await saveMeta({ generation: meta.building, building: undefined });
    rescoreAll = true;
  }

  // What to score: periods whose cells moved, new periods, and periods that ended since the last run.
  const lastMs = meta.lastScoredAt ? Date.parse(meta.lastScoredAt) : -Infinity;
  const known = new Set(periodsOfRange(meta.periodRange));
  const catalogueMoved = [...moved].some((key) => cellOf(key).period === CATALOGUE);
  const toScore = new Set<string>();
  for (const period of periods) {
    const { end } = parsePeriod(period);
    if (rescoreAll || catalogueMoved || !known.has(period) || (end > lastMs && end <= nowMs)) toScore.add(period);
  }
  for (const key of moved) {
    const { period } = cellOf(key);
    if (periods.includes(period)) toScore.add(period);
  }

  const catalogue = toScore.size > 0 ? await deps.tallies.listCells(generation, CATALOGUE) : new Map<string, Record<string, number>>();
  await inParallel([...toScore], PERIODS_IN_FLIGHT, async (period) => {
    await lease.keep();
    await scoreOnePeriod(deps, config, { generation, period, asOf, catalogue });
  });
  if (toScore.size > 0) await deps.state.queuePublish(toScore);
  const awaitingMoved = rescoreAll ? config.structure.units.map((unit) => unit.id) : [...new Set([...moved].map(cellOf).filter(({ period }) => period === CATALOGUE || period === NAMED).map(({ unitId }) => unitId))];
  if (awaitingMoved.length > 0) await saveMeta({ awaitingProcedure: await recordAwaiting(deps, generation, awaitingMoved) });
  await saveMeta({ lastScoredAt: asOf, periodRange: rangeOf(config), scoredWith });
  return { records: counted, periods: [...toScore] };
}

async function scoreOnePeriod(
  deps: ScoringDeps,
  config: ScoringConfig,
  { generation, period, asOf, catalogue }: { generation: number; period: string; asOf: string; catalogue: Map<string, Record<string, number>> },
) {
  const cells = await deps.tallies.listCells(generation, period);
  const { start, end } = parsePeriod(period);
  // the units of the registries in force during the period, with their attributes then
  const structure = structureIn(config.structure, start, Math.min(end, Date.parse(asOf)));
  const own = new Map<string, PeriodCounts>();
  // the units scored, and any other unit with records in the period (a unit that ceased, whose records its ancestors pool)
  const counted = [...structure.units, ...[...cells.keys()].filter((id) => !structure.byId.has(id)).map((id) => config.structure.byId.get(id)).filter((u) => u !== undefined)];
  for (const unit of counted) {
    const feedback = feedbackOfCell(cells.get(unit.id));
    const counts = countsOfCells(unit, cells.get(unit.id), catalogue.get(unit.id));
    own.set(unit.id, feedback ? { counts, feedback } : { counts });
  }
  const pooled = rollUp(structure, new Map([...own].map(([unitId, { counts }]) => [unitId, counts])));
  const method = methodFor(config.methods, period);
  const scores = scorePeriod({ units: structure.units, retired: structure.retired, period, pooled, method, asOf });
  const written = await deps.state.putPeriodScores({ period, method: method.id, asOf, provisional: isProvisional(period, asOf), scores });
  // Refused: scores judged later than asOf are stored, so another run got ahead of this one; it redoes this work.
  if (!written) throw new LeaseLost(`Scores of ${period} later than ${asOf} are stored.`);
  // The publisher's and the read API's copy of the counts: only the units whose counts changed are written.
  const stored = await deps.state.listPeriodCounts(period);
  const changed = new Map([...own].filter(([unitId, counts]) => JSON.stringify(stored.get(unitId)) !== JSON.stringify(counts)));
  if (changed.size > 0) await deps.state.putPeriodCounts(period, changed);
}

/** The watch list's count of dossiers waiting for their procedure, for the units given; returns the sum over all units. */
async function recordAwaiting(deps: ScoringDeps, generation: number, unitIds: string[]): Promise<number> {
  const cells = await deps.tallies.getCells(generation, unitIds.flatMap((unitId) => [cellKey({ unitId, period: NAMED }), cellKey({ unitId, period: CATALOGUE })]));
  const listed = await deps.state.listWatch();
  const changes = new Map<string, WatchEntry | null>();
  for (const unitId of unitIds) {
    const awaitingProcedure = awaitingProcedureOf(cells.get(cellKey({ unitId, period: NAMED })), cells.get(cellKey({ unitId, period: CATALOGUE })));
    const entry = awaitingProcedure > 0 ? { awaitingProcedure } : null;
    if (JSON.stringify(listed.get(unitId) ?? null) !== JSON.stringify(entry)) changes.set(unitId, entry);
    if (entry) listed.set(unitId, entry);
    else listed.delete(unitId);
  }
  if (changes.size > 0) await deps.state.putWatch(changes);
  return [...listed.values()].reduce((sum, entry) => sum + entry.awaitingProcedure, 0);
}

/** `npm run recompute`: the next run counts a new generation of tallies from the records and scores from it. */
export async function requestRecompute(deps: { state: Pick<ScoringStore, 'putMeta'> }) {
  await deps.state.putMeta(RECOMPUTE_REQUEST, { requestedAt: new Date().toISOString() });
}
