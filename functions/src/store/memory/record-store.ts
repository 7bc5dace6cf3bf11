/** The in-memory twin of DynamoRecordStore: the same conditional write (the later updatedAt wins; a key replaces only what its scope holds). */
import type { RecordStore, RecordVersion, StoredCopy, StoredRecord, WrittenBy } from '../ports.ts';

const keyOf = (record: Pick<StoredRecord, 'type' | 'id'>) => `${record.type}#${record.id}`;

export class MemoryRecordStore implements RecordStore {
  private readonly copies = new Map<string, StoredCopy>();
  /** Items read and written, as DynamoDB would bill them (one each). */
  readonly requests = { reads: 0, writes: 0 };

  async versions(keys: string[]) {
    const found = new Map<string, RecordVersion>();
    for (const key of keys) {
      this.requests.reads++;
      const copy = this.copies.get(key);
      if (copy) found.set(key, { unitId: copy.unitId, updatedAtMs: copy.updatedAtMs, hash: copy.hash, ...(copy.deleted ? { deleted: true as const } : {}) });
    }
    return found;
  }

  async get(key: string) {
    this.requests.reads++;
    const copy = this.copies.get(key);
    return copy ? { ...copy } : undefined;
  }

  async putIfNewer(records: StoredRecord[], options: { replaceOnlyIn?: string[]; replaceDatedAfterMs?: number; writtenBy: WrittenBy }) {
    const notWritten = new Set<string>();
    for (const record of records) {
      const stored = this.copies.get(keyOf(record));
      const later = !stored || stored.updatedAtMs < record.updatedAtMs || (options.replaceDatedAfterMs !== undefined && stored.updatedAtMs > options.replaceDatedAfterMs);
      const inScope = !stored || !options.replaceOnlyIn || options.replaceOnlyIn.includes(stored.unitId);
      this.requests.writes++;
      if (later && inScope) this.copies.set(keyOf(record), { ...record, writtenBy: options.writtenBy });
      else notWritten.add(keyOf(record));
    }
    return { notWritten };
  }

  async listByUnit(unitId: string) {
    const found = [...this.copies.values()].filter((copy) => copy.unitId === unitId).map(({ writtenBy: _, ...record }) => record);
    this.requests.reads += found.length;
    return found;
  }

  async getMany(keys: string[]) {
    const found = new Map<string, StoredRecord>();
    for (const key of keys) {
      this.requests.reads++;
      const copy = this.copies.get(key);
      if (copy) {
        const { writtenBy: _, ...record } = copy;
        found.set(key, record);
      }
    }
    return found;
  }
}
