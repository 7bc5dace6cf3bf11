/**
 * npm run recompute [-- --endpoint http://127.0.0.1:PORT]: rebuild every score from the records.
 * It asks the scorer to start over; the running stack (or, on AWS, the next scheduled run) recounts every
 * unit from the records table and republishes every period. Locally the endpoint is DynamoDB Local's, which
 * `npm start` prints; on AWS set STATE_TABLE (and AWS credentials) instead.
 */
import { parseArgs } from 'node:util';
import { env, localTableNames } from '../functions/src/store/tables.ts';

const { values } = parseArgs({ options: { endpoint: { type: 'string' } } });
if (values.endpoint) {
  process.env[env.dynamodbEndpoint] = values.endpoint;
  process.env[env.stateTable] ??= localTableNames().state;
  process.env[env.recordsTable] ??= localTableNames().records;
}
if (!process.env[env.stateTable]) {
  console.error('recompute: pass --endpoint <DynamoDB Local URL printed by npm start>, or set STATE_TABLE for AWS.');
  process.exit(2);
}
const { stores } = await import('../functions/src/commons/runtime.ts');
const { requestRecompute } = await import('../functions/src/services/refresh-scores.ts');
await requestRecompute({ state: stores().state });
console.log('recompute requested: the scorer will rebuild every score from the records on its next run; GET /api/v1/status shows pending until done.');
