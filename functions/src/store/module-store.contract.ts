/** The contract every ModuleStore keeps, run against the in-memory twin and DynamoDB Local alike. */
import { expect, it } from 'vitest';
import type { ModuleVersion, RegistryState } from '../domain/modules/rules.ts';
import type { ModuleStore } from './ports.ts';

const version = (name: string, v: string): ModuleVersion => ({
  name, version: v, url: `/modules/${name}/${v}/${name}-0123456789.js`, integrity: `sha384-${v}`,
  manifest: { name, owner: 'team', route: `/${name}`, title: { vi: name, en: name } }, publishedAt: '2026-12-01T00:00:00.000Z', publishedBy: 'team-key',
});
const stateAt = (revision: number, v: string): RegistryState => ({ revision, current: { health: version('health', v) }, updatedAt: `2026-12-0${revision}T00:00:00.000Z` });

export function moduleStoreContract(fresh: () => Promise<ModuleStore>) {
  it('the registry changes only from the revision before: two writers of the same revision, one wins', async () => {
    const store = await fresh();
    expect(await store.getModuleRegistry()).toEqual({ revision: 0, current: {} });
    expect(await store.putModuleRegistry(stateAt(2, '1.0.0'))).toBe(false); // skips a revision
    expect(await store.putModuleRegistry(stateAt(1, '1.0.0'))).toBe(true);
    expect(await store.putModuleRegistry(stateAt(1, '1.0.1'))).toBe(false); // the other writer of revision 1
    expect(await store.getModuleRegistry()).toEqual(stateAt(1, '1.0.0'));
    expect(await store.putModuleRegistry(stateAt(2, '1.1.0'))).toBe(true);
    expect(await store.getModuleRegistry()).toEqual(stateAt(2, '1.1.0'));
  });

  it('a version is recorded once and never overwritten; versions are listed per module', async () => {
    const store = await fresh();
    expect(await store.putModuleVersion(version('health', '1.0.0'))).toBe(true);
    expect(await store.putModuleVersion({ ...version('health', '1.0.0'), integrity: 'sha384-other' })).toBe(false);
    expect(await store.putModuleVersion(version('health', '1.1.0'))).toBe(true);
    expect(await store.putModuleVersion(version('transport', '1.0.0'))).toBe(true);
    expect(await store.getModuleVersion('health', '1.0.0')).toEqual(version('health', '1.0.0'));
    expect(await store.getModuleVersion('health', '9.9.9')).toBeUndefined();
    expect((await store.listModuleVersions('health')).map((v) => v.version).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(await store.listModuleVersions('nobody')).toEqual([]);
  });

  it('counts error reports per module, day and counter, up to a cap a day', async () => {
    const store = await fresh();
    expect(await store.countModuleError('health', '2026-12-01', '1.0.0 mount', 3)).toBe(true);
    expect(await store.countModuleError('health', '2026-12-01', '1.0.0 mount', 3)).toBe(true);
    expect(await store.countModuleError('health', '2026-12-01', '1.0.0 load', 3)).toBe(true);
    expect(await store.countModuleError('health', '2026-12-01', '1.0.0 load', 3)).toBe(false); // the day's cap
    expect(await store.countModuleError('health', '2026-12-03', '1.1.0 mount', 3)).toBe(true);
    expect(await store.countModuleError('transport', '2026-12-03', '1.0.0 mount', 3)).toBe(true);
    expect(await store.listModuleErrors('health', '2026-11-01')).toEqual([
      { day: '2026-12-01', total: 3, counts: { '1.0.0 mount': 2, '1.0.0 load': 1 } },
      { day: '2026-12-03', total: 1, counts: { '1.1.0 mount': 1 } },
    ]);
    expect(await store.listModuleErrors('health', '2026-12-02')).toEqual([{ day: '2026-12-03', total: 1, counts: { '1.1.0 mount': 1 } }]);
  });
}
