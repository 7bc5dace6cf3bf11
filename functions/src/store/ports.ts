/**
 * The ports the services depend on. DynamoDB and S3 (or the local file system) are adapters;
 * the services and the domain never import an AWS SDK.
 */
import type { RecordType } from '../../../shared-types/src/records.ts';
import type { ModuleVersion, RegistryState } from '../domain/modules/rules.ts';

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
}

export type RecordVersion = Pick<StoredRecord, 'unitId' | 'updatedAtMs' | 'hash'>;

export interface RecordStore {
  /** Versions of the records that exist, keyed `${type}#${id}`. */
  versions(keys: string[]): Promise<Map<string, RecordVersion>>;
  /**
   * Writes each record unless a copy with the same or a later `updatedAt` is stored, or (with
   * `replaceOnlyIn`) a stored copy belongs to another unit. Checked by the database, so concurrent
   * writers cannot go back in time. Returns the keys it did not write.
   */
  putIfNewer(records: StoredRecord[], options?: { replaceOnlyIn?: string[] }): Promise<{ notWritten: Set<string> }>;
  /** Every record owned by a unit (its own, not its descendants'). */
  listByUnit(unitId: string): Promise<StoredRecord[]>;
}

/**
 * A note that some units' figures are stale: one item per write batch, whatever the number of units it
 * touched (one item per unit cost as much as the records themselves). Notes are never changed, only deleted
 * once scored, so a note written while the scorer works survives and is scored on the next run.
 */
export interface DirtyNote {
  id: string;
  unitIds: string[];
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
}

export interface StateStore {
  /** Writes one note for all the units (none if empty). */
  markDirty(unitIds: Iterable<string>): Promise<void>;
  listDirty(): Promise<DirtyNote[]>;
  clearDirty(note: DirtyNote): Promise<void>;
  /** Dirty notes plus periods queued for publishing: 0 when everything written is published. */
  countPending(): Promise<number>;

  /** Per-unit derived data (own counts per period), stored compressed. */
  getUnitCounts(unitId: string): Promise<unknown | undefined>;
  putUnitCounts(unitId: string, value: unknown): Promise<void>;
  listUnitCounts(): Promise<Map<string, unknown>>;

  getPeriodScores(period: string): Promise<unknown | undefined>;
  putPeriodScores(period: string, value: unknown): Promise<void>;
  listScoredPeriods(): Promise<string[]>;

  queuePublish(periods: Iterable<string>): Promise<void>;
  listPublishQueue(): Promise<PublishItem[]>;
  clearPublish(item: PublishItem): Promise<void>;

  getMeta(name: string): Promise<Record<string, unknown> | undefined>;
  putMeta(name: string, value: Record<string, unknown>): Promise<void>;

  getKey(hash: string): Promise<IngestKey | undefined>;
  putKey(key: IngestKey): Promise<void>;

  /** The module registry's single `registry` item ({revision: 0, current: {}} before the first write). */
  getModuleRegistry(): Promise<RegistryState>;
  /** Writes `next` only if the stored revision is still `next.revision - 1`; false if someone else wrote first. */
  putModuleRegistry(next: RegistryState): Promise<boolean>;
  /** Records a version unless that version of that module exists; false if it did (it is never overwritten). */
  putModuleVersion(version: ModuleVersion): Promise<boolean>;
  getModuleVersion(name: string, version: string): Promise<ModuleVersion | undefined>;
  listModuleVersions(name: string): Promise<ModuleVersion[]>;
}

/** Where published snapshots go: S3 on AWS, a folder locally. Paths are relative, e.g. `data/latest.json`. */
export interface BlobStore {
  /** `metadata` becomes S3 object metadata (x-amz-meta-*); e.g. `csp` on index.html. */
  put(path: string, body: string | Uint8Array, options: { contentType: string; cacheControl: string; metadata?: Record<string, string> }): Promise<void>;
  get(path: string): Promise<string | undefined>;
  /** The object's exact bytes (for integrity checks). */
  getBytes(path: string): Promise<Uint8Array | undefined>;
}
