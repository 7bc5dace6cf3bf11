/**
 * Atom feeds published with the snapshots (issue 19), on DynamoDB Local and a folder: the publisher writes
 * data/feeds/city.xml (every unit's band crossings and the city's score changes) and data/feeds/units/<id>.xml for
 * each unit whose history it writes, from the complete periods only, each against the previous period of its kind.
 * What it writes equals what feeds.ts makes of the snapshots it published.
 *
 * And the social previews (issue 19): a page per unit, period and language for link-preview robots
 * (data/share/…, social/share.ts), and the card image the page names, drawn from the published snapshots.
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
import { previousPeriod } from '../../shared-types/src/periods.ts';
import type { UnitsSnapshot } from '../../shared-types/src/snapshots.ts';
import { CURRENT_PAGES, cardFacts, cardWords, sharePageHtml, sharePagePath, SOCIAL_LOCALES } from '../../functions/src/services/social/share.ts';
import { cardRoutes } from '../../functions/src/services/social/card-route.ts';

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
/** What the first publish wrote (the feeds' first test runs it). */
let firstRun: string[] = [];
/** What the later publish (February again) wrote, and February as published before it. */
let laterRun: string[] = [];
let februaryBefore: ScoresSnapshot;

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
    firstRun = result.written;
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
    februaryBefore = await read<ScoresSnapshot>('scores/2024-02.json');
    const again = await publishSnapshots({ state, blobs }, config());
    laterRun = again.written;
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

