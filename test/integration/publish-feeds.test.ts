/**
 * Atom feeds published with the snapshots (issue 19), on DynamoDB Local and a folder: the publisher writes
 * data/feeds/city.xml (every unit's band crossings and the city's score changes) and data/feeds/units/<id>.xml for
 * each unit whose history it writes, from the complete periods only, each against the previous period of its kind.
 * What it writes equals what feeds.ts makes of the snapshots it published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoRecordStore } from '../../functions/src/store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../../functions/src/store/dynamodb/tally-store.ts';
import { FsBlobStore } from '../../functions/src/store/blobs/fs-blob-store.ts';
import { refreshScores } from '../../functions/src/services/refresh-scores.ts';
import { publishSnapshots } from '../../functions/src/services/publish-snapshots.ts';
import { cityFeedEntries, cityFeedXml, feedContext, unitFeedXml, type FeedEntry } from '../../functions/src/services/feeds.ts';
import { toStoredRecord } from '../../functions/src/domain/ingest/classify.ts';
import { dossier } from '../../functions/src/domain/engine/test-helpers.ts';
import type { ScoresSnapshot, UnitHistorySnapshot } from '../../shared-types/src/snapshots.ts';
import { METHOD_766_V1 } from '../../shared-types/src/method.ts';
import type { SourceRecord } from '../../shared-types/src/records.ts';
import { syntheticRecords, syntheticUnits } from '../support/synthetic-city.ts';
import { asStructure } from '../../functions/src/domain/structure/structure.ts';
import { onlyMethod } from '../../functions/src/commons/city.ts';

const units = syntheticUnits(40);
const local = (s: string) => Date.parse(`${s}+07:00`);
// 2 April 2024: February and March are complete, Q1 too; the year 2024 is ongoing
let clock = local('2024-04-02T12:00:00');
let dynamo: LocalDynamo;
let records: DynamoRecordStore;
let state: DynamoStateStore;
let tallies: DynamoTallyStore;
const blobs = new FsBlobStore(mkdtempSync(join(tmpdir(), 'publish-feeds-')));
const city = { name: { vi: 'Thành phố Thử', en: 'Test City' }, timeZone: 'Asia/Ho_Chi_Minh', peerGroups: [] };
const config = () => ({ structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], city, now: () => clock });
const read = async <T>(path: string) => JSON.parse((await blobs.get(`data/${path}`))!) as T;
const ctx = feedContext(units, () => METHOD_766_V1.bands);

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint, 'feeds-');
  const client = localClient(dynamo.endpoint);
  records = new DynamoRecordStore(client, 'feeds-Records');
  tallies = new DynamoTallyStore(client, 'feeds-State');
  state = new DynamoStateStore(client, 'feeds-State');
  // February: one dossier a ward, late (every ward's progress low); March: the synthetic month, mostly on time
  const february: SourceRecord[] = units.filter((u) => u.kind === 'ward').map((u) => dossier({
    id: `feb-${u.id}`, unitId: u.id, procedureId: `p-${u.id}`, receivedAt: '2024-02-05T08:00:00+07:00', dueAt: '2024-02-06T08:00:00+07:00',
    completedAt: '2024-02-20T08:00:00+07:00', updatedAt: '2024-02-20T08:00:00+07:00',
  }));
  const copies = [...syntheticRecords(units, 3), ...february];
  await records.putIfNewer(copies.map(toStoredRecord), { writtenBy: { keyId: 'test', keyName: 'feeds test', at: new Date(clock).toISOString() } });
  await state.markRecordsDirty(copies.map((copy) => `${copy.type}#${copy.id}`));
  await refreshScores({ records, state, tallies }, { ...config(), firstMonth: '2024-02' });
}, 120_000);
afterAll(async () => dynamo?.stop());

describe('Atom feeds published with the snapshots', () => {
  it('the city feed: band crossings and the city\'s change of the complete periods, as feeds.ts makes them of the published snapshots', async () => {
    const result = await publishSnapshots({ state, blobs }, config());
    expect(result.written).toEqual(expect.arrayContaining(['feeds/city.xml', 'feeds/city.json']));
    const [february, march] = await Promise.all(['2024-02', '2024-03'].map((p) => read<ScoresSnapshot>(`scores/${p}.json`)));
    expect(march.provisional).toBe(false);
    const expected = cityFeedEntries(march.scores, february.scores, 'city', ctx);
    const entries = await read<FeedEntry[]>('feeds/city.json');
    expect(entries).toEqual(expected);
    expect(entries.some((e) => e.unitId === 'city' && e.kind === 'change')).toBe(true);
    // one band entry per unit whose band differs from February's (the wording is feeds.test.ts's)
    const crossed = march.scores.filter((s) => { const b = february.scores.find((f) => f.unitId === s.unitId); return b && b.band !== s.band; });
    expect(entries.filter((e) => e.kind === 'band').map((e) => e.unitId).sort()).toEqual(crossed.map((s) => s.unitId).sort());
    expect(entries.every((e) => e.period === '2024-03')).toBe(true); // no entry for February (no January) nor the ongoing year
    const xml = (await blobs.get('data/feeds/city.xml'))!;
    expect(xml).toBe(cityFeedXml(expected, city.name, new Date(clock).toISOString()));
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="/data/feeds/city.xml"/>');
    expect(xml).toContain('<title>Thành phố Thử — Bản đồ thể chế</title>');
  });

  it('a unit\'s feed for every unit whose history was written, from its history', async () => {
    const ward = units.find((u) => u.kind === 'ward')!;
    const history = await read<UnitHistorySnapshot>(`units/${ward.id}.json`);
    const xml = (await blobs.get(`data/feeds/units/${ward.id}.xml`))!;
    expect(xml).toBe(unitFeedXml(ward.id, history.history, ctx, history.asOf));
    expect(xml).toContain('<entry>');
    for (const unit of units) expect(await blobs.get(`data/feeds/units/${unit.id}.xml`), unit.id).toBeDefined();
  });

  it('a later run that publishes February again makes March\'s entries again (they compare with February), and keeps the others', async () => {
    clock += 3_600_000;
    const ward = units.find((u) => u.kind === 'ward')!;
    const late = dossier({ id: 'late-feb', unitId: ward.id, procedureId: `p-${ward.id}`, receivedAt: '2024-02-10T08:00:00+07:00', dueAt: '2024-02-12T08:00:00+07:00', completedAt: '2024-02-11T08:00:00+07:00', updatedAt: '2024-04-02T13:00:00+07:00' });
    await records.putIfNewer([toStoredRecord(late)], { writtenBy: { keyId: 'test', keyName: 'feeds test', at: new Date(clock).toISOString() } });
    await state.markRecordsDirty([`dossier#late-feb`]);
    await refreshScores({ records, state, tallies }, { ...config(), firstMonth: '2024-02' });
    const before = await read<FeedEntry[]>('feeds/city.json');
    const again = await publishSnapshots({ state, blobs }, config());
    expect(again.written).toContain('scores/2024-02.json');
    expect(again.written).toContain('feeds/city.xml');
    expect(again.written).not.toContain('scores/2024-03.json');
    const [february, march] = await Promise.all(['2024-02', '2024-03'].map((p) => read<ScoresSnapshot>(`scores/${p}.json`)));
    const after = await read<FeedEntry[]>('feeds/city.json');
    expect(after.filter((e) => e.period === '2024-03')).toEqual(cityFeedEntries(march.scores, february.scores, 'city', ctx));
    // the city's change since February moved with February's late dossier; the entries of other periods are kept
    expect(after.find((e) => e.unitId === 'city' && e.kind === 'change')!.title).not.toBe(before.find((e) => e.unitId === 'city' && e.kind === 'change')!.title);
    expect(after.filter((e) => e.period !== '2024-03' && e.period !== '2024-02')).toEqual(before.filter((e) => e.period !== '2024-03' && e.period !== '2024-02'));
  });
});
