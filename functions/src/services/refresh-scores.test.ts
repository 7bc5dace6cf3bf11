/**
 * The scorer on the in-memory twins: after any sequence of copies (new, later, tombstones, procedures changing
 * their flags, records moving units), replays, the clock moving across due dates and month starts, and a
 * recompute, every period's stored scores equal the engine's full recompute (`scoreAll`) at the run's instant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHOD_766_V1 } from '../../../shared-types/src/method.ts';
import type { RecordCopy } from '../../../shared-types/src/records.ts';
import { HOUR, T0, recordsArb } from '../domain/engine/arbitraries.ts';
import { latestByType, scoreAll } from '../domain/engine/index.ts';
import { dossier, units } from '../domain/engine/test-helpers.ts';
import { toStoredRecord } from '../domain/ingest/classify.ts';
import { MemoryRecordStore } from '../store/memory/record-store.ts';
import { MemoryScoringStore } from '../store/memory/scoring-store.ts';
import { MemoryTallyStore } from '../store/memory/tally-store.ts';
import { periodIdsFor, refreshScores, requestRecompute, type ScoringConfig } from './refresh-scores.ts';
import { asStructure, structureOf, type Structure } from '../domain/structure/structure.ts';
import { onlyMethod } from '../commons/city.ts';

const DAY = 24 * HOUR;
const keyOf = (copy: RecordCopy) => `${copy.type}#${copy.id}`;

/**
 * The same city changing structure on 1 April 2024: the district and ward w2 cease, w1 lives on directly under the
 * city (a new parent), a new ward w3 takes over w2.
 */
const changing = structureOf([
  { registry: 'before', validFrom: '2023-01-01', validTo: '2024-03-31', units },
  {
    registry: 'after', validFrom: '2024-04-01', validTo: null,
    units: [
      ...units.filter((u) => u.kind === 'city' || u.kind === 'department'),
      { ...units.find((u) => u.id === 'w1')!, parentId: 'city' },
      { ...units.find((u) => u.id === 'w2')!, id: 'w3', parentId: 'city', predecessors: [{ id: 'w2' }] },
    ],
  },
]);

function setUp(clock: { now: number }, structure: Structure = asStructure(units)) {
  const state = new MemoryScoringStore();
  const deps = { records: new MemoryRecordStore(), state, tallies: new MemoryTallyStore(state) };
  const config: ScoringConfig = { structure, methods: onlyMethod(METHOD_766_V1), fields: [], firstMonth: '2023-12', now: () => clock.now };
  /** The oracle: the engine over what the records store holds (a copy in conflict with a stored one is not stored). */
  const expectRecompute = async (sent: RecordCopy[]) => {
    const asOf = new Date(clock.now).toISOString();
    const stored = await deps.records.getMany([...new Set(sent.map(keyOf))]);
    const { procedures, dossiers, feedback } = latestByType([...stored.values()].map((record) => JSON.parse(record.body) as RecordCopy));
    const records = [...procedures.values(), ...dossiers.values(), ...feedback.values()];
    for (const period of periodIdsFor(config)) {
      const stored = state.getPeriodScores(period);
      const want = scoreAll({ units: structure, records, periods: [period], method: METHOD_766_V1, asOf });
      // A period whose figures did not move keeps the instant it was last judged at.
      expect(stored?.scores.map(({ asOf: _, provisional: __, ...rest }) => rest), `${period} at ${asOf}`).toEqual(want.map(({ asOf: _, provisional: __, ...rest }) => rest));
      expect(stored?.provisional, period).toBe(want[0].provisional);
    }
  };
  return { deps, state, config, expectRecompute };
}

const stepArb = fc.record({
  copies: recordsArb,
  replays: fc.nat(4),
  advanceHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 45 * 24 })),
  recompute: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
});

