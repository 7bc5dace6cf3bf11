/**
 * What each public read route costs, on DynamoDB Local with a registry of 3,000 units: the requests it sends
 * and the read units DynamoDB reports. Every route reads what its answer holds (one unit's scores by key, a
 * subtree's 1022 figures by key, the city's 1022 view from the published snapshot), none a whole partition,
 * and a history asks for at most 60 months (a clear 400 past that).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { apiEvent, lambdaContext } from '../../local/api-gateway.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { FsBlobStore } from '../../functions/src/store/blobs/fs-blob-store.ts';
import { readRoutes, MAX_HISTORY_MONTHS } from '../../functions/src/services/read-api.ts';
import { mergeFeedback } from '../../functions/src/services/feedback-snapshot.ts';
import { subtreeOf } from '../../functions/src/domain/structure/structure.ts';
import { inParallel } from '../../functions/src/commons/parallel.ts';
import type { ReadStore } from '../../functions/src/store/ports.ts';
import { apiHandler } from '../../functions/src/commons/http.ts';
import { periodsBetween } from '../../shared-types/src/periods.ts';
import { METHOD_766_V1 } from '../../shared-types/src/method.ts';
import type { FeedbackFigures } from '../../shared-types/src/snapshots.ts';
import { syntheticScores, syntheticUnits } from '../support/synthetic-city.ts';
import { asStructure } from '../../functions/src/domain/structure/structure.ts';
import { onlyMethod } from '../../functions/src/commons/city.ts';

const units = syntheticUnits(3_000);
const ward = units.find((unit) => unit.kind === 'ward')!;
const district = units.find((unit) => unit.kind === 'district')!;
const NOW = Date.parse('2026-12-02T10:00:00+07:00');
const asOf = new Date(NOW).toISOString();
let dynamo: LocalDynamo;
let client: DynamoDBClient;
let state: DynamoStateStore;
const blobs = new FsBlobStore(mkdtempSync(join(tmpdir(), 'read-costs-')));

/** Every request the read API sends, with the read units DynamoDB reports for it. */
const sentRequests: { command: string; pk?: string; limit?: number; capacity: number }[] = [];

const READ_METHODS = ['countPending', 'getMeta', 'getPeriodHead', 'lastScoredMonth', 'getPeriodScores', 'getUnitScores', 'getPeriodCountsOf'] satisfies (keyof ReadStore)[];
/** The state store as the read API sees it: its ReadStore methods, and nothing else (anything else throws). */
const readOnly = (store: DynamoStateStore): ReadStore =>
  new Proxy(store, {
    get(target, name) {
      if (!(READ_METHODS as string[]).includes(String(name))) throw new Error(`The read API used ${String(name)}, which is not a bounded read`);
      const method = Reflect.get(target, name) as (...args: unknown[]) => unknown;
      return method.bind(target);
    },
  }) as unknown as ReadStore;

const config = { structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], firstMonth: '2023-01', now: () => NOW };
/** The read API's function as it runs (router, errors as replies), on the read-only store. */
const read = apiHandler('read-api', () => readRoutes({ state: readOnly(state), blobs }, config), () => undefined);
async function cost(path: string) {
  sentRequests.length = 0;
  const reply = await read(apiEvent({ method: 'GET', url: path }), lambdaContext('read-api'));
  // header names are case-insensitive: middy's error handler writes `Content-Type`
  const json = Object.entries(reply.headers).some(([name, value]) => name.toLowerCase() === 'content-type' && value.startsWith('application/json'));
  return { status: reply.statusCode, body: json ? JSON.parse(reply.body!) : reply.body, requests: sentRequests.length, rru: sentRequests.reduce((sum, r) => sum + r.capacity, 0), sent: [...sentRequests] };
}

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint, 'costs-');
  client = localClient(dynamo.endpoint);
  state = new DynamoStateStore(client, 'costs-State');
  // Scores of every unit for two months; the ward's own scores for every period since 2023-01 (68 periods).
  for (const period of ['2026-10', '2026-11']) await state.putPeriodScores({ period, method: '766-v1', asOf, provisional: false, scores: syntheticScores(units, period, asOf) });
  await inParallel(periodsBetween('2023-01', '2026-12').map((p) => p.id).filter((id) => !['2026-10', '2026-11'].includes(id)), 8, async (period) => {
    const score = syntheticScores(units, period, asOf).find((s) => s.unitId === ward.id)!;
    await state.putPeriodScores({ period, method: '766-v1', asOf, provisional: period.startsWith('2026-12') || period === '2026' || period === '2026-Q4', scores: [score] });
  });
  // 1022 figures of every unit for November; the city's view as the publisher writes it.
  const figures = (n: number): FeedbackFigures => ({ received: n, resolved: n, resolvedOnTime: n, overdue: 0, open: 0, openNotDue: 0, openOverdue: 0, inPeriod: n, onTime: n, satisfied: n, onTimeRate: 1, satisfactionRate: 1 });
  const own = new Map(units.map((unit, i) => [unit.id, { counts: {}, feedback: { total: figures(i % 7), byField: { other: figures(i % 7) } } }]));
  await state.putPeriodCounts('2026-11', own);
  const view = mergeFeedback({ members: subtreeOf(units, null), fields: [], period: '2026-11', asOf, perUnit: new Map([...own].map(([id, c]) => [id, c.feedback])) });
  await blobs.put('data/feedback/2026-11.json', JSON.stringify(view));
  // A backlog: 3,000 notes waiting for the scorer.
  await inParallel(units, 16, (unit) => state.markDirty([unit.id]));

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string; ExpressionAttributeValues?: Record<string, { S?: string }>; Limit?: number };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
      const capacity = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      sentRequests.push({ command: context.commandName!, pk: input.ExpressionAttributeValues?.[':pk']?.S, limit: input.Limit, capacity });
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
}, 300_000);
afterAll(async () => dynamo?.stop());

