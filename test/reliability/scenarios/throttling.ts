/**
 * Throttling: faults injected into the handlers' DynamoDB client (the AWS SDK middleware stack) while
 * records are sent: throttling errors below the SDK's retry middleware (the SDK's retries must absorb
 * them), and partial batch results above it (`UnprocessedKeys` of BatchGetItem, `UnprocessedItems` of
 * BatchWriteItem: our code must retry them). Every record still lands once; ends with the published
 * scores equal to a full recompute and to an independent count.
 */
import type { LocalStack } from '../../../local/stack.ts';
import type { AttributeValue, WriteRequest } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../../functions/src/store/dynamodb/client.ts';
import { mulberry32 } from '../../../tools/demo/generate.ts';
import { sendRecords } from '../../../scripts/lib/ingest-client.ts';
import { INGEST_KEY } from '../../support/local-stack.ts';
import { demoRecords, shuffled, type DataSet } from '../../support/demo.ts';
import { verifyPublished } from '../../support/verify.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface ThrottlingOptions {
  data: DataSet;
  batchSize: number;
  concurrency: number;
  /** share of DynamoDB requests answered with a throttling error */
  throttleRate: number;
  seed: number;
}

export const throttlingSizes = {
  test: { data: { from: '2024-04', to: '2024-05', seed: 23, scale: 1, subtree: 'q3' }, batchSize: 100, concurrency: 4, throttleRate: 0.15, seed: 12345 },
  bench: (scale: number): ThrottlingOptions => ({ data: { from: '2024-04', to: '2024-06', seed: 23, scale: 2 * scale, subtree: 'q3' }, batchSize: 100, concurrency: 4, throttleRate: 0.15, seed: 12345 }),
} satisfies Sizes<ThrottlingOptions>;

/** Adds the faults to the shared DynamoDB client; returns the counts and a function that removes them. */
export function injectFaults(throttleRate: number, seed: number) {
  const injected = { throttled: 0, unprocessedKeys: 0, unprocessedItems: 0 };
  const chance = mulberry32(seed);
  const stack = dynamoClient().middlewareStack;
  // Throttling: thrown below the SDK's retry middleware, so the SDK's own retries must absorb it.
  stack.add(
    (next) => async (args) => {
      if (chance() < throttleRate) {
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
  stack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchWriteItemCommand') {
        // Write only half of each table's requests and hand the rest back as UnprocessedItems.
        const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
        const kept: Record<string, WriteRequest[]> = {};
        const held: Record<string, WriteRequest[]> = {};
        for (const [table, requests] of Object.entries(input.RequestItems)) {
          const half = requests.length < 2 ? 0 : Math.floor(requests.length / 2);
          held[table] = requests.slice(0, half);
          kept[table] = requests.slice(half);
          injected.unprocessedItems += half;
        }
        const result = await next({ ...args, input: { ...input, RequestItems: kept } });
        const output = result.output as { UnprocessedItems?: Record<string, WriteRequest[]> };
        for (const [table, requests] of Object.entries(held)) {
          if (requests.length > 0) output.UnprocessedItems = { ...output.UnprocessedItems, [table]: [...(output.UnprocessedItems?.[table] ?? []), ...requests] };
        }
        return result;
      }
      const result = await next(args);
      // Hand back half of a BatchGetItem as UnprocessedKeys (their whole keys), as DynamoDB does under load.
      const output = result.output as { Responses?: Record<string, Record<string, AttributeValue>[]>; UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
      if (context.commandName === 'BatchGetItemCommand' && output.Responses) {
        for (const [table, items] of Object.entries(output.Responses)) {
          if (items.length < 2) continue;
          const dropped = items.splice(0, Math.floor(items.length / 2));
          injected.unprocessedKeys += dropped.length;
          output.UnprocessedKeys = { ...output.UnprocessedKeys, [table]: { Keys: [...(output.UnprocessedKeys?.[table]?.Keys ?? []), ...dropped.map((item) => (item.sk ? { pk: item.pk, sk: item.sk } : { pk: item.pk }))] } };
        }
      }
      return result;
    },
    { step: 'initialize', name: 'injectUnprocessed' },
  );
  return {
    injected,
    remove() {
      stack.remove('injectThrottling');
      stack.remove('injectUnprocessed');
    },
  };
}

export async function runThrottling(stack: Pick<LocalStack, 'url' | 'settle'>, options: ThrottlingOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('throttling');
  const records = demoRecords(options.data);
  run.figures.records = records.length;
  const faults = injectFaults(options.throttleRate, options.seed);
  try {
    const procedures = records.filter((r) => r.type === 'procedure');
    const rest = shuffled(records.filter((r) => r.type !== 'procedure'), 5);
    for (const part of [procedures, rest]) {
      log(`throttling: sending ${part.length.toLocaleString('en')} records`);
      const summary = await sendRecords(part, { url: stack.url, key: INGEST_KEY, batchSize: options.batchSize, concurrency: options.concurrency });
      run.sent(summary, options.batchSize);
      if (summary.accepted !== part.length) run.problem(`${summary.accepted} accepted of ${part.length} sent once each`);
    }
    log('throttling: settling under faults');
    await stack.settle();
    run.verdict(await verifyPublished({ url: stack.url, sent: records, from: options.data.from, to: options.data.to }));
  } finally {
    faults.remove();
  }
  run.figures.detail = {
    'throttling errors injected': faults.injected.throttled,
    'unprocessed keys injected': faults.injected.unprocessedKeys,
    'unprocessed items injected': faults.injected.unprocessedItems,
  };
  return run.end();
}
