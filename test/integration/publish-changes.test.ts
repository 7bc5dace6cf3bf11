/**
 * The publisher on DynamoDB Local and a folder: it writes in parallel, only what changed (a final period
 * judged again with the same figures is left as it is, pins included), histories only for units whose score
 * moved, and never replaces a snapshot with one judged earlier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoRecordStore } from '../../functions/src/store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../../functions/src/store/dynamodb/tally-store.ts';
import { FsBlobStore } from '../../functions/src/store/blobs/fs-blob-store.ts';
import { refreshScores, requestRecompute } from '../../functions/src/services/refresh-scores.ts';
import { publishSnapshots } from '../../functions/src/services/publish-snapshots.ts';
import { toStoredRecord } from '../../functions/src/domain/ingest/classify.ts';
import { dossier } from '../../functions/src/domain/engine/test-helpers.ts';
import { pinId, type ScoresSnapshot, type UnitHistorySnapshot } from '../../shared-types/src/snapshots.ts';
import { METHOD_766_V1 } from '../../shared-types/src/method.ts';
import type { SourceRecord } from '../../shared-types/src/records.ts';
import { syntheticRecords, syntheticUnits } from '../support/synthetic-city.ts';
import { asStructure } from '../../functions/src/domain/structure/structure.ts';
import { onlyMethod } from '../../functions/src/commons/city.ts';

const units = syntheticUnits(40);
const local = (s: string) => Date.parse(`${s}+07:00`);
let clock = local('2024-03-29T12:00:00');
let dynamo: LocalDynamo;
let records: DynamoRecordStore;
let state: DynamoStateStore;
let tallies: DynamoTallyStore;
const dir = mkdtempSync(join(tmpdir(), 'publish-changes-'));
/** Units whose scores the publisher read back to rebuild their history. */
const historiesRead: string[] = [];
let inFlight = 0;
let mostInFlight = 0;
/** The folder, with every put slowed a little so that puts in parallel are seen in parallel. */
const blobs = new (class extends FsBlobStore {
  override async put(path: string, body: string | Uint8Array): Promise<void> {
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await super.put(path, body);
    } finally {
      inFlight -= 1;
    }
  }
})(dir);

const send = async (copies: SourceRecord[]) => {
  await records.putIfNewer(copies.map(toStoredRecord), { writtenBy: { keyId: 'test', keyName: 'publish test', at: new Date(clock).toISOString() } });
  await state.markRecordsDirty(copies.map((copy) => `${copy.type}#${copy.id}`));
};
const score = () => refreshScores({ records, state, tallies }, { structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], firstMonth: '2024-02', now: () => clock });
const publish = () => publishSnapshots({ state, blobs }, { structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], now: () => clock });
const read = async <T>(path: string) => JSON.parse((await blobs.get(`data/${path}`))!) as T;
const pinsAt = (instant: number) => {
  try {
    return readdirSync(join(dir, 'data/pins', pinId(new Date(instant).toISOString())!), { recursive: true }).map(String).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
};

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint, 'publish-');
  const client = localClient(dynamo.endpoint);
  records = new DynamoRecordStore(client, 'publish-Records');
  tallies = new DynamoTallyStore(client, 'publish-State');
  state = new (class extends DynamoStateStore {
    override getUnitScores(unitId: string, periods: string[]) {
      historiesRead.push(unitId);
      return super.getUnitScores(unitId, periods);
    }
  })(client, 'publish-State');
  await send(syntheticRecords(units, 2));
  await score();
});
afterAll(async () => dynamo?.stop());

