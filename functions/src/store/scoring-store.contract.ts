/** The contract every ScoringStore keeps, run against the in-memory twin and DynamoDB Local alike. */
import { expect, it } from 'vitest';
import type { ScoresSnapshot } from '../../../shared-types/src/snapshots.ts';
import type { UnitScore } from '../../../shared-types/src/scores.ts';
import type { PeriodCounts, ScoringStore } from './ports.ts';

/** A store, and how its period scores read back (the scorer never reads them; the publisher and the API do). */
export interface ScoringStoreUnderTest {
  store: ScoringStore;
  scoresOf(period: string): Promise<ScoresSnapshot | undefined>;
}

const counts = (dossiers: number): PeriodCounts => ({ counts: { dossiers } as PeriodCounts['counts'] });
const withFeedback: PeriodCounts = { ...counts(3), feedback: { total: { received: 1 }, byField: {} } as unknown as PeriodCounts['feedback'] };
const snapshot = (asOf: string, total: number): ScoresSnapshot => ({
  period: '2026-11', method: '766-v1', asOf, provisional: false,
  scores: ['w1', 'w2'].map((unitId, i) => ({ unitId, total: total + i, rank: i + 1 }) as unknown as UnitScore),
});

export function scoringStoreContract(fresh: () => Promise<ScoringStoreUnderTest>) {
  it('dirty notes name every unit and record marked, and stay until cleared one by one', async () => {
    const { store } = await fresh();
    await store.markDirty([]);
    await store.markRecordsDirty([]);
    expect(await store.listDirty()).toEqual([]); // nothing marked, no note
    const units = Array.from({ length: 1_500 }, (_, i) => `w${i}`);
    await store.markDirty([...units, 'w0']);
    await store.markRecordsDirty(['dossier#a', 'dossier#b', 'dossier#a']);
    const notes = await store.listDirty();
    expect(notes.flatMap((note) => note.unitIds).sort()).toEqual([...units].sort());
    expect(notes.flatMap((note) => note.recordKeys).sort()).toEqual(['dossier#a', 'dossier#b']);
    for (const note of notes) expect(note.markedAtMs).toBeGreaterThan(Date.parse('2026-01-01'));
    const records = notes.find((note) => note.recordKeys.length > 0)!;
    await store.clearDirty(records);
    const left = await store.listDirty();
    expect(left.map((note) => note.id).sort()).toEqual(notes.filter((note) => note !== records).map((note) => note.id).sort());
    expect(left.flatMap((note) => note.recordKeys)).toEqual([]);
  });

  it('counts are one value per (period, unit): a later write replaces that unit\'s only', async () => {
    const { store } = await fresh();
    await store.putPeriodCounts('2026-11', new Map([['w1', counts(1)], ['w2', counts(2)]]));
    await store.putPeriodCounts('2026-11', new Map([['w2', withFeedback]]));
    await store.putPeriodCounts('2026-10', new Map([['w1', counts(9)]]));
    expect(await store.listPeriodCounts('2026-11')).toEqual(new Map([
      ['w1', counts(1)],
      ['w2', withFeedback],
    ]));
    expect(await store.listPeriodCounts('2026-12')).toEqual(new Map());
  });

  it('a period\'s scores are never replaced by ones judged at an earlier instant', async () => {
    const { store, scoresOf } = await fresh();
    expect(await store.putPeriodScores(snapshot('2026-12-01T00:00:00.000Z', 50))).toBe(true);
    expect(await store.putPeriodScores(snapshot('2026-11-30T00:00:00.000Z', 10))).toBe(false);
    expect(await scoresOf('2026-11')).toEqual(snapshot('2026-12-01T00:00:00.000Z', 50));
    expect(await store.putPeriodScores(snapshot('2026-12-02T00:00:00.000Z', 60))).toBe(true);
    expect(await scoresOf('2026-11')).toEqual(snapshot('2026-12-02T00:00:00.000Z', 60));
    expect(await scoresOf('2026-10')).toBeUndefined();
  });

  it('the watch list: entries written, replaced, and removed by null', async () => {
    const { store } = await fresh();
    await store.putWatch(new Map([['w1', { awaitingProcedure: 2 }], ['w2', { awaitingProcedure: 1 }]]));
    await store.putWatch(new Map([['w1', null], ['w2', { awaitingProcedure: 5 }]]));
    expect(await store.listWatch()).toEqual(new Map([['w2', { awaitingProcedure: 5 }]]));
  });

  it('meta items are stored by name, as copies', async () => {
    const { store } = await fresh();
    expect(await store.getMeta('scoring')).toBeUndefined();
    const value = { generation: 1, range: ['2026-01', '2026-11'] };
    await store.putMeta('scoring', value);
    value.generation = 2;
    expect(await store.getMeta('scoring')).toEqual({ generation: 1, range: ['2026-01', '2026-11'] });
    await store.putMeta('scoring', { generation: 3 });
    expect(await store.getMeta('scoring')).toEqual({ generation: 3 });
    expect(await store.getMeta('publish')).toBeUndefined();
  });

  it('a lease has one holder until it expires or is released; only the holder renews or releases it', async () => {
    const { store } = await fresh();
    expect(await store.takeLease('scoring', 'a', 1_000, 2_000)).toBe(true);
    expect(await store.takeLease('scoring', 'b', 1_500, 3_000)).toBe(false);
    expect(await store.renewLease('scoring', 'b', 5_000)).toBe(false);
    expect(await store.renewLease('scoring', 'a', 4_000)).toBe(true);
    expect(await store.takeLease('scoring', 'b', 3_000, 6_000)).toBe(false); // renewed until 4 000
    expect(await store.takeLease('scoring', 'b', 4_001, 6_000)).toBe(true); // expired
    await store.releaseLease('scoring', 'a'); // not the holder: nothing happens
    expect(await store.takeLease('scoring', 'c', 4_002, 7_000)).toBe(false);
    await store.releaseLease('scoring', 'b');
    expect(await store.takeLease('scoring', 'c', 4_003, 7_000)).toBe(true);
    expect(await store.takeLease('publishing', 'a', 4_003, 7_000)).toBe(true); // leases are apart
  });
}