describe('the scorer on the in-memory twins', () => {
  it.each([
    ['one registry', asStructure(units), 40],
    ['a change of structure on 1 April 2024 (units retired, reparented, succeeded)', changing, 25],
  ] as const)('stores, at every run, the scores of a full recompute at its instant: %s', async (_, structure, numRuns) => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 5 }), async (steps) => {
        const clock = { now: T0 + 10 * DAY };
        const { deps, state, config, expectRecompute } = setUp(clock, structure);
        const sent: RecordCopy[] = [];
        for (const step of steps) {
          clock.now += step.advanceHours * HOUR;
          sent.push(...step.copies);
          await deps.records.putIfNewer(step.copies.map(toStoredRecord), { writtenBy: { keyId: 'k', keyName: 'k', at: '' } });
          await state.markRecordsDirty([...step.copies.map(keyOf), ...sent.slice(0, step.replays).map(keyOf)]);
          if (step.recompute) await requestRecompute(deps);
          const result = await refreshScores(deps, config);
          expect(result.skipped).toBeUndefined();
          await expectRecompute(sent);
        }
      }),
      { numRuns },
    );
  });

  it('a recompute requested while a run is saving its state is not lost: the next run rebuilds', async () => {
    const clock = { now: Date.parse('2024-03-20T12:00:00+07:00') };
    const { deps, state, config } = setUp(clock);
    await refreshScores(deps, config);
    const generation = () => state.getMeta('scoring').then((meta) => meta?.generation);
    const first = await generation();
    // The request lands between the run's read of its state and its writes.
    const getMeta = state.getMeta.bind(state);
    let requested = false;
    state.getMeta = async (name) => {
      const value = await getMeta(name);
      if (name === 'scoring' && !requested) {
        requested = true;
        await requestRecompute(deps);
      }
      return value;
    };
    clock.now += 60_000;
    await refreshScores(deps, config);
    expect(requested).toBe(true);
    await refreshScores(deps, config);
    expect(await generation()).toBe(Number(first) + 1);
    await refreshScores(deps, config);
    expect(await generation()).toBe(Number(first) + 1);
  });

  it('a month whose records are all finished becomes final when it ends, with nothing to count', async () => {
    const clock = { now: Date.parse('2024-03-20T12:00:00+07:00') };
    const { deps, state, config, expectRecompute } = setUp(clock);
    const done = dossier({ receivedAt: '2024-03-05T08:00:00+07:00', completedAt: '2024-03-06T08:00:00+07:00' });
    await deps.records.putIfNewer([toStoredRecord(done)], { writtenBy: { keyId: 'k', keyName: 'k', at: '' } });
    await state.markRecordsDirty([keyOf(done)]);
    await refreshScores(deps, config);
    expect(state.getPeriodScores('2024-03')?.provisional).toBe(true);
    clock.now = Date.parse('2024-04-02T00:00:00+07:00');
    const result = await refreshScores(deps, config);
    expect(result.records).toBe(0);
    expect(result.periods.sort()).toEqual(['2024-03', '2024-04', '2024-Q1', '2024-Q2']);
    expect(state.getPeriodScores('2024-03')?.provisional).toBe(false);
    await expectRecompute([done]);
  });

  it('a run with nothing new and no due date passed reads no record and scores nothing', async () => {
    const clock = { now: Date.parse('2024-03-20T12:00:00+07:00') };
    const { deps, config } = setUp(clock);
    await refreshScores(deps, config);
    clock.now += 60_000;
    const before = { ...deps.records.requests };
    expect(await refreshScores(deps, config)).toEqual({ records: 0, periods: [] });
    expect(deps.records.requests).toEqual(before);
  });

  it('a new method with its month is data: every period is scored again, from then on with the new method, counting nothing', async () => {
    const clock = { now: Date.parse('2024-04-20T12:00:00+07:00') };
    const { deps, state, config } = setUp(clock);
    const records = [
      dossier({ id: 'late', receivedAt: '2024-01-05T08:00:00+07:00', dueAt: '2024-01-10T08:00:00+07:00', completedAt: '2024-01-20T08:00:00+07:00', updatedAt: '2024-01-20T09:00:00+07:00' }),
      dossier({ id: 'april', receivedAt: '2024-04-05T08:00:00+07:00', dueAt: '2024-04-10T08:00:00+07:00', completedAt: '2024-04-06T08:00:00+07:00', updatedAt: '2024-04-06T09:00:00+07:00' }),
    ];
    await deps.records.putIfNewer(records.map(toStoredRecord), { writtenBy: { keyId: 'k', keyName: 'k', at: '' } });
    await state.markRecordsDirty(records.map(keyOf));
    await refreshScores(deps, config);
    // 766-v2: progress (2.1) on a threshold of 0.9
    const v2 = { ...METHOD_766_V1, id: '766-v2', indicators: METHOD_766_V1.indicators.map((i) => (i.id === '2.1' ? { ...i, rule: 'threshold' as const, threshold: 0.9 } : i)) };
    const methods = [{ activeFrom: '2023-12', method: METHOD_766_V1 }, { activeFrom: '2024-03', method: v2 }];
    const before = { ...deps.records.requests };
    const result = await refreshScores(deps, { ...config, methods });
    expect(result.records).toBe(0);
    expect(deps.records.requests).toEqual(before);
    expect(result.periods.sort()).toEqual(periodIdsFor(config).sort());
    const asOf = new Date(clock.now).toISOString();
    for (const period of periodIdsFor(config)) {
      const method = period >= '2024-03' && period !== '2024-Q1' && period !== '2024' ? v2 : METHOD_766_V1;
      const stored = state.getPeriodScores(period)!;
      expect(stored.method, period).toBe(method.id);
      expect(stored.scores.every((score) => score.method === method.id), period).toBe(true);
      const want = scoreAll({ units, records, periods: [period], method, asOf });
      expect(stored.scores.map(({ asOf: _, ...rest }) => rest), period).toEqual(want.map(({ asOf: _, ...rest }) => rest));
    }
  });
});
