/**
 * The aggregate handler honours ReportBatchItemFailures (the event source mapping is configured for it, see
 * infra/stacks.test.ts): on DynamoDB Local, a batch whose notes cannot be written is answered with its first
 * record that names a record, by sequence number, not thrown; retried from there it is noted whole. The local
 * stream poller takes such an answer as the mapping does: it goes on from the failed record, not past it.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { lambdaContext } from '../../local/api-gateway.ts';
import { pollStream } from '../../local/stream-poller.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { Logger } from '@aws-lambda-powertools/logger';
import { aggregateStreamHandler } from '../../functions/src/handlers/aggregate-stream.ts';

const PREFIX = 'aggregate-';
let dynamo: LocalDynamo;
let client: DynamoDBClient;
let state: DynamoStateStore;
/** Writes to the state table fail while this is set (a fault below the SDK's retries that they cannot absorb). */
let refuseStateWrites = false;

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint, PREFIX);
  client = localClient(dynamo.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const table = (args.input as { TableName?: string }).TableName;
      if (refuseStateWrites && context.commandName === 'PutItemCommand' && table === `${PREFIX}State`) {
        throw Object.assign(new Error('User is not authorized to perform dynamodb:PutItem (injected)'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      }
      return next(args);
    },
    { step: 'initialize', name: 'refuseStateWrites' },
  );
  state = new DynamoStateStore(client, `${PREFIX}State`);
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

const streamRecord = (sequenceNumber: string, pk: string | null): DynamoDBRecord => ({
  eventID: `e${sequenceNumber}`,
  eventName: 'MODIFY',
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: sequenceNumber, ...(pk ? { Keys: { pk: { S: pk } } } : {}) },
});

const notedKeys = async () => (await state.listDirty()).flatMap((note) => note.recordKeys).sort();

it('answers a batch it could not note with its first record that names one, and notes it whole when retried from there', async () => {
  const handler = aggregateStreamHandler({ state: () => state, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) });
  // a record without a key names nothing: the first failed record is the first one that names a record
  const batch: DynamoDBStreamEvent = {
    Records: [streamRecord('100', null), streamRecord('200', 'dossier#A'), streamRecord('300', 'feedback#B'), streamRecord('400', 'dossier#A')],
  };

  refuseStateWrites = true;
  try {
    expect(await handler(batch, lambdaContext('aggregate-stream'))).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
  } finally {
    refuseStateWrites = false;
  }
  expect(await notedKeys()).toEqual([]);

  // the event source mapping retries the shard from the reported record
  const retry = { Records: batch.Records.slice(1) };
  expect(await handler(retry, lambdaContext('aggregate-stream'))).toEqual({ batchItemFailures: [] });
  expect(await notedKeys()).toEqual(['dossier#A', 'feedback#B']);
});

it('the local stream poller goes on from the failed record a handler reports, never past it', async () => {
  const table = `${PREFIX}Records`;
  const keys = ['dossier#P0', 'dossier#P1', 'dossier#P2', 'dossier#P3', 'dossier#P4'];
  const delivered: string[] = [];
  let failedOnce = false;
  const poller = pollStream({
    endpoint: dynamo.endpoint,
    table,
    idleMs: 50,
    handle: async (event) => {
      const pks = event.Records.map((record) => record.dynamodb!.Keys!.pk.S!);
      delivered.push(...pks);
      const at = pks.indexOf('dossier#P2');
      if (at >= 0 && !failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: event.Records[at].dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    },
  });
  try {
    for (const pk of keys) await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, unitId: { S: 'u' } } }));
    const times = (pk: string) => delivered.filter((d) => d === pk).length;
    await vi.waitFor(() => {
      expect(failedOnce).toBe(true);
      for (const pk of keys) expect(times(pk)).toBeGreaterThan(0);
      expect(times('dossier#P2')).toBe(2);
    }, { timeout: 30_000, interval: 100 });
    // the records before the failed one were done: not sent again
    expect([times('dossier#P0'), times('dossier#P1')]).toEqual([1, 1]);
    // and none of them came again after the failure
    const afterFailure = delivered.slice(delivered.indexOf('dossier#P2') + 1);
    expect(afterFailure.filter((pk) => pk === 'dossier#P0' || pk === 'dossier#P1')).toEqual([]);
  } finally {
    await poller.stop();
  }
});
