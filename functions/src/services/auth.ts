import { createHash } from 'node:crypto';
import { HttpError } from '../commons/http.ts';
import type { IngestKey, KeyStore } from '../store/ports.ts';

/** Keys are stored as their sha256; a leaked table does not leak a key. */
export const hashKey = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A key's public name for lists, revocation and the writer of a record: the start of its hash, never the secret. */
export const keyIdOf = (key: Pick<IngestKey, 'hash'>) => key.hash.slice(0, 12);

/** Why a stored key no longer opens anything (undefined while it does); `nowMs` is the server's clock. */
export function keyRefusal(key: IngestKey, nowMs: number): string | undefined {
  if (key.revokedAt) return `This key was revoked on ${key.revokedAt}.`;
  if (key.expiresAt && Date.parse(key.expiresAt) <= nowMs) return `This key expired on ${key.expiresAt}.`;
  return undefined;
}

export async function authenticate(state: Pick<KeyStore, 'getKey'>, authorization: string | undefined, nowMs = Date.now()): Promise<IngestKey> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw new HttpError(401, 'unauthorized', 'Send the ingest key as "Authorization: Bearer <key>".');
  const key = await state.getKey(hashKey(match[1]));
  if (!key) throw new HttpError(401, 'unauthorized', 'Unknown key.');
  const refusal = keyRefusal(key, nowMs);
  if (refusal) throw new HttpError(401, 'unauthorized', refusal);
  return key;
}
