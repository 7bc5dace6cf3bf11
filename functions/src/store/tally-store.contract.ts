/** The contract every TallyStore keeps, run against the in-memory twin and DynamoDB Local alike. */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { cellKey } from '../domain/tally/tally.ts';
import { LeaseLost, type CountedCopy, type Fence, type Leases, type TallyPlan, type TallyStore } from './ports.ts';

const DAY = 86_400_000;
const T = Date.parse('2026-11-30T10:00:00Z');
const copy = (key: string, rejudgeAfterMs: number | null, body = `{"id":"${key}"}`): CountedCopy => ({ key, hash: `h-${key}`, body, judgedAtMs: T, rejudgeAfterMs });
const march = (unitId: string) => cellKey({ unitId, period: '2026-03' });

/** A store and the leases of the same table, with the `scoring` lease held by a run: its fence. */
async function setUp(fresh: () => Promise<{ tallies: TallyStore; leases: Leases }>) {
  const { tallies, leases } = await fresh();
  const fence: Fence = { lease: 'scoring', owner: 'run-1' };
  await leases.takeLease(fence.lease, fence.owner, 0, 1_000);
  return { store: tallies, leases, fence };
}

export function tallyStoreContract(fresh: () => Promise<{ tallies: TallyStore; leases: Leases }>) {
  it('applies a plan once: applying it again, or an older plan after it, changes nothing', async () => {
    const { store, fence } = await setUp(fresh);
    const first: TallyPlan = { seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { dossiers: 2, 'p~x~online': 1 }]], counted: [copy('dossier#a', null)] };
    const second: TallyPlan = { seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { dossiers: 1 }], [march('w2'), { feedback: 1 }]], counted: [] };
    expect(second.seq).toBeGreaterThan(first.seq);
    await store.applyPlan(first);
    await store.applyPlan(second);
    await store.applyPlan(second);
    await store.applyPlan(first);
    const cells = await store.getCells(1, [march('w1'), march('w2'), march('w3')]);
    expect(cells.get(march('w1'))).toEqual({ dossiers: 3, 'p~x~online': 1 });
    expect(cells.get(march('w2'))).toEqual({ feedback: 1 });
    expect(cells.has(march('w3'))).toBe(false);
    expect(await store.listCells(1, '2026-03')).toEqual(new Map([['w1', { dossiers: 3, 'p~x~online': 1 }], ['w2', { feedback: 1 }]]));
    expect((await store.listCells(2, '2026-03')).size).toBe(0); // generations are apart
  });

  it('a counter that comes back to 0 is dropped from its cell', async () => {
    const { store, fence } = await setUp(fresh);
    await store.applyPlan({ seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { dossiers: 1, feedback: 2 }]], counted: [] });
    await store.applyPlan({ seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { dossiers: -1 }]], counted: [] });
    expect((await store.getCells(1, [march('w1')])).get(march('w1'))).toEqual({ feedback: 2 });
    // a cell that comes back to nothing is absent
    await store.applyPlan({ seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { feedback: -2 }]], counted: [] });
    expect((await store.getCells(1, [march('w1')])).size).toBe(0);
    expect((await store.listCells(1, '2026-03')).size).toBe(0);
  });

  it('keeps the counted copy of the latest plan, and finds those the clock moved, by generation and range', async () => {
    const { store, fence } = await setUp(fresh);
    const older = await store.nextPlanSeq();
    const newer = await store.nextPlanSeq();
    await store.applyPlan({ seq: newer, generation: 1, cells: [], counted: [copy('dossier#a', T + 2 * DAY), copy('dossier#b', T + 5 * DAY), copy('feedback#c', null)] });
    await store.applyPlan({ seq: older, generation: 1, cells: [], counted: [copy('dossier#a', T + 1, 'older')] });
    await store.applyPlan({ seq: newer, generation: 2, cells: [], counted: [copy('dossier#z', T + DAY)] });
    const counted = await store.getCounted(1, ['dossier#a', 'feedback#c', 'dossier#none']);
    expect(counted.get('dossier#a')).toEqual(copy('dossier#a', T + 2 * DAY));
    expect(counted.get('feedback#c')?.rejudgeAfterMs).toBeNull();
    expect(counted.has('dossier#none')).toBe(false);
    expect(await store.dueForRejudging(1, T, T + 2 * DAY)).toEqual([]); // rejudgeAfter must be before the end
    expect(await store.dueForRejudging(1, T + 9 * DAY, T + 9 * DAY)).toEqual([]); // an empty range
    expect(await store.dueForRejudging(1, T, T + 2 * DAY + 1)).toEqual(['dossier#a']);
    expect((await store.dueForRejudging(1, T, T + 9 * DAY)).sort()).toEqual(['dossier#a', 'dossier#b']);
    expect(await store.dueForRejudging(1, T + 2 * DAY + 1, T + 9 * DAY)).toEqual(['dossier#b']);
    expect(await store.dueForRejudging(2, T, T + 9 * DAY)).toEqual(['dossier#z']);
    // a later plan moves a copy out of the clock's way
    await store.applyPlan({ seq: await store.nextPlanSeq(), generation: 1, cells: [], counted: [copy('dossier#a', null)] });
    expect(await store.dueForRejudging(1, T, T + 9 * DAY)).toEqual(['dossier#b']);
  });

  it('keeps a written plan until it is deleted, whatever its size', async () => {
    const { store, fence } = await setUp(fresh);
    expect(await store.unfinishedPlan()).toBeUndefined();
    // ~1.4 MB of incompressible bodies: several parts on DynamoDB
    const counted = Array.from({ length: 700 }, (_, i) => copy(`dossier#${i}`, T + i, randomBytes(1_000).toString('base64')));
    const plan: TallyPlan = { seq: await store.nextPlanSeq(), generation: 3, cells: [[march('w1'), { dossiers: 700 }]], counted };
    await store.putPlan(plan, fence);
    expect(await store.unfinishedPlan()).toEqual(plan);
    await store.deletePlan(plan.seq);
    expect(await store.unfinishedPlan()).toBeUndefined();
  });

  it('writes a plan only under its lease; a plan written before a takeover is applied once, by both runs', async () => {
    const { store, leases, fence } = await setUp(fresh);
    const before: TallyPlan = { seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { dossiers: 1 }]], counted: [copy('dossier#a', null)] };
    await store.putPlan(before, fence);
    expect(await leases.takeLease('scoring', 'run-2', 5_000, 6_000)).toBe(true); // run-1's lease expired at 1,000
    const late: TallyPlan = { seq: await store.nextPlanSeq(), generation: 1, cells: [[march('w1'), { dossiers: 5 }]], counted: [copy('dossier#a', T, 'late')] };
    await expect(store.putPlan(late, fence)).rejects.toThrow(LeaseLost);
    expect((await store.unfinishedPlan())?.seq).toBe(before.seq);
    // run-2 finishes run-1's plan while run-1, not knowing it lost the lease, applies it too
    await Promise.all([store.applyPlan(before), store.applyPlan(before)]);
    expect((await store.getCells(1, [march('w1')])).get(march('w1'))).toEqual({ dossiers: 1 });
    await store.deletePlan(before.seq);
    await store.putPlan(late, { lease: 'scoring', owner: 'run-2' });
    await store.applyPlan(late);
    await store.applyPlan(before); // run-1, later still: changes nothing
    expect((await store.getCells(1, [march('w1')])).get(march('w1'))).toEqual({ dossiers: 6 });
    expect((await store.getCounted(1, ['dossier#a'])).get('dossier#a')?.body).toBe('late');
  });
}
