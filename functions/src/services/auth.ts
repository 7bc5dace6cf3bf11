import { createHash } from 'node:crypto';
import { HttpError } from '../commons/http.ts';
import type { IngestKey, StateStore } from '../store/ports.ts';

/** Keys are stored as their sha256; a leaked table does not leak a key. */
export const hashKey = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export async function authenticate(state: StateStore, authorization: string | undefined): Promise<IngestKey> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw new HttpError(401, 'unauthorized', 'Send the ingest key as "Authorization: Bearer <key>".');
  const key = await state.getKey(hashKey(match[1]));
  if (!key) throw new HttpError(401, 'unauthorized', 'Unknown key.');
  return key;
}
