/**
 * Latest state of a stream of record copies (INDEX-766.md § Record types): per (type, id) the
 * copy with the latest `updatedAt`. An older copy or an identical one changes nothing; a copy with
 * the same `updatedAt` but different content is a conflict (ingest rejects it; here the choice is
 * made deterministically so the result never depends on arrival order). A tombstone takes part like
 * any copy, and a record whose latest copy is a tombstone counts nowhere.
 */
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import { isTombstone, type Dossier, type Feedback, type Procedure, type RecordCopy, type SourceRecord } from '../../../../shared-types/src/records.ts';

/** JSON with object keys sorted, so equal content gives equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

function contentWithoutUpdatedAt(r: RecordCopy): string {
  const { updatedAt: _ignored, ...rest } = r;
  return canonicalJson(rest);
}

/** Latest-state copies split by type (what the counting needs). */
export interface LatestByType {
  procedures: Procedure[];
  dossiers: Dossier[];
  feedback: Feedback[];
}

function wins(stored: RecordCopy, incoming: RecordCopy): boolean {
  if (stored === incoming) return false;
  const ts = parseTimestamp(stored.updatedAt);
  const ti = parseTimestamp(incoming.updatedAt);
  if (Number.isNaN(ti)) return false;
  if (Number.isNaN(ts) || ti > ts) return true;
  if (ti < ts) return false;
  if (contentWithoutUpdatedAt(stored) === contentWithoutUpdatedAt(incoming)) return false;
  return canonicalJson(incoming) > canonicalJson(stored); // conflict: a deterministic choice
}

/**
 * Per (type, id) the copy with the latest `updatedAt`, split by type, withdrawn records (a tombstone
 * latest) left out. Order and repetition of the input do not change the result: among conflicting
 * copies (same instant, different content) the one with the greatest canonical JSON wins. A copy whose
 * `updatedAt` does not parse never replaces one that does. One Map per type keyed by id; `updatedAt` is
 * parsed only when a second copy of a record shows up.
 */
export function latestByType(records: Iterable<RecordCopy>): LatestByType {
  const maps = { procedure: new Map<string, RecordCopy>(), dossier: new Map<string, RecordCopy>(), feedback: new Map<string, RecordCopy>() };
  for (const r of records) {
    const map = maps[r.type];
    if (map === undefined) continue;
    const stored = map.get(r.id);
    if (stored === undefined || wins(stored, r)) map.set(r.id, r);
  }
  // Dropped only now: a tombstone must first win (or lose) against the record's other copies.
  const live = <T extends SourceRecord>(map: Map<string, RecordCopy>) => [...map.values()].filter((copy) => !isTombstone(copy)) as T[];
  return { procedures: live<Procedure>(maps.procedure), dossiers: live<Dossier>(maps.dossier), feedback: live<Feedback>(maps.feedback) };
}

/** Per (type, id) the copy with the latest `updatedAt` (see `latestByType`): procedures, dossiers, feedback; no tombstone. */
export function latestState(records: Iterable<RecordCopy>): SourceRecord[] {
  const { procedures, dossiers, feedback } = latestByType(records);
  return [...procedures, ...dossiers, ...feedback];
}
