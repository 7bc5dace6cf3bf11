/** The contract every RecordStore keeps, run against the in-memory twin and DynamoDB Local alike. */
import { expect, it } from 'vitest';
import type { RecordStore, StoredRecord, WrittenBy } from './ports.ts';

const T = Date.parse('2026-11-30T10:00:00Z');
const by = (keyName: string): WrittenBy => ({ keyId: `id-${keyName}`, keyName, at: '2026-11-30T10:00:00.000Z' });
const dossier = (id: string, unitId: string, updatedAtMs: number, extra: Partial<StoredRecord> = {}): StoredRecord => ({
  type: 'dossier', id, unitId, updatedAtMs, hash: `h-${id}-${unitId}-${updatedAtMs}`, body: JSON.stringify({ id, unitId, updatedAtMs }), ...extra,
});

export function recordStoreContract(fresh: () => Promise<RecordStore>) {
  it('stores a new copy and a later one; an older or equally dated copy is not written', async () => {
    const store = await fresh();
    expect((await store.putIfNewer([dossier('a', 'w1', T), dossier('b', 'w1', T)], { writtenBy: by('one') })).notWritten).toEqual(new Set());
    const { notWritten } = await store.putIfNewer([dossier('a', 'w1', T + 1), dossier('b', 'w1', T - 1), dossier('b', 'w2', T)], { writtenBy: by('two') });
    expect(notWritten).toEqual(new Set(['dossier#b']));
    expect(await store.get('dossier#a')).toEqual({ ...dossier('a', 'w1', T + 1), writtenBy: by('two') });
    expect(await store.get('dossier#b')).toEqual({ ...dossier('b', 'w1', T), writtenBy: by('one') });
    expect(await store.get('dossier#none')).toBeUndefined();
  });

  it('a key scoped to some units replaces only copies stored in them', async () => {
    const store = await fresh();
    await store.putIfNewer([dossier('a', 'w1', T), dossier('b', 'w2', T)], { writtenBy: by('city') });
    const { notWritten } = await store.putIfNewer([dossier('a', 'w1', T + 1), dossier('b', 'w1', T + 1), dossier('c', 'w1', T)], { replaceOnlyIn: ['w1'], writtenBy: by('ward') });
    expect(notWritten).toEqual(new Set(['dossier#b'])); // b lives in w2: the ward's key cannot move it away
    expect((await store.get('dossier#b'))?.unitId).toBe('w2');
    expect((await store.get('dossier#c'))?.writtenBy).toEqual(by('ward'));
  });

  it('a repair replaces a copy dated after the given instant even with an earlier date (a clock that ran ahead)', async () => {
    const store = await fresh();
    await store.putIfNewer([dossier('a', 'w1', T + 86_400_000)], { writtenBy: by('fast clock') });
    expect((await store.putIfNewer([dossier('a', 'w1', T)], { writtenBy: by('x') })).notWritten).toEqual(new Set(['dossier#a']));
    expect((await store.putIfNewer([dossier('a', 'w1', T)], { replaceDatedAfterMs: T + 1, writtenBy: by('repair') })).notWritten).toEqual(new Set());
    expect((await store.get('dossier#a'))?.updatedAtMs).toBe(T);
  });

  it('reads versions, copies by key, and a unit\'s records, tombstones included', async () => {
    const store = await fresh();
    await store.putIfNewer([dossier('a', 'w1', T), dossier('b', 'w1', T, { deleted: true }), dossier('c', 'w2', T)], { writtenBy: by('one') });
    const versions = await store.versions(['dossier#a', 'dossier#b', 'dossier#none']);
    expect(versions).toEqual(new Map([
      ['dossier#a', { unitId: 'w1', updatedAtMs: T, hash: dossier('a', 'w1', T).hash }],
      ['dossier#b', { unitId: 'w1', updatedAtMs: T, hash: dossier('b', 'w1', T).hash, deleted: true }],
    ]));
    expect(await store.getMany(['dossier#a', 'dossier#none'])).toEqual(new Map([['dossier#a', dossier('a', 'w1', T)]]));
    const ofUnit = await store.listByUnit('w1');
    expect(ofUnit.sort((x, y) => x.id.localeCompare(y.id))).toEqual([dossier('a', 'w1', T), dossier('b', 'w1', T, { deleted: true })]);
    expect(await store.listByUnit('w9')).toEqual([]);
  });
}
