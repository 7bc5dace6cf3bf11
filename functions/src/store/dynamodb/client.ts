import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { readConfig, type Config } from '../../config.ts';
import { chunks, inParallel } from '../../commons/parallel.ts';

type Item = Record<string, AttributeValue>;

const clients = new Map<string, DynamoDBClient>();

/**
 * One client per endpoint and process, reused across invocations; an endpoint is DynamoDB Local. Tools and tests
 * that name none get the one their environment names, the same client the local stack's handlers use.
 */
export function dynamoClient(options: Config['dynamodb'] = readConfig().dynamodb): DynamoDBClient {
  const key = options.endpoint ?? 'aws';
  let client = clients.get(key);
  if (!client) {
    client = new DynamoDBClient(
      options.endpoint
        ? { endpoint: options.endpoint, region: options.region ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 8 }
        : { maxAttempts: 8 },
    );
    clients.set(key, client);
  }
  return client;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff for the retries the SDK leaves to us (unprocessed items, transaction conflicts). */
export const backoff = (attempt: number) => sleep(Math.random() * Math.min(2_000, 25 * 2 ** attempt));

/**
 * Retries what a batch call left unprocessed: `send` takes what is left and returns what is still left. The pause
 * grows only while a call makes no progress at all; a call that did part of the work is followed by a short one.
 */
async function untilProcessed<T>(first: T[], send: (left: T[]) => Promise<T[]>): Promise<void> {
  let left = first;
  for (let stalled = 0, calls = 0; left.length > 0; calls++) {
    if (calls > 0) await backoff(stalled + 1);
    const still = await send(left);
    stalled = still.length < left.length ? 0 : stalled + 1;
    left = still;
  }
}

/** BatchWriteItem, 25 requests per call and `parallel` calls in flight, retrying what comes back unprocessed. */
export async function batchWrite(client: DynamoDBClient, table: string, requests: WriteRequest[], parallel = 4): Promise<void> {
  await inParallel(chunks(requests, 25), parallel, (chunk) =>
    untilProcessed(chunk, async (left) => {
      const reply = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: left } }));
      return reply.UnprocessedItems?.[table] ?? [];
    }),
  );
}

/**
 * BatchGetItem, 100 keys per call and `parallel` calls in flight, retrying unprocessed keys; strongly
 * consistent. Returns the items found, in no particular order.
 */
export async function batchGet(
  client: DynamoDBClient,
  table: string,
  keys: Item[],
  options: { projection?: string; names?: Record<string, string>; parallel?: number } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  await inParallel(chunks(keys, 100), options.parallel ?? 4, (chunk) =>
    untilProcessed(chunk, async (left) => {
      const reply = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: left,
              ConsistentRead: true,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
            },
          },
        }),
      );
      found.push(...(reply.Responses?.[table] ?? []));
      return (reply.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
    }),
  );
  return found;
}
