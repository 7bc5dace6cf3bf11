/**
 * Keeping the tallies equal to the records: every step counts a record's current copy at now and takes back what
 * its counted copy added when it was counted, in plans that are written whole before they are applied
 * (TallyPlan). So whatever the stream delivers — duplicates, replays, batches out of order, a Lambda retried,
 * a run stopped between two writes — the tallies of a generation stay the sum of tallyOf(counted copy) over
 * its records, and the counted copy is the stored one once its key has been counted.
 */
import type { RecordCopy } from '../../../shared-types/src/records.ts';
import { addInto, difference, rejudgeAfter, tallyOf, type Cells } from '../domain/tally/tally.ts';
import type { CountedCopy, Fence, RecordStore, StoredRecord, TallyPlan, TallyStore } from '../store/ports.ts';
import { chunks } from '../commons/parallel.ts';

/** Records counted in one plan: its counted copies stay within a few MB. */
const RECORDS_PER_PLAN = 1_000;

export interface CountingDeps {
  records: Pick<RecordStore, 'getMany'>;
  tallies: TallyStore;
}

/** One counting run: the generation it counts into, the city's first month, its instant, and its lease. */
export interface CountingRun {
  generation: number;
  firstMonth: string;
  nowMs: number;
  fence: Fence;
  /** called before each plan: renews the lease (throws LeaseLost if another run holds it) */
  keep: () => Promise<void>;
}

/** A run that stopped after writing a plan: apply what it wrote (again: each item takes it once), then forget it. */
export async function finishUnfinishedPlans(tallies: TallyStore, fence: Fence): Promise<Set<string>> {
  const moved = new Set<string>();
  for (let plan = await tallies.unfinishedPlan(); plan; plan = await tallies.unfinishedPlan()) {
    await tallies.applyPlan(plan);
    await tallies.deletePlan(plan.seq);
    for (const [key] of plan.cells) moved.add(key);
  }
  return moved;
}

const copyOf = (stored: StoredRecord | undefined): RecordCopy | null => (stored && !stored.deleted ? (JSON.parse(stored.body) as RecordCopy) : null);

/** What counting these records at run.nowMs changes: the cells' counters and the new counted copies (none: nothing moved). */
function changeOf(chunk: string[], counted: Map<string, CountedCopy>, storedCopy: (key: string) => StoredRecord | undefined, run: CountingRun) {
  const cells: Cells = new Map();
  const nextCounted: CountedCopy[] = [];
  for (const key of chunk) {
    const stored = storedCopy(key);
    const before = counted.get(key);
    const hash = stored?.hash ?? '';
    const clockMoved = before?.rejudgeAfterMs != null && before.rejudgeAfterMs < run.nowMs;
    if (before ? before.hash === hash && !clockMoved : !stored) continue;
    const copy = copyOf(stored);
    const was = before?.body ? tallyOf(JSON.parse(before.body) as RecordCopy, before.judgedAtMs, run.firstMonth) : new Map();
    addInto(cells, difference(was, tallyOf(copy, run.nowMs, run.firstMonth)));
    nextCounted.push({ key, hash, body: copy ? stored!.body : null, judgedAtMs: run.nowMs, rejudgeAfterMs: rejudgeAfter(copy, run.nowMs) });
  }
  return nextCounted.length > 0 ? { cells, counted: nextCounted } : undefined;
}

/**
 * Counts these records at `nowMs` (keys `${type}#${id}`; `known` may hold copies already read). Returns the cells
 * whose counters moved. A record whose counted copy is the stored one, and whose tally the clock has not moved, costs
 * one read and no write.
 */
export async function countRecords(deps: CountingDeps, run: CountingRun, keys: Iterable<string>, known = new Map<string, StoredRecord>()): Promise<Set<string>> {
  const moved = new Set<string>();
  const parts = chunks([...new Set(keys)], RECORDS_PER_PLAN);
  const read = (chunk: string[]) => {
    const unknown = chunk.filter((key) => !known.has(key));
    return Promise.all([deps.tallies.getCounted(run.generation, chunk), unknown.length ? deps.records.getMany(unknown) : new Map<string, StoredRecord>()]);
  };
  // The next chunk is read while a plan is applied: keys are distinct, so no plan changes what it reads.
  let next = parts.length > 0 ? read(parts[0]) : undefined;
  try {
    for (const [index, chunk] of parts.entries()) {
      await run.keep();
      const [counted, stored] = await next!;
      next = index + 1 < parts.length ? read(parts[index + 1]) : undefined;
      const change = changeOf(chunk, counted, (key) => known.get(key) ?? stored.get(key), run);
      if (!change) continue;
      const plan: TallyPlan = { seq: await deps.tallies.nextPlanSeq(), generation: run.generation, cells: [...change.cells], counted: change.counted };
      await deps.tallies.putPlan(plan, run.fence);
      await deps.tallies.applyPlan(plan);
      await deps.tallies.deletePlan(plan.seq);
      for (const key of change.cells.keys()) moved.add(key);
    }
  } finally {
    next?.catch(() => undefined); // a read under way when a run stops is of no use any more
  }
  return moved;
}
