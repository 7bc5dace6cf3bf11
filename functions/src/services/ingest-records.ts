/**
 * POST /api/v1/records: parse → validate → store what is newer → mark the touched units dirty → reply.
 * A record is acknowledged only after the database has it, and resending anything is harmless:
 * the stored copy is the one with the latest `updatedAt`, checked by a conditional write.
 */
import { HttpError } from '../commons/http.ts';
import { BodyError, parseBody } from '../domain/ingest/parse-body.ts';
import { decide, keysToLookUp, lateVerdict, replaceableUnits, validateItems, type Registry, type Rejection } from '../domain/ingest/classify.ts';
import type { RecordStore, StateStore } from '../store/ports.ts';
import { authenticate } from './auth.ts';

export interface IngestRequest {
  authorization?: string;
  contentType?: string;
  /** `?type=` for CSV bodies. */
  type?: string;
  body: string;
}

export interface IngestReply {
  accepted: number;
  unchanged: number;
  rejected: Rejection[];
}

const bodyErrorStatus = { unparseable: 400, bad_request: 400, unsupported_media_type: 415, too_large: 413 } as const;

export async function ingestRecords(
  deps: { records: RecordStore; state: StateStore; registry: Registry },
  request: IngestRequest,
): Promise<IngestReply> {
  const key = await authenticate(deps.state, request.authorization);
  let items;
  try {
    items = parseBody({ text: request.body, contentType: request.contentType, type: request.type });
  } catch (error) {
    if (error instanceof BodyError) throw new HttpError(bodyErrorStatus[error.code], error.code, error.message);
    throw error;
  }

  const batch = validateItems(items);
  const stored = await deps.records.versions(keysToLookUp(batch));
  const decision = decide({ batch, registry: deps.registry, scopes: key.scopes, stored });
  const { notWritten } = await deps.records.putIfNewer(decision.writes, { replaceOnlyIn: replaceableUnits(deps.registry, key.scopes) });

  // Left alone by the database (a later or identical copy is stored, a concurrent writer got there first,
  // or the stored copy is outside the key's scope): what is stored now says which.
  let unchanged = decision.unchanged;
  const rejected = [...decision.rejected];
  if (notWritten.size > 0) {
    const now = await deps.records.versions([...notWritten]);
    for (const write of decision.writes) {
      const recordKey = `${write.type}#${write.id}`;
      if (!notWritten.has(recordKey)) continue;
      const { index, record } = decision.writeIndex.get(recordKey)!;
      const verdict = lateVerdict(record, write, now.get(recordKey), key.scopes);
      if (verdict === 'unchanged') unchanged += 1;
      else rejected.push({ index, type: record.type, id: record.id, errors: [verdict] });
    }
    rejected.sort((a, b) => a.index - b.index);
  }

  const written = decision.writes.filter((write) => !notWritten.has(`${write.type}#${write.id}`));
  const touched = new Set<string>();
  for (const write of written) {
    touched.add(write.unitId);
    const previous = stored.get(`${write.type}#${write.id}`);
    if (previous) touched.add(previous.unitId);
  }
  // Marked before the reply so `pending` covers every acknowledged record at once. The stream marks
  // them too (in case this process dies right after the write), and also the unit a record moved from.
  await deps.state.markDirty(touched);
  return { accepted: written.length, unchanged, rejected };
}
