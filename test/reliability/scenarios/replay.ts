/**
 * Stream replay: after the records are stored and scored, the aggregate handler is handed the whole
 * records stream again, batch by batch, in `orders` orders (as read, reversed, shuffled, …): every batch
 * twice or more and out of order. Ends with the published scores equal to a full recompute and to an
 * independent count.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { LocalStack } from '../../../local/stack.ts';
import { lambdaContext } from '../../../local/api-gateway.ts';
import { dynamoClient } from '../../../functions/src/store/dynamodb/client.ts';
import { sendRecords } from '../../../scripts/lib/ingest-client.ts';
import { INGEST_KEY } from '../../support/local-stack.ts';
import { demoRecords, shuffled, type DataSet } from '../../support/demo.ts';
import { verifyPublished } from '../../support/verify.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface ReplayOptions {
  data: DataSet;
  /** stream records per replayed batch (GetRecords limit) */
  batchSize: number;
  /** 1: as read; 2: and reversed; 3 or more: and shuffled with different seeds */
  orders: number;
}

export const replaySizes = {
  test: { data: { from: '2024-04', to: '2024-05', seed: 23, scale: 1, subtree: 'q3' }, batchSize: 200, orders: 3 },
  bench: (scale: number): ReplayOptions => ({ data: { from: '2024-01', to: '2024-12', seed: 23, scale: 2 * scale, subtree: 'q3' }, batchSize: 100, orders: 4 }),
} satisfies Sizes<ReplayOptions>;

/** Every record of the records table's stream from its start, in batches as the event source mapping delivers them. */
async function readStream(endpoint: string, batchSize: number): Promise<unknown[][]> {
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  try {
    const streamArn = (await dynamoClient().send(new DescribeTableCommand({ TableName: process.env.RECORDS_TABLE }))).Table!.LatestStreamArn!;
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!;
    const batches: unknown[][] = [];
    for (const shard of shards) {
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (let empty = 0; iterator && empty < 2; ) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
        if (page.Records?.length) batches.push(page.Records.map((record) => ({ ...record, eventSource: 'aws:dynamodb' })));
        else empty += 1;
        iterator = page.NextShardIterator;
      }
    }
    return batches;
  } finally {
    streams.destroy();
  }
}

/** Sends the records (those already stored come back unchanged), then replays the stream. */
export async function runStreamReplay(stack: Pick<LocalStack, 'url' | 'settle' | 'endpoint'>, options: ReplayOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('replay');
  const records = demoRecords(options.data);
  run.figures.records = records.length;
  for (const part of [records.filter((r) => r.type === 'procedure'), records.filter((r) => r.type !== 'procedure')]) {
    run.sent(await sendRecords(part, { url: stack.url, key: INGEST_KEY, batchSize: 500, concurrency: 2 }), 500);
  }
  await stack.settle();

  const { handler } = await import('../../../functions/src/handlers/aggregate-stream.ts');
  const batches = await readStream(stack.endpoint, options.batchSize);
  if (batches.length < 2) run.problem(`only ${batches.length} stream batch(es) to replay`);
  const orders = [batches, [...batches].reverse(), ...Array.from({ length: Math.max(0, options.orders - 2) }, (_, k) => shuffled(batches, 3 + k))].slice(0, options.orders);
  log(`stream replay: ${batches.length} batches × ${orders.length} orders`);
  for (const batch of orders.flat()) {
    const answer = await handler({ Records: batch } as never, lambdaContext('aggregate-stream'));
    if (answer.batchItemFailures.length > 0) run.problem(`the aggregate handler reported a failed batch (from record ${answer.batchItemFailures[0].itemIdentifier})`);
  }
  await stack.settle();
  run.verdict(await verifyPublished({ url: stack.url, sent: records, from: options.data.from, to: options.data.to }));
  run.figures.detail = {
    'stream records': batches.reduce((sum, batch) => sum + batch.length, 0),
    'stream batches': batches.length,
    'orders replayed': orders.length,
    'batches delivered': orders.flat().length,
  };
  return run.end();
}