describe('the publisher writes only what changed', () => {
  it('publishes every period, unit history and registry file the first time, several at once', async () => {
    const first = await publish();
    expect(first.periods.sort()).toEqual(['2024', '2024-02', '2024-03', '2024-Q1']);
    for (const period of first.periods) {
      for (const file of [`scores/${period}.json`, `scores/${period}.csv`, `rankings/${period}.json`, `feedback/${period}.json`, `feedback/${period}.csv`]) expect(first.written).toContain(file);
    }
    expect(first.written.filter((path) => path.startsWith('units/'))).toHaveLength(units.length);
    expect(first.written).toEqual(expect.arrayContaining(['units.json', 'method.json', 'fields.json', 'latest.json']));
    expect(mostInFlight).toBeGreaterThan(1);
    expect(await publish()).toEqual({ periods: [], written: [] }); // nothing queued, nothing written
  });

  it('a recompute an hour later: the final month is judged again with the same figures and not rewritten, nor pinned again; the ongoing ones are', async () => {
    const february = await blobs.get('data/scores/2024-02.json');
    clock += 3_600_000;
    await requestRecompute({ state });
    expect((await score()).periods.sort()).toEqual(['2024', '2024-02', '2024-03', '2024-Q1']);
    const again = await publish();
    expect(again.written.filter((path) => path.includes('2024-02'))).toEqual([]);
    expect(await blobs.get('data/scores/2024-02.json')).toBe(february);
    // Provisional periods say when they were judged: their new asOf is news, their figures are not.
    expect(again.written).toEqual(expect.arrayContaining(['scores/2024-03.json', 'rankings/2024-03.json', 'scores/2024.json', 'latest.json']));
    expect(again.written.filter((path) => path.startsWith('units/') || ['units.json', 'method.json', 'fields.json'].includes(path))).toEqual([]);
    expect(pinsAt(clock)).toEqual(['rankings/2024-Q1.json', 'rankings/2024-03.json', 'rankings/2024.json', 'scores/2024-Q1.json', 'scores/2024-03.json', 'scores/2024.json'].sort());
    expect((await read<ScoresSnapshot>('scores/2024-03.json')).asOf).toBe(new Date(clock).toISOString());
  });

  it('a late February dossier for one ward: February and the periods holding it are rewritten, and only the histories whose scores moved', async () => {
    clock += 60_000;
    const ward = units.find((unit) => unit.kind === 'ward')!;
    await send([dossier({ id: 'late-feb', unitId: ward.id, procedureId: `p-${ward.id}`, receivedAt: '2024-02-10T08:00:00+07:00', dueAt: '2024-02-12T08:00:00+07:00', completedAt: '2024-02-20T08:00:00+07:00', updatedAt: '2024-03-29T13:01:00+07:00' })]);
    const holding = ['2024-02', '2024-Q1', '2024'];
    const before = await Promise.all(holding.map((period) => read<ScoresSnapshot>(`scores/${period}.json`)));
    await score();
    historiesRead.length = 0;
    const late = await publish();
    for (const period of holding) expect(late.written).toContain(`scores/${period}.json`);
    // March's figures are not rewritten (its social preview pages are, below: they say "since February")
    expect(late.written.filter((path) => path.includes('2024-03') && !path.startsWith('share/'))).toEqual([]);
    const after = await Promise.all(holding.map((period) => read<ScoresSnapshot>(`scores/${period}.json`)));
    const figures = (score: object | undefined) => JSON.stringify({ ...score, asOf: 0 });
    const moved = new Set(after.flatMap((snapshot, i) => snapshot.scores.filter((s) => figures(s) !== figures(before[i].scores.find((b) => b.unitId === s.unitId))).map((s) => s.unitId)));
    expect(moved).toContain(ward.id);
    expect(moved).toContain('city');
    const histories = late.written.filter((path) => path.startsWith('units/')).map((path) => path.slice('units/'.length, -'.json'.length));
    expect(histories.length).toBeLessThan(units.length);
    expect(new Set(histories)).toEqual(moved);
    expect(new Set(historiesRead)).toEqual(moved); // nor reads any other unit's history
    const movedInFebruary = new Set(after[0].scores.filter((s) => figures(s) !== figures(before[0].scores.find((b) => b.unitId === s.unitId))).map((s) => s.unitId));
    const marchPages = late.written.filter((path) => path.startsWith('share/2024-03/units/')).map((path) => decodeURIComponent(path.slice('share/2024-03/units/'.length).replace(/\.(vi|en)\.html$/, '')));
    expect(new Set(marchPages)).toEqual(movedInFebruary);
    const history = await read<UnitHistorySnapshot>(`units/${ward.id}.json`);
    expect(history.history.find((score) => score.period === '2024-02')).toEqual(after[0].scores.find((score) => score.unitId === ward.id));
  });

  it('never replaces a snapshot with one judged earlier than the one it finds', async () => {
    // Someone published March as judged tomorrow (a newer run, say); this run's March is older than that.
    const newer = { ...(await read<ScoresSnapshot>('scores/2024-03.json')), asOf: new Date(clock + 86_400_000).toISOString() };
    await blobs.put('data/scores/2024-03.json', JSON.stringify(newer));
    const rankings = await blobs.get('data/rankings/2024-03.json');
    clock += 60_000;
    const ward = units.filter((unit) => unit.kind === 'ward')[3];
    await send([dossier({ id: 'late-mar', unitId: ward.id, procedureId: `p-${ward.id}`, receivedAt: '2024-03-11T08:00:00+07:00', dueAt: '2024-03-12T08:00:00+07:00', completedAt: '2024-03-20T08:00:00+07:00', updatedAt: '2024-03-29T13:02:00+07:00' })]);
    await score();
    const result = await publish();
    expect(result.periods).toContain('2024-03');
    expect(result.written.filter((path) => path.startsWith('scores/2024-03') || path.startsWith('rankings/2024-03'))).toEqual([]);
    expect(await read<ScoresSnapshot>('scores/2024-03.json')).toEqual(newer);
    expect(await blobs.get('data/rankings/2024-03.json')).toBe(rankings);
    expect(pinsAt(clock).filter((path) => path.includes('2024-03'))).toEqual([]);
  });
});
