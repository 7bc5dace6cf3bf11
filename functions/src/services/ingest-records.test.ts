/**
 * The ingest use case on the in-memory twins (the same contracts as DynamoDB: store/*.contract.ts): what a key may
 * write, what a resend changes, and what the scorer is told. Over HTTP and DynamoDB Local: test/integration/.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { HttpError } from '../commons/http.ts';
import { registryOf } from '../domain/ingest/classify.ts';
import { dossier, procedure, units } from '../domain/engine/test-helpers.ts';
import { asStructure } from '../domain/structure/structure.ts';
import { MemoryKeyStore } from '../store/memory/key-store.ts';
import { MemoryRecordStore } from '../store/memory/record-store.ts';
import { MemoryScoringStore } from '../store/memory/scoring-store.ts';
import { hashKey } from './auth.ts';
import { ingestRecords, readStoredRecord, type IngestDeps } from './ingest-records.ts';

const NOW = Date.parse('2024-04-01T00:00:00+07:00');
let deps: IngestDeps;
let scoring: MemoryScoringStore;
let records: MemoryRecordStore;

beforeEach(async () => {
  const keys = new MemoryKeyStore();
  scoring = new MemoryScoringStore();
  records = new MemoryRecordStore();
  await keys.putKey({ hash: hashKey('ward-secret'), name: 'ward w1', scopes: ['w1'] });
  await keys.putKey({ hash: hashKey('old-secret'), name: 'old', scopes: ['city'], revokedAt: '2024-03-01T00:00:00.000Z' });
  deps = {
    records,
    state: { getKey: (hash) => keys.getKey(hash), putKey: (key) => keys.putKey(key), listKeys: () => keys.listKeys(), markRecordsDirty: (k) => scoring.markRecordsDirty(k) },
    registry: registryOf(asStructure(units), []),
    now: () => NOW,
  };
});

const post = (body: unknown[], secret = 'ward-secret') =>
  ingestRecords(deps, { authorization: `Bearer ${secret}`, contentType: 'application/json', body: JSON.stringify(body) });
const noted = async () => (await scoring.listDirty()).flatMap((note) => note.recordKeys).sort();

describe('ingest on the in-memory twins', () => {
  it('stores what the key may write, names the record and field of what it may not, and notes what it stored', async () => {
    const reply = await post([procedure(), dossier(), dossier({ id: 'd2', unitId: 'w2' })]);
    expect(reply).toMatchObject({ accepted: 2, unchanged: 0, pending: [] });
    expect(reply.rejected).toHaveLength(1);
    expect(reply.rejected[0]).toMatchObject({ index: 2, type: 'dossier', id: 'd2' });
    expect(reply.rejected[0].errors.map((error) => error.field)).toContain('unitId');
    expect(await noted()).toEqual(['dossier#d1', 'procedure#p1']);
    expect((await records.get('dossier#d1'))?.writtenBy?.keyName).toBe('ward w1');
    expect(await records.get('dossier#d2')).toBeUndefined();
  });

  it('a resend or an older copy is unchanged and tells the scorer nothing new; other content at the same updatedAt is a conflict', async () => {
    await post([procedure(), dossier()]);
    const notes = (await scoring.listDirty()).length;
    expect(await post([procedure(), dossier()])).toMatchObject({ accepted: 0, unchanged: 2, rejected: [] });
    expect((await scoring.listDirty()).length).toBe(notes);
    expect(await post([dossier({ updatedAt: '2024-03-06T08:30:00+07:00', completedAt: null })])).toMatchObject({ accepted: 0, unchanged: 1, rejected: [] });
    expect((await scoring.listDirty()).length).toBe(notes);
    const conflict = await post([dossier({ completedAt: null })]);
    expect(conflict.accepted).toBe(0);
    expect(conflict.rejected[0].errors.map((error) => error.field)).toEqual(['updatedAt']);
  });

  it('a dossier before its procedure is stored and listed as pending on procedureId', async () => {
    const reply = await post([dossier({ id: 'early', procedureId: 'p-later' })]);
    expect(reply).toMatchObject({ accepted: 1, rejected: [], pending: [{ index: 0, id: 'early', field: 'procedureId' }] });
  });

  it('refuses a missing, unknown or revoked key with 401, and shows a stored copy only inside the key\'s scope', async () => {
    for (const secret of ['nobody', 'old-secret']) await expect(post([dossier()], secret)).rejects.toMatchObject({ status: 401 });
    await expect(ingestRecords(deps, { body: '[]', contentType: 'application/json' })).rejects.toBeInstanceOf(HttpError);
    await post([procedure(), dossier()]);
    const seen = await readStoredRecord(deps, { authorization: 'Bearer ward-secret', rawPath: '/api/v1/records/dossier/d1' });
    expect(seen.writtenBy?.keyName).toBe('ward w1');
    await expect(readStoredRecord(deps, { authorization: 'Bearer ward-secret', rawPath: '/api/v1/records/dossier/none' })).rejects.toMatchObject({ status: 404 });
  });
});
