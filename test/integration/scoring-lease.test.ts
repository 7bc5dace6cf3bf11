/**
 * One scorer and one publisher at a time, however long a run takes, on DynamoDB Local: scorers started
 * together never work at the same moment and leave the scores one scorer leaves; a long run keeps its lease
 * by renewing it; a run that died holding it delays the next ones until it expires; a run that outlived its
 * lease stops before writing anything more.
 *
 * The lease is measured on a clock of the test's own (advanced as the runs read records), so no assertion
 * depends on how fast this machine is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoRecordStore } from '../../functions/src/store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../../functions/src/store/dynamodb/tally-store.ts';
import { FsBlobStore } from '../../functions/src/store/blobs/fs-blob-store.ts';
import { refreshScores, type ScoringConfig, type ScoringResult } from '../../functions/src/services/refresh-scores.ts';
import { publishSnapshots } from '../../functions/src/services/publish-snapshots.ts';
import { toStoredRecord } from '../../functions/src/domain/ingest/classify.ts';
import { scoreAll } from '../../functions/src/domain/engine/index.ts';
import { METHOD_766_V1 } from '../../shared-types/src/method.ts';
import type { SourceRecord } from '../../shared-types/src/records.ts';
import type { ScoresSnapshot } from '../../shared-types/src/snapshots.ts';
import type { StoredRecord } from '../../functions/src/store/ports.ts';
import { syntheticRecords, syntheticUnits } from '../support/synthetic-city.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { asStructure } from '../../functions/src/domain/structure/structure.ts';
import { onlyMethod } from '../../functions/src/commons/city.ts';

const units = syntheticUnits(40);
const sent: SourceRecord[] = syntheticRecords(units, 2);
/** Every record stored: the first run (a rebuild) counts each once. */
const recordCount = new Set(sent.map((record) => `${record.type}#${record.id}`)).size;
const wards = units.filter((unit) => unit.kind === 'ward').map((unit) => unit.id);
const NOW = Date.parse('2024-03-29T12:00:00+07:00');
const PERIODS = ['2024-03', '2024-Q1', '2024'];
const TTL = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dynamo: LocalDynamo;
let client: DynamoDBClient;
beforeAll(async () => {
  dynamo = await startDynamo();
  client = localClient(dynamo.endpoint);
});
afterAll(async () => dynamo?.stop());

/**
 * One table pair per test, and a trace of the work each run does: which run is reading records or writing
 * scores at any moment. Two runs with work in flight at once is an overlap.
 */
async function setUp(prefix: string) {
  await ensureTables(dynamo.endpoint, prefix);
  const tables = { records: `${prefix}Records`, state: `${prefix}State` };
  let leaseClock = 0;
  const inFlight = new Map<string, number>();
  const trace = { overlaps: 0, work: new Map<string, number>() };
  /** Hook run inside a run's record read, after the lease clock moved (for the takeover test). */
  let duringRead: (run: string) => Promise<void> = async () => undefined;
  const enter = (run: string) => {
    if ([...inFlight].some(([other, count]) => other !== run && count > 0)) trace.overlaps += 1;
    inFlight.set(run, (inFlight.get(run) ?? 0) + 1);
    trace.work.set(run, (trace.work.get(run) ?? 0) + 1);
  };
  const leave = (run: string) => inFlight.set(run, inFlight.get(run)! - 1);

  /** The stores one run sees: slow record reads that move the lease clock, traced score writes. */
  const storesFor = (run: string) => {
    class SlowRecords extends DynamoRecordStore {
      override async listByUnit(unitId: string): Promise<StoredRecord[]> {
        enter(run);
        try {
          await sleep(3);
          leaseClock += 100;
          await duringRead(run);
          return await super.listByUnit(unitId);
        } finally {
          leave(run);
        }
      }
    }
    class TracedState extends DynamoStateStore {
      override async putPeriodScores(snapshot: ScoresSnapshot): Promise<boolean> {
        enter(run);
        try {
          return await super.putPeriodScores(snapshot);
        } finally {
          leave(run);
        }
      }
    }
    return { records: new SlowRecords(client, tables.records), state: new TracedState(client, tables.state), tallies: new DynamoTallyStore(client, tables.state) };
  };
  const plain = { records: new DynamoRecordStore(client, tables.records), state: new DynamoStateStore(client, tables.state) };
  await plain.records.putIfNewer(sent.map(toStoredRecord), { writtenBy: { keyId: 'test', keyName: 'lease test', at: new Date(NOW).toISOString() } });
  const config: ScoringConfig = { structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], firstMonth: '2024-03', now: () => NOW, lease: { ttlMs: TTL, clock: () => leaseClock } };
  let runs = 0;
  const score = async (name: string) => {
    const run = `${name}#${++runs}`;
    return { run, result: await refreshScores(storesFor(run), config) };
  };
  const expectOneScorersResult = async () => {
    const asOf = new Date(NOW).toISOString();
    for (const period of PERIODS) {
      const stored = await plain.state.getPeriodScores(period);
      expect(stored?.scores, period).toEqual(scoreAll({ units, records: sent, periods: [period], method: METHOD_766_V1, asOf }));
    }
  };
  return {
    ...plain, tables, trace, score, expectOneScorersResult, config,
    advanceLeaseClock: (ms: number) => (leaseClock += ms),
    leaseClock: () => leaseClock,
    onRead: (hook: (run: string) => Promise<void>) => (duringRead = hook),
  };
}

