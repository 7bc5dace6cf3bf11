/** The TallyStore contract on DynamoDB Local (item limits, conditional writes, the gsi1 index as AWS builds it). */
import { afterAll, beforeAll, describe } from 'vitest';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoTallyStore } from '../../functions/src/store/dynamodb/tally-store.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { tallyStoreContract } from '../../functions/src/store/tally-store.contract.ts';

let dynamo: LocalDynamo;
let tables = 0;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => dynamo?.stop());

describe('DynamoTallyStore', () =>
  tallyStoreContract(async () => {
    const prefix = `tally${++tables}-`;
    await ensureTables(dynamo.endpoint, prefix);
    const client = localClient(dynamo.endpoint);
    return { tallies: new DynamoTallyStore(client, `${prefix}State`), leases: new DynamoStateStore(client, `${prefix}State`) };
  }));
