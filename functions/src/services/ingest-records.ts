/**
 * POST /api/v1/records: parse → validate → store what is newer → mark the touched units dirty → reply.
 * A record is acknowledged only after the database has it, and resending anything is harmless:
 * the stored copy is the one with the latest `updatedAt`, checked by a conditional write. Records may
 * arrive in any order: a dossier stored before its procedure is listed in the reply's `pending`.
 * Every stored copy carries the key that wrote it; GET /api/v1/records/{type}/{id} shows both.
 */
import { HttpError } from '../commons/http.ts';
import { BodyError, isRecordType, parseBody } from '../domain/ingest/parse-body.ts';
import { decide, keysToLookUp, latestPossibleUpdate, recordKey, replaceableUnits, validateItems, verdictAgainst, type Registry } from '../domain/ingest/classify.ts';
import { boundedReply } from '../domain/ingest/reply.ts';
import { isValidId, normalizeId } from '../../../shared-types/src/records.ts';
import type { IngestResponse, PendingRecord, StoredRecordResponse } from '../../../shared-types/src/snapshots.ts';
import type { KeyStore, RecordStore, ScoringStore, WrittenBy } from '../store/ports.ts';
import { authenticate, keyIdOf } from './auth.ts';

export interface IngestRequest {
  authorization?: string;
  contentType?: string;
  /** `?type=` for CSV bodies. */
  type?: string;
  body: string;
}

export interface IngestDeps {
  records: RecordStore;
  /** who may write (keys), and the notes that tell the scorer what changed */
  state: KeyStore & Pick<ScoringStore, 'markRecordsDirty'>;
  registry: Registry;
  /** the server's clock, epoch ms: no record may be dated ahead of it, and it stamps every write */
  now: () => number;
}

const bodyErrorStatus = { unparseable: 400, bad_request: 400, unsupported_media_type: 415, too_large: 413 } as const;

export async function ingestRecords(deps: IngestDeps, request: IngestRequest): Promise<IngestResponse> {
  const nowMs = deps.now();
  const key = await authenticate(deps.state, request.authorization, nowMs);
  let items;
  try {
    items = parseBody({ text: request.body, contentType: request.contentType, type: request.type });
  } catch (error) {
    if (error instanceof BodyError) throw new HttpError(bodyErrorStatus[error.code], error.code, error.message);
    throw error;
  }

  const checked = validateItems(items, { now: nowMs });
  const stored = await deps.records.versions(keysToLookUp(checked));
  const decision = decide({ items: checked, registry: deps.registry, scopes: key.scopes, stored, now: nowMs });
  const writtenBy: WrittenBy = { keyId: keyIdOf(key), keyName: key.name, at: new Date(nowMs).toISOString() };
  const { notWritten } = await deps.records.putIfNewer(decision.writes, {
    replaceOnlyIn: replaceableUnits(deps.registry, key.scopes), replaceDatedAfterMs: latestPossibleUpdate(nowMs), writtenBy,
  });

  // Left alone by the database (a later or identical copy is stored, a concurrent writer got there first,
  // or the stored copy is held outside the key's scope): what is stored now says which.
  let unchanged = decision.unchanged;
  const rejected = [...decision.rejected];
  if (notWritten.size > 0) {
    const storedNow = await deps.records.versions([...notWritten]);
    for (const write of decision.writes) {
      const writeKey = recordKey(write.type, write.id);
      if (!notWritten.has(writeKey)) continue;
      const { index, record } = decision.writeIndex.get(writeKey)!;
      const verdict = verdictAgainst(record, write, storedNow.get(writeKey), deps.registry, key.scopes, nowMs);
      if (verdict === 'newer') throw new Error(`the store left ${writeKey} alone, yet holds nothing newer`);
      if (verdict === 'unchanged') unchanged += 1;
      else rejected.push({ index, type: record.type, id: record.id, errors: [verdict] });
    }
    rejected.sort((a, b) => a.index - b.index);
  }

  const written = decision.writes.filter((write) => !notWritten.has(recordKey(write.type, write.id)));
  const pending: PendingRecord[] = [];
  for (const write of written) {
    const writeKey = recordKey(write.type, write.id);
    const { index, awaitsProcedure } = decision.writeIndex.get(writeKey)!;
    if (awaitsProcedure) pending.push({ index, id: write.id, field: 'procedureId' });
  }
  pending.sort((a, b) => a.index - b.index);
  // Noted before the reply so the status's `pending` covers every acknowledged record at once. The stream notes
  // them too (in case this process dies right after the write).
  await deps.state.markRecordsDirty(written.map((write) => recordKey(write.type, write.id)));
  return boundedReply({ accepted: written.length, unchanged, rejected, pending });
}

export interface RecordRequest {
  authorization?: string;
  /** the request's path as sent (percent-encoded): /api/v1/records/{type}/{id} */
  rawPath: string;
}

/** GET /api/v1/records/{type}/{id}: the stored copy and its writer, for a key whose scope holds the record. */
export async function readStoredRecord(deps: IngestDeps, request: RecordRequest): Promise<StoredRecordResponse> {
  const key = await authenticate(deps.state, request.authorization, deps.now());
  const { type, id } = recordPath(request.rawPath);
  const notFound = new HttpError(404, 'not_found', `No ${type ?? 'record'} "${(id ?? '').slice(0, 200)}" is stored in this key's scope.`);
  if (!isRecordType(type) || !isValidId(id)) throw notFound;
  const copy = await deps.records.get(recordKey(type, id));
  // Outside the scope a record looks absent: a key sees only what it could write.
  if (!copy || !deps.registry.within(copy.unitId, key.scopes)) throw notFound;
  return { record: JSON.parse(copy.body), writtenBy: copy.writtenBy };
}

/** Type and id from the path, percent-decoded (an id may hold `/`), the id in NFC; null where it cannot be read. */
function recordPath(rawPath: string): { type: string | null; id: string | null } {
  const [type, ...id] = rawPath.replace(/^\/api\/v1\/records\/?/, '').split('/');
  const decoded = (part: string) => {
    try {
      return normalizeId(decodeURIComponent(part));
    } catch {
      return null; // a malformed %-escape
    }
  };
  return { type: decoded(type), id: id.length > 0 ? decoded(id.join('/')) : null };
}
