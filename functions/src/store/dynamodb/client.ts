import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { env } from '../tables.ts';

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

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(runners);
  return results;
}

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
