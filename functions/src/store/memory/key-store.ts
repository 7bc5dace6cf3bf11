/** The in-memory twin of the keys in the state table: the same contract (key-store.contract.ts). */
import type { IngestKey, KeyStore } from '../ports.ts';

export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, IngestKey>();

  async getKey(hash: string) {
    const key = this.keys.get(hash);
    return key ? structuredClone(key) : undefined;
  }

  async putKey(key: IngestKey) {
    this.keys.set(key.hash, structuredClone(key));
  }

  async listKeys() {
    return [...this.keys.values()].map((key) => structuredClone(key));
  }
}
