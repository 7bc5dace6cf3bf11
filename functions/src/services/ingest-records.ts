/**
 * POST /api/v1/records: parse → validate → store what is newer → mark the touched units dirty → reply.
 * A record is acknowledged only after the database has it, and resending anything is harmless:
 * the stored copy is the one with the latest `updatedAt`, checked by a conditional write. Records may
 * arrive in any order: a dossier stored before its procedure is listed in the reply's `pending`.
 */
import { HttpError } from '../commons/http.ts';
import { BodyError, parseBody } from '../domain/ingest/parse-body.ts';
import { decide, keysToLookUp, lateVerdict, recordKey, replaceableUnits, validateItems, type Registry } from '../domain/ingest/classify.ts';
import type { IngestResponse, PendingRecord } from '../../../shared-types/src/snapshots.ts';
import type { RecordStore, StateStore } from '../store/ports.ts';
import { authenticate } from './auth.ts';

export interface IngestRequest {
  authorization?: string;
  contentType?: string;
  /** `?type=` for CSV bodies. */
  type?: string;
  body: string;
}

const bodyErrorStatus = { unparseable: 400, bad_request: 400, unsupported_media_type: 415, too_large: 413 } as const;

export async function ingestRecords(
  deps: { records: RecordStore; state: StateStore; registry: Registry; /** the server's clock, epoch ms: no record may be dated ahead of it */ now: () => number },
  request: IngestRequest,
): Promise<IngestResponse> {
  const key = await authenticate(deps.state, request.authorization);
  let items;
  try {
    items = parseBody({ text: request.body, contentType: request.contentType, type: request.type });
  } catch (error) {
    if (error instanceof BodyError) throw new HttpError(bodyErrorStatus[error.code], error.code, error.message);
    throw error;
  }

  const checked = validateItems(items, { now: deps.now() });
  const stored = await deps.records.versions(keysToLookUp(checked));
  const decision = decide({ items: checked, registry: deps.registry, scopes: key.scopes, stored });
  const { notWritten } = await deps.records.putIfNewer(decision.writes, { replaceOnlyIn: replaceableUnits(deps.registry, key.scopes) });

  // Left alone by the database (a later or identical copy is stored, a concurrent writer got there first,
  // or the stored copy is outside the key's scope): what is stored now says which.
  let unchanged = decision.unchanged;
  const rejected = [...decision.rejected];
  if (notWritten.size > 0) {
    const storedNow = await deps.records.versions([...notWritten]);
    for (const write of decision.writes) {
      const writeKey = recordKey(write.type, write.id);
      if (!notWritten.has(writeKey)) continue;
      const { index, record } = decision.writeIndex.get(writeKey)!;
      const verdict = lateVerdict(record, write, storedNow.get(writeKey), key.scopes);
      if (verdict === 'unchanged') unchanged += 1;
      else rejected.push({ index, type: record.type, id: record.id, errors: [verdict] });
    }
    rejected.sort((a, b) => a.index - b.index);
  }

  const written = decision.writes.filter((write) => !notWritten.has(recordKey(write.type, write.id)));
  const touched = new Set<string>();
  const pending: PendingRecord[] = [];
  for (const write of written) {
    const writeKey = recordKey(write.type, write.id);
    touched.add(write.unitId);
    const previous = stored.get(writeKey);
    if (previous) touched.add(previous.unitId);
    const { index, awaitsProcedure } = decision.writeIndex.get(writeKey)!;
    if (awaitsProcedure) pending.push({ index, id: write.id, field: 'procedureId' });
  }
  pending.sort((a, b) => a.index - b.index);
  // Marked before the reply so the status's `pending` covers every acknowledged record at once. The stream marks
  // them too (in case this process dies right after the write), and also the unit a record moved from.
  await deps.state.markDirty(touched);
  return { accepted: written.length, unchanged, rejected, pending };
}