describe('social previews published with the snapshots', () => {
  const siteConfig = () => ({ ...config(), siteUrl: 'https://bando.example' });
  const facts = async (unitId: string, period: string) => {
    const [now, before, unitsFile] = await Promise.all([read<ScoresSnapshot>(`scores/${period}.json`), blobs.get(`data/scores/${previousPeriod(period)}.json`), read<UnitsSnapshot>('units.json')]);
    const previous = before ? (JSON.parse(before) as ScoresSnapshot).scores : [];
    return cardFacts({ unitId, period, units: unitsFile, now: now.scores.find((s) => s.unitId === unitId), before: previous.find((s) => s.unitId === unitId), scores: now, method: METHOD_766_V1 })!;
  };

  it('the first publish of a period writes every unit\'s page in both languages, and the city\'s for the overview', async () => {
    for (const period of ['2024-02', '2024-03', '2024-Q1', '2024']) {
      for (const unit of units) for (const locale of SOCIAL_LOCALES) expect(firstRun, `${unit.id} ${period} ${locale}`).toContain(sharePagePath(period, unit.id, locale));
      expect(firstRun).toContain(sharePagePath(period, null, 'vi'));
    }
    const ward = units.find((u) => u.kind === 'ward')!;
    // what it wrote is the page of the snapshots it published (relative addresses: no SITE_URL in this run)
    expect(await blobs.get(`data/${sharePagePath('2024-03', ward.id, 'en')}`)).toBe(sharePageHtml(await facts(ward.id, '2024-03'), 'en', { siteUrl: '', viewUnitId: ward.id }));
    expect(await blobs.get(`data/${sharePagePath('2024-03', null, 'vi')}`)).toBe(sharePageHtml(await facts('city', '2024-03'), 'vi', { siteUrl: '', viewUnitId: null }));
    // a link without a period: the pages of the period the site opens on (March, the last complete month), as March's
    expect((await read<{ defaultPeriod: string }>('latest.json')).defaultPeriod).toBe('2024-03');
    for (const unit of units) expect(firstRun).toContain(sharePagePath(CURRENT_PAGES, unit.id, 'vi'));
    expect(await blobs.get(`data/${sharePagePath(CURRENT_PAGES, ward.id, 'en')}`)).toBe(await blobs.get(`data/${sharePagePath('2024-03', ward.id, 'en')}`));
    expect(await blobs.get(`data/${sharePagePath(CURRENT_PAGES, null, 'vi')}`)).toBe(await blobs.get(`data/${sharePagePath('2024-03', null, 'vi')}`));
    // the ongoing year's page says it is provisional and names no figure
    const year = (await blobs.get(`data/${sharePagePath('2024', ward.id, 'vi')}`))!;
    expect(year).toContain('tạm tính');
    expect(year).not.toContain(cardWords(await facts(ward.id, '2024'), 'vi').total!);
  });

  it('a later run rewrites the pages of the units whose complete period changed, there and in the period after it', async () => {
    const february = await read<ScoresSnapshot>('scores/2024-02.json');
    const figures = (s: ScoresSnapshot['scores'][number]) => JSON.stringify({ ...s, asOf: undefined });
    const changed = february.scores.filter((s) => figures(s) !== figures(februaryBefore.scores.find((b) => b.unitId === s.unitId)!)).map((s) => s.unitId);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(units.length);
    const pagesOf = (period: string) => laterRun.filter((path) => path.startsWith(`share/${period}/units/`)).sort();
    const expected = changed.flatMap((id) => SOCIAL_LOCALES.map((locale) => sharePagePath('2024-02', id, locale))).sort();
    expect(pagesOf('2024-02')).toEqual(expected);
    // March says "since February": the same units' March pages, now with the new change
    expect(pagesOf('2024-03')).toEqual(expected.map((path) => path.replace('2024-02', '2024-03')));
    expect(pagesOf(CURRENT_PAGES)).toEqual(expected.map((path) => path.replace('2024-02', CURRENT_PAGES))); // March is the current period
    expect(laterRun.filter((path) => path.startsWith('share/2024/'))).toEqual([]); // the ongoing year names no figure
  });

  it('SITE_URL makes the page\'s addresses absolute, as Open Graph asks', async () => {
    clock += 3_600_000;
    const ward = units.find((u) => u.kind === 'ward')!;
    const late = dossier({ id: 'later-feb', unitId: ward.id, procedureId: `p-${ward.id}`, receivedAt: '2024-02-11T08:00:00+07:00', dueAt: '2024-02-12T08:00:00+07:00', completedAt: '2024-02-11T09:00:00+07:00', updatedAt: '2024-04-02T14:00:00+07:00' });
    await records.putIfNewer([toStoredRecord(late)], { writtenBy: { keyId: 'test', keyName: 'feeds test', at: new Date(clock).toISOString() } });
    await state.markRecordsDirty(['dossier#later-feb']);
    await refreshScores({ records, state, tallies }, { ...config(), firstMonth: '2024-02' });
    await publishSnapshots({ state, blobs }, siteConfig());
    const page = (await blobs.get(`data/${sharePagePath('2024-02', ward.id, 'vi')}`))!;
    expect(page).toContain('<meta property="og:url" content="https://bando.example/units/');
    expect(page).toContain(`<meta property="og:image" content="https://bando.example/api/v1/units/${ward.id}/card.png?period=2024-02&amp;lang=vi&amp;v=`);
  });

  it('when the period the site opens on moves (a month ends), every unit\'s page for a link without a period follows it', async () => {
    clock = local('2024-05-02T12:00:00'); // April is complete now
    await refreshScores({ records, state, tallies }, { ...config(), firstMonth: '2024-02' });
    const run = await publishSnapshots({ state, blobs }, siteConfig());
    expect((await read<{ defaultPeriod: string }>('latest.json')).defaultPeriod).toBe('2024-04');
    for (const unit of units) expect(run.written, unit.id).toContain(sharePagePath(CURRENT_PAGES, unit.id, 'en'));
    const ward = units.find((u) => u.kind === 'ward')!;
    expect(await blobs.get(`data/${sharePagePath(CURRENT_PAGES, ward.id, 'vi')}`)).toBe(await blobs.get(`data/${sharePagePath('2024-04', ward.id, 'vi')}`));
    expect(await blobs.get(`data/${sharePagePath(CURRENT_PAGES, ward.id, 'vi')}`)).toContain('tháng 4/2024');
  });

  it('the card the page names: a PNG drawn from the published snapshots; clear errors otherwise', async () => {
    const routes = cardRoutes({ blobs }, { methodOf: () => METHOD_766_V1 });
    const ward = units.find((u) => u.kind === 'ward')!;
    const ask = (id: string, query: Record<string, string>) => routes.unitCard({ method: 'GET', rawPath: '', params: { id: encodeURIComponent(id) }, query, headers: {}, body: '' });
    const reply = await ask(ward.id, { period: '2024-03', lang: 'en' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('image/png');
    const png = Buffer.from(reply.body!, 'base64');
    expect([png.toString('latin1', 1, 4), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['PNG', 1200, 630]);
    await expect(ask('nowhere', { period: '2024-03' })).rejects.toMatchObject({ status: 404, message: 'Unknown unit "nowhere".' });
    await expect(ask(ward.id, { period: '2023-12' })).rejects.toMatchObject({ status: 404 });
    await expect(ask(ward.id, { period: '2024-03', lang: 'fr' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"lang"') });
    await expect(ask(ward.id, {})).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"period"') });
  }, 60_000);
});
