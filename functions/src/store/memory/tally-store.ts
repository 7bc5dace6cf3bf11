/** The in-memory twin of DynamoTallyStore: the same contract (tally-store.contract.ts), for unit tests and benchmarks. */
import { cellOf, plus } from '../../domain/tally/tally.ts';
import { LeaseLost, type CountedCopy, type Fence, type TallyPlan, type TallyStore } from '../ports.ts';
import { MemoryLeases } from './leases.ts';

interface Stamped<T> {
  value: T;
  seq: number;
}

/** Request counts by kind, as DynamoDB would bill them (one per item read or written). */
export interface RequestCounts {
  reads: number;
  writes: number;
}

export class MemoryTallyStore implements TallyStore {
  private seq = 0;
  private readonly plans = new Map<number, TallyPlan>();
  private readonly cells = new Map<string, Stamped<Record<string, number>>>();
  private readonly counted = new Map<string, Stamped<CountedCopy>>();
  readonly requests: RequestCounts = { reads: 0, writes: 0 };
  readonly leases: MemoryLeases;

  constructor(leases = new MemoryLeases()) {
    this.leases = leases;
  }

  private check(fence: Fence) {
    if (this.leases.ownerOf(fence.lease) !== fence.owner) throw new LeaseLost(`The "${fence.lease}" lease is held by another run.`);
  }

  async nextPlanSeq() {
    this.requests.writes++;
    return ++this.seq;
  }

  async putPlan(plan: TallyPlan, fence: Fence) {
    this.check(fence);
    this.requests.writes++;
    this.plans.set(plan.seq, structuredClone(plan));
  }

  async unfinishedPlan() {
    this.requests.reads++;
    const [first] = [...this.plans.values()].sort((a, b) => a.seq - b.seq);
    return first ? structuredClone(first) : undefined;
  }

  async applyPlan(plan: TallyPlan, fence: Fence) {
    this.check(fence);
    for (const [key, change] of plan.cells) {
      const id = `${plan.generation}|${key}`;
      const stored = this.cells.get(id);
      this.requests.reads++;
      if (stored && stored.seq >= plan.seq) continue;
      this.requests.writes++;
      this.cells.set(id, { value: plus(stored?.value, change), seq: plan.seq });
    }
    for (const copy of plan.counted) {
      const id = `${plan.generation}|${copy.key}`;
      this.requests.writes++;
      if ((this.counted.get(id)?.seq ?? 0) >= plan.seq) continue;
      this.counted.set(id, { value: { ...copy }, seq: plan.seq });
    }
  }

  async deletePlan(seq: number) {
    this.requests.writes++;
    this.plans.delete(seq);
  }

  async getCounted(generation: number, keys: string[]) {
    const found = new Map<string, CountedCopy>();
    for (const key of keys) {
      this.requests.reads++;
      const stored = this.counted.get(`${generation}|${key}`);
      if (stored) found.set(key, { ...stored.value });
    }
    return found;
  }

  async dueForRejudging(generation: number, fromMs: number, toMs: number) {
    const prefix = `${generation}|`;
    const due: string[] = [];
    for (const [id, { value }] of this.counted) {
      const at = value.rejudgeAfterMs;
      if (id.startsWith(prefix) && at !== null && at >= fromMs && at < toMs) due.push(value.key);
    }
    this.requests.reads += due.length;
    return due;
  }

  async getCells(generation: number, keys: string[]) {
    const found = new Map<string, Record<string, number>>();
    for (const key of keys) {
      this.requests.reads++;
      const stored = this.cells.get(`${generation}|${key}`);
      if (stored && Object.keys(stored.value).length > 0) found.set(key, { ...stored.value });
    }
    return found;
  }

  async listCells(generation: number, period: string) {
    const found = new Map<string, Record<string, number>>();
    const prefix = `${generation}|${period}|`;
    for (const [id, { value }] of this.cells) {
      if (!id.startsWith(prefix) || Object.keys(value).length === 0) continue;
      this.requests.reads++;
      found.set(cellOf(id.slice(`${generation}|`.length)).unitId, { ...value });
    }
    return found;
  }
}
