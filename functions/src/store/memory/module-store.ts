/** The in-memory twin of the module registry in the state table: the same contract (module-store.contract.ts). */
import type { ModuleVersion, RegistryState } from '../../domain/modules/rules.ts';
import type { ModuleStore } from '../ports.ts';

export class MemoryModuleStore implements ModuleStore {
  private registry: RegistryState = { revision: 0, current: {} };
  /** `name` → version → the version as published */
  private readonly versions = new Map<string, Map<string, ModuleVersion>>();
  /** `name` → city day → counters (`total` and one per "<version> <kind>") */
  private readonly errors = new Map<string, Map<string, { total: number; counts: Record<string, number> }>>();

  async getModuleRegistry() {
    return structuredClone(this.registry);
  }

  async putModuleRegistry(next: RegistryState) {
    if (next.revision !== this.registry.revision + 1) return false;
    this.registry = structuredClone({ ...next, updatedAt: next.updatedAt ?? new Date().toISOString() });
    return true;
  }

  async putModuleVersion(version: ModuleVersion) {
    let versions = this.versions.get(version.name);
    if (!versions) this.versions.set(version.name, (versions = new Map()));
    if (versions.has(version.version)) return false;
    versions.set(version.version, structuredClone(version));
    return true;
  }

  async getModuleVersion(name: string, version: string) {
    const found = this.versions.get(name)?.get(version);
    return found ? structuredClone(found) : undefined;
  }

  /** In the order DynamoDB returns them: by version string. */
  async listModuleVersions(name: string) {
    return [...(this.versions.get(name)?.values() ?? [])].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)).map((v) => structuredClone(v));
  }

  async countModuleError(name: string, day: string, counter: string, cap: number) {
    let days = this.errors.get(name);
    if (!days) this.errors.set(name, (days = new Map()));
    const counted = days.get(day) ?? { total: 0, counts: {} };
    if (counted.total >= cap) return false;
    counted.total++;
    counted.counts[counter] = (counted.counts[counter] ?? 0) + 1;
    days.set(day, counted);
    return true;
  }

  async listModuleErrors(name: string, sinceDay: string) {
    return [...(this.errors.get(name) ?? [])]
      .filter(([day]) => day >= sinceDay)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, { total, counts }]) => ({ day, total, counts: { ...counts } }));
  }
}
