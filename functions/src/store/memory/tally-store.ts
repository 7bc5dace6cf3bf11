/** The in-memory twin of DynamoTallyStore: the same contract (tally-store.contract.ts), for unit tests and benchmarks. */
import { cellOf, isEmpty, plus } from '../../domain/tally/tally.ts';
import { LeaseLost, type CountedCopy, type Fence, type TallyPlan, type TallyStore } from '../ports.ts';
import { MemoryLeases } from './leases.ts';

interface Stamped<T> {
  value: T;
  seq: number;
}

const DAY_MS = 86_400_000;


export class MemoryTallyStore implements TallyStore {
  private seq = 0;
  private readonly plans = new Map<number, TallyPlan>();
  /** `<generation>|<period>` → unit → cell */
  private readonly cells = new Map<string, Map<string, Stamped<Record<string, number>>>>();
  /** `<generation>` → record key → counted copy */
  private readonly counted = new Map<number, Map<string, Stamped<CountedCopy>>>();
  /** `<generation>|<day of rejudgeAfterMs>` → record keys (as DynamoDB's gsi1) */
  private readonly rejudge = new Map<string, Set<string>>();
  /** Items read and written, as DynamoDB would bill them (one each). */
  readonly requests = { reads: 0, writes: 0 };
  readonly leases: MemoryLeases;

  constructor(leases = new MemoryLeases()) {
    this.leases = leases;
  }

  private check(fence: Fence) {
    if (this.leases.ownerOf(fence.lease) !== fence.owner) throw new LeaseLost(`The "${fence.lease}" lease is held by another run.`);
  }

  private period(generation: number, period: string) {
    let units = this.cells.get(`${generation}|${period}`);
    if (!units) this.cells.set(`${generation}|${period}`, (units = new Map()));
    return units;
  }

  private generation(generation: number) {
    let copies = this.counted.get(generation);
    if (!copies) this.counted.set(generation, (copies = new Map()));
    return copies;
  }

  private index(generation: number, copy: CountedCopy, change: 'add' | 'delete') {
    if (copy.rejudgeAfterMs === null) return;
    const bucket = `${generation}|${Math.floor(copy.rejudgeAfterMs / DAY_MS)}`;
    let keys = this.rejudge.get(bucket);
    if (!keys) this.rejudge.set(bucket, (keys = new Set()));
    if (change === 'add') keys.add(copy.key);
    else keys.delete(copy.key);
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

  async applyPlan(plan: TallyPlan) {
    for (const [key, change] of plan.cells) {
      const { period, unitId } = cellOf(key);
      const units = this.period(plan.generation, period);
      const stored = units.get(unitId);
      this.requests.reads++;
      if (stored && stored.seq >= plan.seq) continue;
      this.requests.writes++;
      // Frozen, so handing it out uncopied is safe: a caller cannot change what is stored.
      units.set(unitId, { value: Object.freeze(plus(stored?.value, change)), seq: plan.seq });
    }
    const copies = this.generation(plan.generation);
    for (const copy of plan.counted) {
      this.requests.writes++;
      const stored = copies.get(copy.key);
      if ((stored?.seq ?? 0) >= plan.seq) continue;
      if (stored) this.index(plan.generation, stored.value, 'delete');
      copies.set(copy.key, { value: { ...copy }, seq: plan.seq });
      this.index(plan.generation, copy, 'add');
    }
  }

  async deletePlan(seq: number) {
    this.requests.writes++;
    this.plans.delete(seq);
  }

  async getCounted(generation: number, keys: string[]) {
    const copies = this.generation(generation);
    const found = new Map<string, CountedCopy>();
    for (const key of keys) {
      this.requests.reads++;
      const stored = copies.get(key);
      if (stored) found.set(key, { ...stored.value });
    }
    return found;
  }

  async dueForRejudging(generation: number, fromMs: number, toMs: number) {
    const copies = this.generation(generation);
    const due: string[] = [];
    for (let day = Math.floor(fromMs / DAY_MS); toMs > fromMs && day <= Math.floor(toMs / DAY_MS); day++) {
      for (const key of this.rejudge.get(`${generation}|${day}`) ?? []) {
        const at = copies.get(key)!.value.rejudgeAfterMs!;
        if (at >= fromMs && at < toMs) due.push(key);
      }
    }
    this.requests.reads += due.length;
    return due;
  }

  async getCells(generation: number, keys: string[]) {
    const found = new Map<string, Record<string, number>>();
    for (const key of keys) {
      this.requests.reads++;
      const { period, unitId } = cellOf(key);
      const stored = this.cells.get(`${generation}|${period}`)?.get(unitId);
      if (stored && !isEmpty(stored.value)) found.set(key, stored.value);
    }
    return found;
  }

  async listCells(generation: number, period: string) {
    const found = new Map<string, Record<string, number>>();
    for (const [unitId, { value }] of this.cells.get(`${generation}|${period}`) ?? []) {
      this.requests.reads++;
      if (!isEmpty(value)) found.set(unitId, value);
    }
    return found;
  }
}
