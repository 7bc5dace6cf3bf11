/** The in-memory twin of what the scorer needs of DynamoStateStore (ScoringStore), counting items as DynamoDB bills them. */
import { randomUUID } from 'node:crypto';
import type { ScoresSnapshot } from '../../../../shared-types/src/snapshots.ts';
import type { DirtyNote, PeriodCounts, ScoringStore, WatchEntry } from '../ports.ts';
import { MemoryLeases } from './leases.ts';

export class MemoryScoringStore extends MemoryLeases implements ScoringStore {
  private readonly notes = new Map<string, DirtyNote>();
  /** Stored as JSON, as DynamoDB holds them: nothing a caller does to its objects afterwards changes what is stored. */
  private readonly counts = new Map<string, Map<string, string>>();
  private readonly scores = new Map<string, string>();
  private readonly watch = new Map<string, WatchEntry>();
  private readonly meta = new Map<string, Record<string, unknown>>();
  readonly publishQueue = new Set<string>();
  /** Items read and written, as DynamoDB would bill them (one each). */
  readonly requests = { reads: 0, writes: 0 };

  async markDirty(unitIds: Iterable<string>) {
    const ids = [...new Set(unitIds)];
    if (ids.length === 0) return;
    this.requests.writes++;
    const id = `${Date.now()}#${randomUUID()}`;
    this.notes.set(id, { id, unitIds: ids, recordKeys: [], markedAtMs: Date.now() });
  }

  async markRecordsDirty(recordKeys: Iterable<string>) {
    const keys = [...new Set(recordKeys)];
    if (keys.length === 0) return;
    this.requests.writes++;
    const id = `${Date.now()}#${randomUUID()}`;
    this.notes.set(id, { id, unitIds: [], recordKeys: keys, markedAtMs: Date.now() });
  }

  async listDirty() {
    this.requests.reads += Math.max(1, this.notes.size);
    return [...this.notes.values()].map((note) => structuredClone(note));
  }

  async clearDirty(note: DirtyNote) {
    this.requests.writes++;
    this.notes.delete(note.id);
  }

  async putPeriodCounts(period: string, byUnit: Map<string, PeriodCounts>) {
    this.requests.writes += byUnit.size;
    let stored = this.counts.get(period);
    if (!stored) this.counts.set(period, (stored = new Map()));
    for (const [unitId, counts] of byUnit) stored.set(unitId, JSON.stringify(counts));
  }

  async listPeriodCounts(period: string) {
    const stored = this.counts.get(period) ?? new Map<string, string>();
    this.requests.reads += Math.max(1, stored.size);
    return new Map([...stored].map(([unitId, counts]) => [unitId, JSON.parse(counts) as PeriodCounts]));
  }

  async putPeriodScores(snapshot: ScoresSnapshot) {
    const stored = this.getPeriodScores(snapshot.period);
    this.requests.writes += 1 + snapshot.scores.length;
    if (stored && Date.parse(stored.asOf) > Date.parse(snapshot.asOf)) return false;
    this.scores.set(snapshot.period, JSON.stringify(snapshot));
    return true;
  }

  getPeriodScores(period: string): ScoresSnapshot | undefined {
    const stored = this.scores.get(period);
    return stored ? (JSON.parse(stored) as ScoresSnapshot) : undefined;
  }

  async listWatch() {
    this.requests.reads += Math.max(1, this.watch.size);
    return new Map(this.watch);
  }

  async putWatch(changes: Map<string, WatchEntry | null>) {
    this.requests.writes += changes.size;
    for (const [unitId, entry] of changes) {
      if (entry) this.watch.set(unitId, entry);
      else this.watch.delete(unitId);
    }
  }

  async queuePublish(periods: Iterable<string>) {
    for (const period of periods) {
      this.requests.writes++;
      this.publishQueue.add(period);
    }
  }

  async getMeta(name: string) {
    this.requests.reads++;
    const value = this.meta.get(name);
    return value ? structuredClone(value) : undefined;
  }

  async putMeta(name: string, value: Record<string, unknown>) {
    this.requests.writes++;
    this.meta.set(name, structuredClone(value));
  }
}
