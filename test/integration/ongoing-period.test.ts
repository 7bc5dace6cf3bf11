/**
 * The ongoing period through the scorer on DynamoDB Local, with a controlled clock: it is judged at
 * e = min(end, now), moves as due dates pass with no new record, and becomes final when it ends.
 * At every step the stored scores equal a full recompute by the pure engine at the same instant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoRecordStore } from '../../functions/src/store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../../functions/src/store/dynamodb/tally-store.ts';
import { refreshScores, readWatch } from '../../functions/src/services/refresh-scores.ts';
import { toStoredRecord } from '../../functions/src/domain/ingest/classify.ts';
import { scoreAll } from '../../functions/src/domain/engine/index.ts';
import { dossier, feedback, procedure, units } from '../../functions/src/domain/engine/test-helpers.ts';
import { METHOD_766_V1 } from '../../shared-types/src/method.ts';
import type { SourceRecord } from '../../shared-types/src/records.ts';
import type { ScoresSnapshot } from '../../shared-types/src/snapshots.ts';
import { asStructure } from '../../functions/src/domain/structure/structure.ts';
import { onlyMethod } from '../../functions/src/commons/city.ts';

const local = (s: string) => Date.parse(`${s}+07:00`);
let dynamo: LocalDynamo;
let records: DynamoRecordStore;
let state: DynamoStateStore;
let tallies: DynamoTallyStore;
let clock = local('2024-03-20T12:00:00');
const sent: SourceRecord[] = [];

const config = { structure: asStructure(units), methods: onlyMethod(METHOD_766_V1), fields: [], firstMonth: '2024-03', now: () => clock };
const run = () => refreshScores({ records, state, tallies }, config);
const send = async (...copies: SourceRecord[]) => {
  sent.push(...copies);
  await records.putIfNewer(copies.map(toStoredRecord), { writtenBy: { keyId: 'test', keyName: 'ongoing-period test', at: new Date(clock).toISOString() } });
  await state.markRecordsDirty(copies.map((copy) => `${copy.type}#${copy.id}`));
};
const stored = async (period: string) => (await state.getPeriodScores(period)) as ScoresSnapshot;
const w1 = async (period: string) => (await stored(period)).scores.find((score) => score.unitId === 'w1')!;
/** The stored scores of the period equal the engine's over everything sent, judged at the clock's instant. */
const expectRecompute = async (period: string) => {
  const asOf = new Date(clock).toISOString();
  const want = scoreAll({ units, records: sent, periods: [period], method: METHOD_766_V1, asOf }).map(({ asOf: _, ...rest }) => rest);
  expect((await stored(period)).scores.map(({ asOf: _, ...rest }) => rest)).toEqual(want);
};

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint, 'ongoing-');
  const client = localClient(dynamo.endpoint);
  records = new DynamoRecordStore(client, 'ongoing-Records');
  state = new DynamoStateStore(client, 'ongoing-State');
  tallies = new DynamoTallyStore(client, 'ongoing-State');
});
afterAll(async () => dynamo?.stop());

describe('the ongoing month with a controlled clock', () => {
  const open = (id: string, dueAt: string) =>
    dossier({ id, receivedAt: `2024-03-05T08:00:00+07:00`, completedAt: null, dueAt: `${dueAt}+07:00`, updatedAt: '2024-03-05T08:00:00+07:00' });

  it('on 20 March, open dossiers due later in March are on time and the scores are provisional', async () => {
    await send(procedure(), open('a', '2024-03-10T08:00:00'), open('b', '2024-03-22T08:00:00'), open('c', '2024-03-28T08:00:00'));
    await run();
    const march = await stored('2024-03');
    expect(march).toMatchObject({ provisional: true, asOf: new Date(clock).toISOString() });
    expect((await w1('2024-03')).indicators['2.1']).toMatchObject({ n: 2, d: 3 });
    expect((await stored('2024-Q1')).provisional).toBe(true);
    await expectRecompute('2024-03');
  });

  it('nothing due passes in a minute: the next run scores nothing', async () => {
    clock += 60_000;
    expect(await run()).toEqual({ records: 0, periods: [] });
  });

  it('when a due date passes, the next run re-judges the month with no new record', async () => {
    clock = local('2024-03-23T00:00:00');
    const result = await run();
    expect(result.records).toBe(1); // dossier b, due on 22 March: nothing else is read
    expect(result.periods.sort()).toEqual(['2024', '2024-03', '2024-Q1']);
    expect((await w1('2024-03')).indicators['2.1']).toMatchObject({ n: 1, d: 3 });
    await expectRecompute('2024-03');
    await expectRecompute('2024');
  });

  it('open feedback past its due date turns overdue as well', async () => {
    await send(feedback({ id: 'f', resolvedAt: null, receivedAt: '2024-03-22T08:00:00+07:00', dueAt: '2024-03-25T08:00:00+07:00', updatedAt: '2024-03-22T08:00:00+07:00' }));
    await run();
    expect((await w1('2024-03')).indicators['5.1']).toMatchObject({ n: 1, d: 1 });
    clock = local('2024-03-26T00:00:00');
    await run();
    expect((await w1('2024-03')).indicators['5.1']).toMatchObject({ n: 0, d: 1 });
    await expectRecompute('2024-03');
  });

  it('when the month ends its scores become final without anyone acting; the quarter stays provisional only until its own end', async () => {
    clock = local('2024-04-01T00:00:05');
    await run();
    const march = await stored('2024-03');
    expect(march.provisional).toBe(false);
    expect((await w1('2024-03')).indicators['2.1']).toMatchObject({ n: 0, d: 3 }); // all three open at the end, due before it
    expect((await stored('2024-Q1')).provisional).toBe(false);
    expect((await stored('2024-04')).provisional).toBe(true);
    expect((await stored('2024')).provisional).toBe(true);
    await expectRecompute('2024-03');
    await expectRecompute('2024-04');
  });

  it('counts a dossier sent before its procedure as waiting, and in 3.1 once the procedure arrives', async () => {
    await send(dossier({ id: 'early', procedureId: 'p9', receivedAt: '2024-03-30T08:00:00+07:00', dueAt: '2024-04-10T08:00:00+07:00', completedAt: null, updatedAt: '2024-03-30T08:00:00+07:00' }));
    await run();
    expect((await readWatch(state)).awaitingProcedure).toEqual({ w1: 1 });
    expect((await w1('2024-04')).indicators['3.1']).toMatchObject({ n: 3, d: 3 });
    await send(procedure({ id: 'p9', onlineLevel: 'full', updatedAt: '2024-03-30T09:00:00+07:00' }));
    await run();
    expect((await readWatch(state)).awaitingProcedure).toEqual({});
    expect((await w1('2024-04')).indicators['3.1']).toMatchObject({ n: 4, d: 4 });
    await expectRecompute('2024-04');
  });
});
