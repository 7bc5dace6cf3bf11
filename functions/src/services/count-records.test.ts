/**
 * Counting on the in-memory twins: whatever the order of copies, replays of the same keys, the clock's moves
 * and runs that stop halfway through applying a plan, the tallies equal the sum of tallyOf over the stored
 * copies at the run's instant (the full recount), and a replay changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordCopy } from '../../../shared-types/src/records.ts';
import { HOUR, T0, recordsArb } from '../domain/engine/arbitraries.ts';
import { addInto, tallyOf, type Cells } from '../domain/tally/tally.ts';
import { toStoredRecord } from '../domain/ingest/classify.ts';
import { MemoryLeases } from '../store/memory/leases.ts';
import { MemoryRecordStore } from '../store/memory/record-store.ts';
import { MemoryTallyStore } from '../store/memory/tally-store.ts';
import type { Fence, TallyPlan } from '../store/ports.ts';
import { countRecords, finishUnfinishedPlans } from './count-records.ts';

const FIRST = '2023-12';
const DAY = 24 * HOUR;
const fence: Fence = { lease: 'scoring', owner: 'test' };
const keyOf = (copy: RecordCopy) => `${copy.type}#${copy.id}`;

/** A tally store whose next applyPlan stops after some of the cells, as a run killed mid-write would. */
class StoppingTallyStore extends MemoryTallyStore {
  stopAfter: number | null = null;
  readonly seen = new Set<string>();
  override async applyPlan(plan: TallyPlan) {
    for (const [key] of plan.cells) this.seen.add(key);
    if (this.stopAfter === null) return super.applyPlan(plan);
    const cells = plan.cells.slice(0, this.stopAfter);
    this.stopAfter = null;
    await super.applyPlan({ ...plan, cells, counted: plan.counted.slice(0, 1) });
    throw new Error('stopped');
  }
}

async function setUp() {
  const leases = new MemoryLeases();
  await leases.takeLease(fence.lease, fence.owner, 0, Number.MAX_SAFE_INTEGER);
  return { records: new MemoryRecordStore(), tallies: new StoppingTallyStore(leases) };
}

const stepArb = fc.record({
  copies: recordsArb,
  replays: fc.nat(5),
  advanceHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 * 24 })),
  stopAfter: fc.option(fc.nat(6), { freq: 3 }),
});

describe('counting records into tallies', () => {
  it('equals the full recount at every run, through replays, the clock and runs that stop halfway', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        const deps = await setUp();
        let nowMs = T0 + 15 * DAY;
        let sinceMs = nowMs;
        const everSent: string[] = [];
        for (const step of steps) {
          nowMs += step.advanceHours * HOUR;
          const run = { generation: 1, firstMonth: FIRST, nowMs, fence, keep: async () => undefined };
          await deps.records.putIfNewer(step.copies.map(toStoredRecord), { writtenBy: { keyId: 'k', keyName: 'k', at: '' } });
          // Noted whether stored or not (a copy of a batch may be replaced by a later one of the same batch).
          const written = step.copies.map(keyOf);
          everSent.push(...written);
          const keys = [...written, ...everSent.slice(0, step.replays)];
          await finishUnfinishedPlans(deps.tallies, fence);
          const due = await deps.tallies.dueForRejudging(1, sinceMs, nowMs);
          deps.tallies.stopAfter = step.stopAfter;
          try {
            await countRecords(deps, run, [...keys, ...due]);
          } catch (error) {
            expect((error as Error).message).toBe('stopped');
            // the next run finishes the plan, and counts everything again (the notes were not cleared)
            await finishUnfinishedPlans(deps.tallies, fence);
            await countRecords(deps, run, [...keys, ...due]);
          }
          sinceMs = nowMs;
          const stored = await deps.records.getMany([...new Set(everSent)]);
          const want: Cells = new Map();
          for (const record of stored.values()) addInto(want, tallyOf(JSON.parse(record.body) as RecordCopy, nowMs, FIRST));
          const got = await deps.tallies.getCells(1, [...new Set([...want.keys(), ...deps.tallies.seen])]);
          expect(got).toEqual(want);
          // a replay of everything changes nothing, and writes nothing
          const before = deps.tallies.requests.writes;
          expect((await countRecords(deps, run, everSent)).size).toBe(0);
          expect(deps.tallies.requests.writes).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a record moved to another unit leaves the first unit\'s cells as they were without it', async () => {
    const deps = await setUp();
    const nowMs = Date.parse('2024-04-10T00:00:00+07:00');
    const run = { generation: 1, firstMonth: FIRST, nowMs, fence, keep: async () => undefined };
    const copy = { type: 'feedback', id: 'f1', unitId: 'w1', field: 'other', category: 'other', receivedAt: '2024-03-01T08:00:00+07:00', dueAt: '2024-03-05T08:00:00+07:00', resolvedAt: null, likes: 0, dislikes: 0, reComplained: false, wardId: null, updatedAt: '2024-03-01T09:00:00+07:00' } as const;
    await deps.records.putIfNewer([toStoredRecord(copy)], { writtenBy: { keyId: 'k', keyName: 'k', at: '' } });
    await countRecords(deps, run, ['feedback#f1']);
    expect((await deps.tallies.listCells(1, '2024-03')).get('w1')).toMatchObject({ feedback: 1, feedbackOpen: 1 });
    await deps.records.putIfNewer([toStoredRecord({ ...copy, unitId: 'w2', updatedAt: '2024-03-02T09:00:00+07:00' })], { writtenBy: { keyId: 'k', keyName: 'k', at: '' } });
    await countRecords(deps, run, ['feedback#f1']);
    const march = await deps.tallies.listCells(1, '2024-03');
    expect(march.has('w1')).toBe(false);
    expect(march.get('w2')).toMatchObject({ feedback: 1, feedbackOpen: 1 });
  });
});
