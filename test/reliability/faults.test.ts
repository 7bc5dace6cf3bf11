/**
 * Faults between the handlers and DynamoDB: throttling errors and partial batch results injected into
 * the client, and stream batches replayed twice and out of order. Every record still lands exactly once,
 * and the published scores still equal a full recompute.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { LocalStack } from '../../local/stack.ts';
import { sendRecords } from '../../scripts/lib/ingest-client.ts';
import { INGEST_KEY, getJson, startTestStack } from '../support/local-stack.ts';
import { comparable, demoRecords, expectedScores, shuffled } from '../support/demo.ts';
import { lambdaContext } from '../../local/api-gateway.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY_REGISTRY_FILE;
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

const periods = ['2024-04', '2024-05', '2024-Q2'];
const records = demoRecords({ from: '2024-04', to: '2024-05', seed: 23, scale: 1, subtree: 'q3' });

async function expectPublishedEqualsRecompute() {
  await stack.settle();
  const expected = expectedScores(records, periods, '2024-05');
  for (const period of periods) {
    const published = (await getJson(stack, `/data/scores/${period}.json`)).body;
    expect(comparable(published.scores), period).toEqual(comparable(expected.get(period)!));
  }
}

it('lands every record once while DynamoDB throttles and leaves items unprocessed', { timeout: 300_000 }, async () => {
  const { dynamoClient } = await import('../../functions/src/store/dynamodb/client.ts');
  const injected = { throttled: 0, unprocessed: 0 };
  let random = 12345;
  const chance = () => ((random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // Throttling: thrown below the SDK's retry middleware, so the SDK's own retries must absorb it.
  dynamoClient().middlewareStack.add(
    (next) => async (args) => {
      if (chance() < 0.15) {
        injected.throttled += 1;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput (injected)'), {
          name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true },
        });
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectThrottling' },
  );
  // Partial results: above the retry middleware, where our code has to handle them itself.
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      // Hand back half of a BatchGetItem as UnprocessedKeys, as DynamoDB does under load.
      const output = result.output as { Responses?: Record<string, Record<string, { S?: string }>[]>; UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
      if (context.commandName === 'BatchGetItemCommand' && output.Responses) {
        for (const [table, items] of Object.entries(output.Responses)) {
          if (items.length < 2) continue;
          const dropped = items.splice(0, Math.floor(items.length / 2));
          injected.unprocessed += dropped.length;
          output.UnprocessedKeys = { [table]: { Keys: dropped.map((item) => ({ pk: item.pk })) } };
        }
      }
      return result;
    },
    { step: 'initialize', name: 'injectUnprocessed' },
  );
  try {
    const procedures = records.filter((r) => r.type === 'procedure');
    const rest = shuffled(records.filter((r) => r.type !== 'procedure'), 5);
    for (const part of [procedures, rest]) {
      const summary = await sendRecords(part, { url: stack.url, key: INGEST_KEY, batchSize: 100, concurrency: 4 });
      expect(summary.rejected).toEqual([]);
      expect(summary.accepted).toBe(part.length);
    }
    await expectPublishedEqualsRecompute();
  } finally {
    dynamoClient().middlewareStack.remove('injectThrottling');
    dynamoClient().middlewareStack.remove('injectUnprocessed');
  }
  expect(injected.throttled).toBeGreaterThan(10);
  expect(injected.unprocessed).toBeGreaterThan(0);
  console.log(`throttling: ${injected.throttled} throttled requests and ${injected.unprocessed} unprocessed keys injected, mismatches 0`);
});

it('gives the same scores when the aggregate handler gets stream batches twice and out of order', { timeout: 300_000 }, async () => {
  const { handler } = await import('../../functions/src/handlers/aggregate-stream.ts');
  const streams = new DynamoDBStreamsClient({ endpoint: stack.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const { dynamoClient } = await import('../../functions/src/store/dynamodb/client.ts');
  const streamArn = (await dynamoClient().send(new DescribeTableCommand({ TableName: process.env.RECORDS_TABLE }))).Table!.LatestStreamArn!;
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!;
  const batches: unknown[][] = [];
  for (const shard of shards) {
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let empty = 0; iterator && empty < 2; ) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 200 }));
      if (page.Records?.length) batches.push(page.Records.map((record) => ({ ...record, eventSource: 'aws:dynamodb' })));
      else empty += 1;
      iterator = page.NextShardIterator;
    }
  }
  expect(batches.length).toBeGreaterThan(1);
  for (const batch of [...batches, ...batches.reverse(), ...shuffled(batches, 3)]) {
    await handler({ Records: batch } as never, lambdaContext('aggregate-stream'));
  }
  streams.destroy();
  await expectPublishedEqualsRecompute();
  console.log(`stream replay: ${batches.length} batches delivered 3 times in 3 orders, mismatches 0`);
});
