/**
 * npm run recompute against DynamoDB Local, as the local stack makes it: the script finds the stack's state
 * table by the names the stack creates (store/tables.ts, no import of local/) and asks for a rebuild there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../local/dynamodb.ts';
import { DynamoStateStore } from '../functions/src/store/dynamodb/state-store.ts';
import { localTableNames } from '../functions/src/store/tables.ts';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint);
});
afterAll(async () => dynamo?.stop());

it('requests a rebuild in the state table of the DynamoDB Local it is pointed at', async () => {
  const env = { ...process.env };
  for (const name of ['STATE_TABLE', 'RECORDS_TABLE', 'DYNAMODB_ENDPOINT']) delete env[name];
  const before = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/recompute.ts', '--endpoint', dynamo.endpoint], { env });
  expect(stdout).toContain('recompute requested');
  const client = localClient(dynamo.endpoint);
  try {
    const meta = await new DynamoStateStore(client, localTableNames().state).getMeta('recompute-request');
    expect(Date.parse(String(meta?.requestedAt))).toBeGreaterThanOrEqual(before - 1_000);
  } finally {
    client.destroy();
  }
});
