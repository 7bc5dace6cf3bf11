/**
 * The ports the services depend on. DynamoDB and S3 (or the local file system) are adapters;
 * the services and the domain never import an AWS SDK.
 */
import type { RecordType } from '../../../shared-types/src/records.ts';
import type { ModuleVersion, RegistryState } from '../domain/modules/rules.ts';
import type { Counts, UnitScore } from '../../../shared-types/src/scores.ts';
import type { FeedbackFigures, ScoresSnapshot } from '../../../shared-types/src/snapshots.ts';

/** A record as the records table holds it: the latest accepted copy, verbatim. */
export interface StoredRecord {
  type: RecordType;
  id: string;
  unitId: string;
  /** `updatedAt` as epoch ms, so copies compare numerically whatever their offsets. */
  updatedAtMs: number;
  /** sha256 of the canonical JSON of the record; tells an identical resend from a conflict. */
  hash: string;
  /** The record's canonical JSON. */
  body: string;
  /** A tombstone (`deleted: true`): the record was withdrawn and counts nowhere. */
  deleted?: true;
}

export type RecordVersion = Pick<StoredRecord, 'unitId' | 'updatedAtMs' | 'hash' | 'deleted'>;

/** Who stored a copy: the ingest key, by its id and name (never its secret), and when. */
export interface WrittenBy {
  keyId: string;
  keyName: string;
  /** ISO 8601, the server's clock */
  at: string;
}

/** A stored copy with its writer (null for copies written before writers were recorded). */
export interface StoredCopy extends StoredRecord {
  writtenBy: WrittenBy | null;
}

export interface RecordStore {
  /** Versions of the records that exist, keyed `${type}#${id}`. */
  versions(keys: string[]): Promise<Map<string, RecordVersion>>;
  /** The stored copy of one record (`${type}#${id}`) and its writer. */
  get(key: string): Promise<StoredCopy | undefined>;
  /**
   * Writes each record, stamped with `writtenBy`, unless a copy with the same or a later `updatedAt` is stored
   * (one dated after `replaceDatedAfterMs` is replaced anyway), or (with `replaceOnlyIn`) a stored copy belongs to
   * another unit. Checked by the database, so concurrent writers cannot go back in time. Returns the keys it did not write.
   */
  putIfNewer(records: StoredRecord[], options: { replaceOnlyIn?: string[]; replaceDatedAfterMs?: number; writtenBy: WrittenBy }): Promise<{ notWritten: Set<string> }>;
  /** Every record owned by a unit (its own, not its descendants'). */
  listByUnit(unitId: string): Promise<StoredRecord[]>;
  /** The stored copies of these records (keyed `${type}#${id}`), read consistently; absent ones are left out. */
  getMany(keys: string[]): Promise<Map<string, StoredRecord>>;
}

/**
 * A note that some units' figures are stale: one item per write batch, whatever the number of units it
 * touched (one item per unit cost as much as the records themselves). Notes are never changed, only deleted
 * once scored, so a note written while the scorer works survives and is scored on the next run.
 */
export interface DirtyNote {
  id: string;
  /** units whose records are all to be counted again (a rebuild, a repair) */
  unitIds: string[];
  /** records (`${type}#${id}`) to be counted again: what a write batch, or a stream batch, changed */
  recordKeys: string[];
  /** When the note was written; lets the scorer wait for index propagation on AWS. */
  markedAtMs: number;
}

export interface PublishItem {
  period: string;
  /** As DirtyUnit.mark. */
  mark: string;
}

export interface IngestKey {
  /** sha256 of the secret; the secret itself is never stored. */
  hash: string;
  name: string;
  /** Unit ids whose subtrees the key may write. */
  scopes: string[];
  /** Micro-frontends the key may publish (a team key: exactly one). Absent on ingest-only keys. */
  modules?: string[];
  /** ISO 8601. Keys made before these were recorded have none. */
  createdAt?: string;
  /** ISO 8601: from this instant on the key gets 401. */
  expiresAt?: string;
  /** ISO 8601: revoked (kept, so the writers of stored copies keep their names). */
  revokedAt?: string;
}

/**
 * A lease: one holder at a time for a named job (scoring, publishing), until it expires or is released.
 * Conditional writes decide, so two runs racing for it cannot both win.
 */
