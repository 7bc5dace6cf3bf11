import { describe, expect, it } from 'vitest';
import { addKey, newKey } from './keys.ts';
import { hashKey } from '../functions/src/services/auth.ts';
import type { IngestKey, StateStore } from '../functions/src/store/ports.ts';

describe('npm run keys', () => {
  it('stores only the hash of a new random key: a team key for one module, or an ingest key for units', async () => {
    const stored: IngestKey[] = [];
    const state = { putKey: async (key: IngestKey) => { stored.push(key); } } as unknown as StateStore;
    const team = await addKey(state, { name: 'Overview team', module: 'overview' });
    expect(team.secret).toMatch(/^bdtc_[A-Za-z0-9_-]{32}$/);
    expect(stored[0]).toEqual({ hash: hashKey(team.secret), name: 'Overview team', scopes: [], modules: ['overview'] });
    expect(JSON.stringify(stored)).not.toContain(team.secret);
    const ingest = await addKey(state, { name: 'Q1', scopes: ['q1'] });
    expect(stored[1]).toEqual({ hash: hashKey(ingest.secret), name: 'Q1', scopes: ['q1'] });
    expect(ingest.secret).not.toBe(team.secret);
  });

  it('refuses a key with both or neither scope, a wildcard module, or no name', () => {
    expect(() => newKey({ name: 'x', scopes: ['q1'], module: 'overview' })).toThrow(/not both/);
    expect(() => newKey({ name: 'x' })).toThrow(/--scope/);
    expect(() => newKey({ name: 'x', module: '*' })).toThrow(/not a module name/);
    expect(() => newKey({ name: ' ', module: 'overview' })).toThrow(/--name/);
  });
});
