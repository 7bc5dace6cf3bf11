/**
 * The ports' contracts on DynamoDB Local (item limits, conditional writes, the gsi1 index as AWS builds it): the
 * same suites the in-memory twins pass (functions/src/store/memory/stores.test.ts). Each case gets fresh tables.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoRecordStore } from '../../functions/src/store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../../functions/src/store/dynamodb/tally-store.ts';
import { keyStoreContract } from '../../functions/src/store/key-store.contract.ts';
import { moduleStoreContract } from '../../functions/src/store/module-store.contract.ts';
import { recordStoreContract } from '../../functions/src/store/record-store.contract.ts';
import { scoringStoreContract } from '../../functions/src/store/scoring-store.contract.ts';
import { tallyStoreContract } from '../../functions/src/store/tally-store.contract.ts';

let dynamo: LocalDynamo;
let tables = 0;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => dynamo?.stop());

async function freshTables() {
  const prefix = `c${++tables}-`;
  await ensureTables(dynamo.endpoint, prefix);
  const client = localClient(dynamo.endpoint);
  return { client, records: `${prefix}Records`, state: `${prefix}State` };
}
const freshState = async () => {
  const { client, state } = await freshTables();
  return new DynamoStateStore(client, state);
};

describe('DynamoRecordStore', () =>
  recordStoreContract(async () => {
    const { client, records } = await freshTables();
    return new DynamoRecordStore(client, records);
  }));
describe('DynamoStateStore as a KeyStore', () => keyStoreContract(freshState));
describe('DynamoStateStore as a ModuleStore', () => moduleStoreContract(freshState));
describe('DynamoStateStore as a ScoringStore', () =>
  scoringStoreContract(async () => {
    const store = await freshState();
    return { store, scoresOf: (period) => store.getPeriodScores(period) };
  }));
describe('DynamoTallyStore', () =>
  tallyStoreContract(async () => {
    const { client, state } = await freshTables();
    return { tallies: new DynamoTallyStore(client, state), leases: new DynamoStateStore(client, state) };
  }));
