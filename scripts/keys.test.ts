import { describe, expect, it } from 'vitest';
import { addKey, expiryOf, keyLines, newKey, revokeKey, rotateKey } from './keys.ts';
import { authenticate, hashKey, keyIdOf } from '../functions/src/services/auth.ts';
import type { IngestKey } from '../functions/src/store/ports.ts';
import type { ModuleVersion } from '../functions/src/domain/modules/rules.ts';

/** The keys section of a state store, in memory. */
function keyStore() {
  const keys = new Map<string, IngestKey>();
  return {
    keys,
    putKey: async (key: IngestKey) => void keys.set(key.hash, structuredClone(key)),
    listKeys: async () => [...keys.values()],
    getKey: async (hash: string) => keys.get(hash),
    published: new Set<string>(),
    async listModuleVersions(name: string) { return this.published.has(name) ? [{ name } as ModuleVersion] : []; },
  };
}
const NOW = Date.parse('2026-12-02T17:00:00Z');

describe('npm run keys', () => {
  it('stores only the hash of a new random key: a team key for one module, or an ingest key for units', async () => {
    const state = keyStore();
    const team = await addKey(state, { name: 'Overview team', module: 'overview' }, NOW);
    expect(team.secret).toMatch(/^bdtc_[A-Za-z0-9_-]{32}$/);
    expect(state.keys.get(hashKey(team.secret))).toEqual({ hash: hashKey(team.secret), name: 'Overview team', scopes: [], modules: ['overview'], createdAt: '2026-12-02T17:00:00.000Z' });
    expect(JSON.stringify([...state.keys.values()])).not.toContain(team.secret);
    const ingest = await addKey(state, { name: 'Q1', scopes: ['q1'] }, NOW);
    expect(state.keys.get(hashKey(ingest.secret))).toMatchObject({ name: 'Q1', scopes: ['q1'] });
    expect(ingest.secret).not.toBe(team.secret);
  });

  it('a team key only for a module the platform knows: in microfrontends/, published, or declared --new-module', async () => {
    const state = keyStore();
    await expect(addKey(state, { name: 'Health', module: 'health' }, NOW)).rejects.toThrow(/no module "health": neither published to the registry nor in microfrontends\//);
    expect(state.keys.size).toBe(0);
    await expect(addKey(state, { name: 'Overview team', module: 'overview' }, NOW)).resolves.toBeTruthy(); // microfrontends/overview
    state.published.add('health');
    await expect(addKey(state, { name: 'Health', module: 'health' }, NOW)).resolves.toBeTruthy();
    await expect(addKey(state, { name: 'Dental', module: 'dental', newModule: true }, NOW)).resolves.toBeTruthy();
    await expect(addKey(state, { name: 'Health', module: 'health', newModule: true }, NOW)).rejects.toThrow(/exists already/);
    expect([...state.keys.values()].map((key) => key.modules?.[0])).toEqual(['overview', 'health', 'dental']);
  });

  it('refuses a key with both or neither scope, a wildcard module, or no name', () => {
    expect(() => newKey({ name: 'x', scopes: ['q1'], module: 'overview' })).toThrow(/not both/);
    expect(() => newKey({ name: 'x' })).toThrow(/--scope/);
    expect(() => newKey({ name: 'x', module: '*' })).toThrow(/not a module name/);
    expect(() => newKey({ name: ' ', module: 'overview' })).toThrow(/--name/);
  });

  it('--expires: a date is valid through that day in the city, an instant as given; never in the past', () => {
    expect(expiryOf('2027-06-30', NOW)).toBe('2027-06-30T17:00:00.000Z'); // midnight starting 1 July, +07:00
    expect(expiryOf('2027-01-01T08:00:00+07:00', NOW)).toBe('2027-01-01T01:00:00.000Z');
    expect(() => expiryOf('2026-01-01', NOW)).toThrow(/past/);
    expect(() => expiryOf('30/06/2027', NOW)).toThrow(/neither a date/);
    expect(() => expiryOf('2027-02-30', NOW)).toThrow(/neither a date/);
  });

  it('a revoked or expired key gets 401, saying why; the key stays listed', async () => {
    const state = keyStore();
    const { secret, key } = await addKey(state, { name: 'Q1', scopes: ['q1'], expires: '2027-06-30' }, NOW);
    const bearer = `Bearer ${secret}`;
    await expect(authenticate(state, bearer, NOW)).resolves.toMatchObject({ name: 'Q1' });
    await expect(authenticate(state, bearer, Date.parse('2027-06-30T16:59:59Z'))).resolves.toMatchObject({ name: 'Q1' });
    await expect(authenticate(state, bearer, Date.parse('2027-06-30T17:00:00Z'))).rejects.toMatchObject({ status: 401, message: /expired on 2027-06-30T17:00:00.000Z/ });
    await revokeKey(state, keyIdOf(key).slice(0, 6), NOW + 1000);
    await expect(authenticate(state, bearer, NOW + 2000)).rejects.toMatchObject({ status: 401, message: /revoked on 2026-12-02T17:00:01.000Z/ });
    expect(keyLines(await state.listKeys(), NOW + 2000)).toEqual([`${keyIdOf(key)}  revoked  Q1  (units q1)  created 2026-12-02  expires 2027-06-30  revoked 2026-12-02`]);
  });

  it('rotate: a new secret for the same name, scope and expiry; the old one revoked at once', async () => {
    const state = keyStore();
    const old = await addKey(state, { name: 'Q3', scopes: ['q3', 'q4'], expires: '2027-06-30' }, NOW);
    const rotated = await rotateKey(state, keyIdOf(old.key), {}, NOW + 1000);
    expect(rotated.key).toMatchObject({ name: 'Q3', scopes: ['q3', 'q4'], expiresAt: old.key.expiresAt, createdAt: '2026-12-02T17:00:01.000Z' });
    expect(rotated.key.revokedAt).toBeUndefined();
    await expect(authenticate(state, `Bearer ${rotated.secret}`, NOW + 2000)).resolves.toMatchObject({ name: 'Q3' });
    await expect(authenticate(state, `Bearer ${old.secret}`, NOW + 2000)).rejects.toMatchObject({ status: 401 });
    await expect(rotateKey(state, keyIdOf(old.key), {}, NOW)).rejects.toThrow(/revoked/);
  });

  it('finds a key by an unambiguous start of its id, never by a guess', async () => {
    const state = keyStore();
    await addKey(state, { name: 'A', scopes: ['q1'] }, NOW);
    await expect(revokeKey(state, 'zzzz', NOW)).rejects.toThrow(/no key with id/);
    await expect(revokeKey(state, 'a', NOW)).rejects.toThrow(/at least the first 4/);
  });
});