describe('one scorer at a time', () => {
  it('two scorers started together, again and again while units turn dirty, never work at once, and leave what one scorer leaves', async () => {
    const t = await setUp('lease-a-');
    const results: { run: string; result: ScoringResult }[] = [];
    const scorer = async (name: string) => {
      for (let round = 0; round < 12; round++) {
        results.push(await t.score(name));
        await t.state.markDirty(wards.slice((round * 7) % wards.length, ((round * 7) % wards.length) + 7));
      }
    };
    await Promise.all([scorer('A'), scorer('B')]);
    while ((await t.state.listDirty()).length > 0) await t.score('settle');

    expect(t.trace.overlaps).toBe(0);
    const skipped = results.filter((r) => r.result.skipped);
    const scored = results.filter((r) => !r.result.skipped && r.result.records > 0);
    expect(scored.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0); // they did collide, and one gave way
    for (const { run, result } of skipped) {
      // A run that cannot take the lease returns at once: no record read, no score written.
      expect(result).toEqual({ records: 0, periods: [], skipped: 'held elsewhere' });
      expect(t.trace.work.get(run) ?? 0).toBe(0);
    }
    await t.expectOneScorersResult();
    expect(await t.state.takeLease('scoring', 'probe', t.leaseClock(), t.leaseClock() + 1)).toBe(true); // released at the end
  });

  it('a run longer than its lease keeps it by renewing: a scorer started meanwhile gives way every time', async () => {
    const t = await setUp('lease-b-');
    let contenderRuns = 0;
    let first: Promise<{ run: string; result: ScoringResult }> | undefined;
    t.onRead(async (run) => {
      // While the first run reads (it spans 40 × 100 ms of lease clock, four lease lengths), another scorer tries.
      if (!run.startsWith('long')) return;
      contenderRuns += 1;
      const { result } = await t.score('contender');
      expect(result.skipped).toBe('held elsewhere');
    });
    first = t.score('long');
    const { result } = await first;
    expect(result.skipped).toBeUndefined();
    expect(result.records).toBe(recordCount);
    expect(t.leaseClock()).toBeGreaterThan(3 * TTL);
    expect(contenderRuns).toBeGreaterThan(30);
    expect(t.trace.overlaps).toBe(0);
    await t.expectOneScorersResult();
  });

  it('a run that died holding the lease delays the next ones until it expires, then scoring goes on', async () => {
    const t = await setUp('lease-c-');
    expect(await t.state.takeLease('scoring', 'a run that crashed', t.leaseClock(), t.leaseClock() + TTL)).toBe(true);
    expect((await t.score('next')).result).toEqual({ records: 0, periods: [], skipped: 'held elsewhere' });
    t.advanceLeaseClock(TTL - 1);
    expect((await t.score('next')).result.skipped).toBe('held elsewhere');
    t.advanceLeaseClock(2);
    const { result } = await t.score('after expiry');
    expect(result.skipped).toBeUndefined();
    expect(result.records).toBe(recordCount);
    await t.expectOneScorersResult();
  });

  it('a run that outlived its lease (another took it over) stops before writing any score; the new holder does the work', async () => {
    const t = await setUp('lease-d-');
    let takeover: { run: string; result: ScoringResult } | undefined;
    t.onRead(async (run) => {
      if (!run.startsWith('paused') || takeover) return;
      t.advanceLeaseClock(2 * TTL); // this run is stuck past its lease …
      t.onRead(async () => undefined);
      takeover = await t.score('takeover'); // … and another run takes it over and scores everything
    });
    const paused = await t.score('paused');
    expect(takeover!.result.records).toBe(recordCount);
    expect(paused.result).toEqual({ records: 0, periods: [], skipped: 'lost' });
    expect(t.trace.overlaps).toBeGreaterThan(0); // they did run at once: the takeover happened inside the paused run's read …
    await t.expectOneScorersResult(); // … yet the paused run wrote nothing after it, and the scores are one scorer's
  });
});

describe('one publisher at a time', () => {
  it('two publishers started together: one publishes, the other returns at once', async () => {
    const t = await setUp('lease-p-');
    await t.score('first');
    const dir = mkdtempSync(join(tmpdir(), 'lease-publish-'));
    let inFlight = 0;
    let overlaps = 0;
    const owners = new Set<string>();
    const blobsFor = (name: string) =>
      new (class extends FsBlobStore {
        override async put(path: string, body: string | Uint8Array): Promise<void> {
          if (inFlight > 0 && !owners.has(name)) overlaps += 1;
          inFlight += 1;
          owners.add(name);
          try {
            await sleep(2);
            await super.put(path, body);
          } finally {
            inFlight -= 1;
            if (inFlight === 0) owners.clear();
          }
        }
      })(dir);
    const publishConfig = { structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], now: () => NOW, lease: { ttlMs: TTL, clock: () => t.leaseClock() } };
    const [a, b] = await Promise.all([
      publishSnapshots({ state: t.state, blobs: blobsFor('A') }, publishConfig),
      publishSnapshots({ state: t.state, blobs: blobsFor('B') }, publishConfig),
    ]);
    expect(overlaps).toBe(0);
    expect([a.skipped, b.skipped].filter(Boolean)).toEqual(['held elsewhere']);
    const published = a.skipped ? b : a;
    expect(published.written).toContain('scores/2024-03.json');
    expect(published.written).toContain('latest.json');
  });
});