describe('every public read route costs O(answer), with 3,000 units', () => {
  it('one unit’s score for a period: its item and the period’s head, 2 requests', async () => {
    const one = await cost(`/api/v1/scores?period=2026-11&unit=${ward.id}`);
    expect(one.status).toBe(200);
    expect(one.body.scores).toHaveLength(1);
    expect(one.requests).toBe(2);
    expect(one.rru).toBeLessThanOrEqual(2);
  });

  it('a unit’s history: one BatchGetItem for up to 60 months (at most 85 periods); wider is a 400', async () => {
    const history = await cost(`/api/v1/units/${ward.id}/scores`);
    expect(history.status).toBe(200);
    expect(history.body.scores).toHaveLength(68); // every period since the first month scored, 2023-01
    expect(history.sent.map((r) => r.command)).toEqual(['BatchGetItemCommand']);
    const year = await cost(`/api/v1/units/${ward.id}/scores?from=2024&to=2024`);
    expect(year.body.scores).toHaveLength(17);
    expect(year.requests).toBe(1);
    const wide = await cost(`/api/v1/units/${ward.id}/scores?from=2020-01&to=2026-11`);
    expect(wide.status).toBe(400);
    expect(wide.body.error.message).toContain(`at most ${MAX_HISTORY_MONTHS} months`);
    expect(wide.requests).toBe(0);
    expect((await cost(`/api/v1/units/${ward.id}/scores?from=2022-01`)).status).toBe(200); // 2022-01..2026-12: 60 months
    expect((await cost(`/api/v1/units/${ward.id}/scores?from=2021-12`)).status).toBe(400);
  });

  it('the city’s 1022 view: the published snapshot, no DynamoDB request; a district’s: its head and its 30 units by key', async () => {
    const city = await cost('/api/v1/feedback?period=2026-11');
    expect(city.status).toBe(200);
    expect(city.body.byUnit.length).toBeGreaterThan(2_000);
    expect(city.requests).toBe(0);
    const members = subtreeOf(units, district.id).size;
    const part = await cost(`/api/v1/feedback?period=2026-11&unit=${district.id}`);
    expect(part.status).toBe(200);
    expect(part.body.byUnit.length).toBeLessThanOrEqual(members);
    expect(part.sent.map((r) => r.command)).toEqual(['GetItemCommand', ...Array(Math.ceil(members / 100)).fill('BatchGetItemCommand')]);
  });

  it('a whole period: its head and the Query of that period alone; a bare request finds the default period with one bounded Query', async () => {
    const period = await cost('/api/v1/scores?period=2026-11');
    expect(period.body.scores).toHaveLength(3_000);
    expect(period.sent.filter((r) => r.command === 'QueryCommand').every((r) => r.pk === 'score#2026-11')).toBe(true);
    const bare = await cost('/api/v1/scores');
    expect(bare.body.period).toBe('2026-11');
    const [first] = bare.sent;
    expect(first).toMatchObject({ command: 'QueryCommand', pk: 'period', limit: 1 });
    const group = await cost('/api/v1/scores?period=2026-11&peerGroup=district-urban');
    expect(group.body.scores.every((s: { peerGroup: string }) => s.peerGroup === 'district-urban')).toBe(true);
  });

  it('status, with 3,000 notes waiting: two counts of one page each and one item, whatever the backlog', async () => {
    const status = await cost('/api/v1/status');
    expect(status.body.pending).toBe(1_000);
    expect(status.sent.map((r) => [r.command, r.limit])).toEqual(expect.arrayContaining([['QueryCommand', 1_000], ['QueryCommand', 1_000], ['GetItemCommand', undefined]]));
    expect(status.requests).toBe(3);
  });

  it('no route reads a partition other than the period it answers for, unless one page with a limit', async () => {
    const paths = [
      '/api/v1/status', '/api/v1/scores', `/api/v1/scores?period=2026-11&unit=${ward.id}`, '/api/v1/scores?period=2026-10',
      `/api/v1/units/${ward.id}/scores`, '/api/v1/feedback', `/api/v1/feedback?unit=${district.id}`, `/api/v1/feedback?period=2026-11&unit=${ward.id}&format=csv`,
    ];
    const figures: string[] = [];
    for (const path of paths) {
      const { status, sent, rru } = await cost(path);
      expect(status, path).toBe(200);
      for (const request of sent.filter((r) => r.command === 'QueryCommand')) {
        expect(request.pk?.startsWith('score#') || request.limit !== undefined, `${path}: Query of ${request.pk}`).toBe(true);
      }
      expect(sent.map((r) => r.command)).not.toContain('ScanCommand');
      figures.push(`${path.replace(ward.id, '{ward}').replace(district.id, '{district}')}: ${sent.length} requests, ${rru} RRU`);
    }
    console.log(`read costs with ${units.length} units:\n  ${figures.join('\n  ')}`);
  });
});
