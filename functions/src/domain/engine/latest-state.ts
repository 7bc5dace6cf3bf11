/**
 * Latest state of a stream of record copies (INDEX-766.md § Record types): per (type, id) the
 * copy with the latest `updatedAt`. An older copy or an identical one changes nothing; a copy with
 * the same `updatedAt` but different content is a conflict (ingest rejects it; here the choice is
 * made deterministically so the result never depends on arrival order).
 */
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { Dossier, Feedback, Procedure, SourceRecord } from '../../../../shared-types/src/records.ts';

export type CopyDecision = 'replace' | 'unchanged' | 'conflict';

/** JSON with object keys sorted, so equal content gives equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

function contentWithoutUpdatedAt(r: SourceRecord): string {
  const { updatedAt: _ignored, ...rest } = r;
  return canonicalJson(rest);
}

/**
 * What an incoming copy does to the stored one of the same (type, id): `replace` when it is later,
 * `unchanged` when it is older or the same content at the same instant, `conflict` when it has the
 * same `updatedAt` (as an instant) but different content.
 */
export function compareCopies(stored: SourceRecord, incoming: SourceRecord): CopyDecision {
  const ts = parseTimestamp(stored.updatedAt);
  const ti = parseTimestamp(incoming.updatedAt);
  if (ti > ts) return 'replace';
  if (ti < ts) return 'unchanged';
  return contentWithoutUpdatedAt(stored) === contentWithoutUpdatedAt(incoming) ? 'unchanged' : 'conflict';
}

/** The key identifying a record: (type, id). */
export function recordKey(r: Pick<SourceRecord, 'type' | 'id'>): string {
  return `${r.type}\u0000${r.id}`;
}

/** Latest-state copies split by type (what the counting needs). */
export interface LatestByType {
  procedures: Procedure[];
  dossiers: Dossier[];
  feedback: Feedback[];
}

function wins(stored: SourceRecord, incoming: SourceRecord): boolean {
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
 * Per (type, id) the copy with the latest `updatedAt`, split by type. Order and repetition of the
 * input do not change the result: among conflicting copies (same instant, different content) the
 * one with the greatest canonical JSON wins. A copy whose `updatedAt` does not parse never
 * replaces one that does. One Map per type keyed by id; `updatedAt` is parsed only when a second
 * copy of a record shows up.
 */
export function latestByType(records: Iterable<SourceRecord>): LatestByType {
  const maps = { procedure: new Map<string, Procedure>(), dossier: new Map<string, Dossier>(), feedback: new Map<string, Feedback>() };
  for (const r of records) {
    const map = maps[r.type] as Map<string, SourceRecord> | undefined;
    if (map === undefined) continue;
    const stored = map.get(r.id);
    if (stored === undefined || wins(stored, r)) map.set(r.id, r);
  }
  return { procedures: [...maps.procedure.values()], dossiers: [...maps.dossier.values()], feedback: [...maps.feedback.values()] };
}

/** Per (type, id) the copy with the latest `updatedAt` (see `latestByType`): procedures, dossiers, feedback. */
export function latestState(records: Iterable<SourceRecord>): SourceRecord[] {
  const { procedures, dossiers, feedback } = latestByType(records);
  return [...procedures, ...dossiers, ...feedback];
}
