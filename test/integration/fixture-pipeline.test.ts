/**
 * The worked example of INDEX-766.md through the whole data plane: HTTP ingest → DynamoDB Local →
 * stream → aggregate → score → publish → read API and snapshots. The published numbers must be the
 * fixture's expected ones, and those of a full recompute by the pure engine.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS_DIR } from '../browser/support.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { getJson, postRecords, startTestStack } from '../support/local-stack.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/766-example.json', import.meta.url), 'utf8'));

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack({ units: fixture.units });
});
afterAll(async () => stack?.stop());

describe('the 766 worked example through the local stack', () => {
  it('accepts the records, in order, as sent', async () => {
    const reply = await postRecords(stack, JSON.stringify(fixture.records));
    expect(reply.status).toBe(200);
    expect(reply.body.rejected).toEqual([]);
    expect(reply.body.accepted + reply.body.unchanged).toBe(fixture.records.length);
    await stack.settle();
    expect((await getJson(stack, '/api/v1/status')).body.pending).toBe(0);
  });

  for (const period of Object.keys(fixture.expected)) {
    it(`publishes the expected scores for ${period}`, async () => {
      const api = await getJson(stack, `/api/v1/scores?period=${period}`);
      const snapshot = await getJson(stack, `/data/scores/${period}.json`);
      expect(api.status).toBe(200);
      expect(snapshot.body).toEqual(api.body);
      for (const expected of fixture.expected[period]) {
        const score = api.body.scores.find((s: { unitId: string }) => s.unitId === expected.unitId);
        expect(score, expected.unitId).toBeDefined();
        expect(Math.abs(score.total - expected.total), `${expected.unitId} total`).toBeLessThanOrEqual(0.0001);
        expect(score.band).toBe(expected.band);
        expect(score.rank).toBe(expected.rank);
        expect(score.method).toBe('766-v1');
        for (const [id, indicator] of Object.entries(expected.indicators) as [string, { n: number; d: number; points: number; noData: boolean }][]) {
          const got = score.indicators[id];
          expect({ id, n: got.n, d: got.d, noData: got.noData }).toEqual({ id, n: indicator.n, d: indicator.d, noData: indicator.noData });
          expect(Math.abs(got.points - indicator.points), `${expected.unitId} ${id} points`).toBeLessThanOrEqual(0.0001);
        }
      }
    });
  }

  it('pins every snapshot it publishes, and writes the compact rankings', async () => {
    const { pinId } = await import('../../shared-types/src/snapshots.ts');
    const live = (await getJson(stack, '/data/scores/2024.json')).body;
    const pinned = await getJson(stack, `/data/pins/${pinId(live.asOf)}/scores/2024.json`);
    expect(pinned.body).toEqual(live);
    const rankings = (await getJson(stack, '/data/rankings/2024.json')).body;
    expect(rankings.scores.map((s: { unitId: string; rank: number }) => [s.unitId, s.rank])).toEqual(live.scores.map((s: { unitId: string; rank: number }) => [s.unitId, s.rank]));
    const history = (await getJson(stack, '/data/units/hcm.json')).body;
    expect((await getJson(stack, `/data/pins/${pinId(history.asOf)}/units/hcm.json`)).body).toEqual(history);
  });

  it('answers a link-preview robot with the view\'s social preview, whose card is a PNG of the unit in that period', async () => {
    const period = Object.keys(fixture.expected)[0];
    const unitId = fixture.expected[period].find((e: { unitId: string }) => e.unitId !== 'hcm').unitId;
    const robot = { 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' };
    const page = await (await fetch(`${stack.url}/units/${unitId}?period=${period}&lang=en`, { headers: robot })).text();
    const image = /<meta property="og:image" content="([^"]+)">/.exec(page)![1].replace(/&amp;/g, '&');
    expect(image).toMatch(new RegExp(`^/api/v1/units/${unitId}/card\\.png\\?period=${period}&lang=en&v=`));
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    const card = await fetch(stack.url + image);
    expect(card.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await card.arrayBuffer());
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    // for review beside the views' screenshots
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOTS_DIR, 'social-card-en.png'), png);
    // a person (and a search engine) gets the app
    const person = await (await fetch(`${stack.url}/units/${unitId}?period=${period}`)).text();
    expect(person).not.toContain('og:image:alt');
  });

  it('rebuilds every score from the records on request, even over corrupted derived state', async () => {
    const before = (await getJson(stack, '/api/v1/scores?period=2024')).body;
    const { stores } = await import('../../functions/src/commons/runtime.ts');
    const { requestRecompute } = await import('../../functions/src/services/refresh-scores.ts');
    const { state } = stores();
    await state.putPeriodScores({ ...before, scores: before.scores.map((s: object) => ({ ...s, total: 0 })) });
    await state.putPeriodCounts('2024', new Map([['so-tu-phap', { counts: {} }]]));
    await requestRecompute({ state });
    await stack.settle();
    const after = (await getJson(stack, '/api/v1/scores?period=2024')).body;
    expect(after.scores.map(({ asOf: _, ...rest }: { asOf: string }) => rest)).toEqual(before.scores.map(({ asOf: _, ...rest }: { asOf: string }) => rest));
  });

  it('treats a resend of everything as unchanged and changes no score', async () => {
    const before = (await getJson(stack, '/api/v1/scores?period=2024')).body;
    const reply = await postRecords(stack, JSON.stringify(fixture.records));
    expect(reply.body.accepted).toBe(0);
    expect(reply.body.rejected).toEqual([]);
    await stack.settle();
    const after = (await getJson(stack, '/api/v1/scores?period=2024')).body;
    expect(after.scores).toEqual(before.scores);
  });
});
