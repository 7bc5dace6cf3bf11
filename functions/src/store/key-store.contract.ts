/** The contract every KeyStore keeps, run against the in-memory twin and DynamoDB Local alike. */
import { expect, it } from 'vitest';
import type { IngestKey, KeyStore } from './ports.ts';

export function keyStoreContract(fresh: () => Promise<KeyStore>) {
  it('stores keys by the hash of their secret, with exactly the fields given, and lists every one', async () => {
    const store = await fresh();
    const ingest: IngestKey = { hash: 'h1', name: 'hcmc-dvc', scopes: ['hcm'] };
    const team: IngestKey = { hash: 'h2', name: 'health-team', scopes: [], modules: ['health'], createdAt: '2026-12-01T00:00:00.000Z', expiresAt: '2027-03-01T00:00:00.000Z' };
    await store.putKey(ingest);
    await store.putKey(team);
    expect(await store.getKey('h1')).toEqual(ingest);
    expect(await store.getKey('h2')).toEqual(team);
    expect(await store.getKey('h3')).toBeUndefined();
    expect((await store.listKeys()).sort((a, b) => a.hash.localeCompare(b.hash))).toEqual([ingest, team]);
  });

  it('a key written again replaces the stored one (revoked keys stay listed)', async () => {
    const store = await fresh();
    await store.putKey({ hash: 'h1', name: 'k', scopes: ['w1', 'w2'] });
    const revoked: IngestKey = { hash: 'h1', name: 'k', scopes: ['w1'], revokedAt: '2026-12-02T00:00:00.000Z' };
    await store.putKey(revoked);
    expect(await store.getKey('h1')).toEqual(revoked);
    expect(await store.listKeys()).toEqual([revoked]);
  });
}
