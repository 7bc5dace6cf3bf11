import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { env } from '../tables.ts';
import { chunks, inParallel } from '../../commons/parallel.ts';

type Item = Record<string, AttributeValue>;

let shared: DynamoDBClient | undefined;

/** One client per process, reused across invocations; `DYNAMODB_ENDPOINT` points it at DynamoDB Local. */
export function dynamoClient(): DynamoDBClient {
  if (!shared) {
    const endpoint = process.env[env.dynamodbEndpoint];
    shared = new DynamoDBClient(
      endpoint
        ? { endpoint, region: process.env.AWS_REGION ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 8 }
        : { maxAttempts: 8 },
    );
  }
  return shared;
}

export function tableName(variable: string): string {
  const name = process.env[variable];
  if (!name) throw new Error(`Environment variable ${variable} is not set`);
  return name;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff for the retries the SDK leaves to us (unprocessed items, transaction conflicts). */
export const backoff = (attempt: number) => sleep(Math.random() * Math.min(2_000, 25 * 2 ** attempt));

/** BatchWriteItem, 25 requests per call and `parallel` calls in flight, retrying what comes back unprocessed. */
export async function batchWrite(client: DynamoDBClient, table: string, requests: WriteRequest[], parallel = 4): Promise<void> {
  await inParallel(chunks(requests, 25), parallel, async (chunk) => {
    let request = chunk;
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const reply = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: request } }));
      request = reply.UnprocessedItems?.[table] ?? [];
    }
  });
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
  await inParallel(chunks(keys, 100), options.parallel ?? 4, async (chunk) => {
    let request: Item[] | undefined = chunk;
    for (let attempt = 0; request && request.length > 0; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const reply = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [table]: {
              Keys: request,
              ConsistentRead: true,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
            },
          },
        }),
      );
      found.push(...(reply.Responses?.[table] ?? []));
      request = reply.UnprocessedKeys?.[table]?.Keys as Item[] | undefined;
    }
  });
  return found;
}
