/**
 * Latest state of a stream of record copies (INDEX-766.md § Record types): per (type, id) the
 * copy with the latest `updatedAt`. An older copy or an identical one changes nothing; a copy with
 * the same `updatedAt` but different content is a conflict (ingest rejects it; here the choice is
 * made deterministically so the result never depends on arrival order).
 */
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { SourceRecord } from '../../../../shared-types/src/records.ts';

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

/**
 * Per (type, id) the copy with the latest `updatedAt`. Order and repetition of the input do not
 * change the result: among conflicting copies (same instant, different content) the one with the
 * greatest canonical JSON wins. Copies whose `updatedAt` does not parse are ignored.
 */
export function latestState<T extends SourceRecord>(records: Iterable<T>): T[] {
  const latest = new Map<string, T>();
  for (const r of records) {
    if (Number.isNaN(parseTimestamp(r.updatedAt))) continue;
    const key = recordKey(r);
    const stored = latest.get(key);
    if (stored === undefined) {
      latest.set(key, r);
      continue;
    }
    if (stored === r) continue;
    const decision = compareCopies(stored, r);
    if (decision === 'replace') latest.set(key, r);
    else if (decision === 'conflict' && canonicalJson(r) > canonicalJson(stored)) latest.set(key, r);
  }
  return [...latest.values()];
}