export interface Leases {
  /** Takes lease `name` for `owner` until `untilMs` if it is free (absent, or expired at `nowMs`); false if another holds it. */
  takeLease(name: string, owner: string, nowMs: number, untilMs: number): Promise<boolean>;
  /** Extends `owner`'s lease to `untilMs`; false if it is no longer theirs. */
  renewLease(name: string, owner: string, untilMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` still holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
}

/**
 * Who may write: the holder of a lease, by its owner token. A write made under a fence is refused (LeaseLost) once
 * another run holds the lease, checked by the database with the write, so a run that outlived its lease cannot
 * add anything after the next holder has started reading.
 */
export interface Fence {
  lease: string;
  owner: string;
}

/** The lease was taken over (this run outlived it): the run stops, and the next holder redoes its work. */
export class LeaseLost extends Error {}

/** A scored period as a whole (its scores are stored one item per unit): what lists and checks need. */
export interface PeriodHead {
  period: string;
  method: string;
  asOf: string;
  provisional: boolean;
  /** how many unit scores were stored at asOf */
  units: number;
}

/** One unit's line of the scorer's watch list (only units with something to say are listed). */
export interface WatchEntry {
  /** its dossiers waiting for their procedure */
  awaitingProcedure: number;
}

/** Thrown when a period's scores are being rewritten and no complete set could be read; try again shortly. */
export class ScoresBeingWritten extends Error {
  constructor(period: string) {
    super(`The scores of ${period} are being written; try again shortly.`);
  }
}

/** The 1022 figures of one unit's own feedback in a period: all of it, and per field code. */
export interface OwnFeedback {
  total: FeedbackFigures;
  byField: Record<string, FeedbackFigures>;
}

/** What the publisher and the read API take per (unit, period), one item each: its own counts and 1022 figures. */
export interface PeriodCounts {
  counts: Counts;
  feedback?: OwnFeedback;
}

/** What the scorer reads and writes (beside the tallies): one PeriodCounts per (unit, period), the scores, its notes and state. */
export interface ScoringStore extends Leases {
  /** Writes notes for the units (none if empty); a note holds at most a bounded number of units. */
  markDirty(unitIds: Iterable<string>): Promise<void>;
  /** Writes notes for the records (none if empty), a bounded number of keys each. */
  markRecordsDirty(recordKeys: Iterable<string>): Promise<void>;
  listDirty(): Promise<DirtyNote[]>;
  clearDirty(note: DirtyNote): Promise<void>;

  /** Stores the counts of several units for one period, one item each. */
  putPeriodCounts(period: string, byUnit: Map<string, PeriodCounts>): Promise<void>;
  /** Every unit's stored counts for one period (unit id → counts). */
  listPeriodCounts(period: string): Promise<Map<string, PeriodCounts>>;

  /**
   * Stores a period's scores (one item per unit) and its head, unless a later asOf is stored for the period
   * or any of its units: then false, and nothing older replaced anything newer.
   */
  putPeriodScores(snapshot: ScoresSnapshot): Promise<boolean>;

  listWatch(): Promise<Map<string, WatchEntry>>;
  /** Writes the entries given; null removes a unit's entry. */
  putWatch(changes: Map<string, WatchEntry | null>): Promise<void>;

  queuePublish(periods: Iterable<string>): Promise<void>;
  getMeta(name: string): Promise<Record<string, unknown> | undefined>;
  putMeta(name: string, value: Record<string, unknown>): Promise<void>;
}

/** What the publisher reads and writes. */
export interface PublishingStore extends Leases {
  listPublishQueue(): Promise<PublishItem[]>;
  clearPublish(item: PublishItem): Promise<void>;
  /** Every scored period's head (one small item per period). */
  listScoredPeriods(): Promise<PeriodHead[]>;
  /** A period's scores, all at its head's asOf (throws ScoresBeingWritten while they are rewritten). */
  getPeriodScores(period: string): Promise<ScoresSnapshot | undefined>;
  /** One unit's stored scores for those of `periods` that have one. */
  getUnitScores(unitId: string, periods: string[]): Promise<UnitScore[]>;
  listPeriodCounts(period: string): Promise<Map<string, PeriodCounts>>;
  putMeta(name: string, value: Record<string, unknown>): Promise<void>;
}

/** What the public read API may read: every method is bounded by its answer, none reads a whole partition. */
export interface ReadStore {
  /** Dirty notes plus periods queued for publishing, counted up to PENDING_COUNT_LIMIT each: 0 when everything written is published. */
  countPending(): Promise<number>;
  getMeta(name: string): Promise<Record<string, unknown> | undefined>;
  getPeriodHead(period: string): Promise<PeriodHead | undefined>;
  /** The newest scored month not after `month` (`YYYY-MM`; any month without it). */
  lastScoredMonth(month?: string): Promise<string | undefined>;
  getPeriodScores(period: string): Promise<ScoresSnapshot | undefined>;
  getUnitScores(unitId: string, periods: string[]): Promise<UnitScore[]>;
  /** The stored counts of (period, unit) for the units given. */
  getPeriodCountsOf(period: string, unitIds: string[]): Promise<Map<string, PeriodCounts>>;
}

/** countPending counts at most this many notes, and as many queued periods: a status request stays O(1). */
export const PENDING_COUNT_LIMIT = 1_000;

/** The keys of source systems and module teams (ingest, the module registry, `npm run keys`). */
export interface KeyStore {
  getKey(hash: string): Promise<IngestKey | undefined>;
  /** Writes the key (a new one, or a changed one: revoked, rotated). */
  putKey(key: IngestKey): Promise<void>;
  /** Every key, revoked and expired ones included. */
  listKeys(): Promise<IngestKey[]>;
}

/** The module registry: which version of each module is live, every version ever published, and error reports. */
export interface ModuleStore {
  /** The module registry's single `registry` item ({revision: 0, current: {}} before the first write). */
  getModuleRegistry(): Promise<RegistryState>;
  /** Writes `next` only if the stored revision is still `next.revision - 1`; false if someone else wrote first. */
  putModuleRegistry(next: RegistryState): Promise<boolean>;
  /** Records a version unless that version of that module exists; false if it did (it is never overwritten). */
  putModuleVersion(version: ModuleVersion): Promise<boolean>;
  getModuleVersion(name: string, version: string): Promise<ModuleVersion | undefined>;
  listModuleVersions(name: string): Promise<ModuleVersion[]>;
  /** Counts one error report of a module (`counter`: "<version> <kind>") on a city day, unless that day has `cap` already; false then. */
  countModuleError(name: string, day: string, counter: string, cap: number): Promise<boolean>;
  /** A module's error counts per day from `sinceDay` (YYYY-MM-DD), oldest first. */
  listModuleErrors(name: string, sinceDay: string): Promise<{ day: string; total: number; counts: Record<string, number> }[]>;
}

/** The state table's adapter holds every port but the records and the tallies; each service names the ports it uses. */
export interface StateStore extends ScoringStore, PublishingStore, ReadStore, KeyStore, ModuleStore {}

/** Where published snapshots go: S3 on AWS, a folder locally. Paths are relative, e.g. `data/latest.json`. */
export interface BlobStore {
  /** `metadata` becomes S3 object metadata (x-amz-meta-*); e.g. `csp` on index.html. */
  put(path: string, body: string | Uint8Array, options: { contentType: string; cacheControl: string; metadata?: Record<string, string> }): Promise<void>;
  get(path: string): Promise<string | undefined>;
  /** The object's exact bytes (for integrity checks). */
  getBytes(path: string): Promise<Uint8Array | undefined>;
}

/** A blob store that can take an object back: the module registry, when a publish fails after copying files. */
export interface FileStore extends BlobStore {
  /** Deletes the object (nothing if absent). */
  delete(path: string): Promise<void>;
}

/**
 * What the scorer has counted of one record in a generation of tallies: the copy, when it was judged, and the
 * last instant that judgement certainly holds (`rejudgeAfter`). The tallies of a generation are, by construction,
 * the sum over its counted copies of tallyOf(copy, judgedAtMs).
 */
export interface CountedCopy {
  /** `${type}#${id}` */
  key: string;
  /** the stored copy's hash ('' when none was stored) */
  hash: string;
  /** the copy's canonical JSON; null when none was stored */
  body: string | null;
  judgedAtMs: number;
  rejudgeAfterMs: number | null;
}

/**
 * One step of counting: the changes to cells and the counted copies they come from. It is written whole before any
 * of it is applied, so a run that stops halfway is finished by the next one; every cell and counted copy remembers
 * the last plan applied to it, so applying a plan twice, or a late run applying an older one, changes nothing.
 */
export interface TallyPlan {
  /** strictly increasing over plans (`nextPlanSeq`) */
  seq: number;
  generation: number;
  /** cell key (`cellKey`) → counter changes */
  cells: [string, Record<string, number>][];
  counted: CountedCopy[];
}

/** The tallies (domain/tally), one item per cell, and the counted copies they are the sum of, per generation. */
export interface TallyStore {
  nextPlanSeq(): Promise<number>;
  /** Writes the plan, only while `fence` holds its lease (else LeaseLost): no plan is computed from what another run has since changed. */
  putPlan(plan: TallyPlan, fence: Fence): Promise<void>;
  /** The plan written and not yet deleted, if any (one written only in part is dropped: none of it was applied). */
  unfinishedPlan(): Promise<TallyPlan | undefined>;
  /** Applies each change to a cell and each counted copy unless that item already holds this plan or a later one. */
  applyPlan(plan: TallyPlan): Promise<void>;
  deletePlan(seq: number): Promise<void>;

  getCounted(generation: number, keys: string[]): Promise<Map<string, CountedCopy>>;
  /** Keys of the counted copies with fromMs ≤ rejudgeAfterMs < toMs: the clock has moved their tallies. */
  dueForRejudging(generation: number, fromMs: number, toMs: number): Promise<string[]>;

  /** Cells by key (`cellKey`); absent cells are empty. */
  getCells(generation: number, keys: string[]): Promise<Map<string, Record<string, number>>>;
  /** Every unit's cell of one period (or of the catalogue): unit id → counters. */
  listCells(generation: number, period: string): Promise<Map<string, Record<string, number>>>;
}
