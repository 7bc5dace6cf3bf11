/**
 * npm run recompute [-- --endpoint http://127.0.0.1:PORT]: rebuild every score from the records.
 * It asks the scorer to start over; the running stack (or, on AWS, the next scheduled run) recounts every
 * unit from the records table and republishes every period. Locally the endpoint is DynamoDB Local's, which
 * `npm start` prints; on AWS set STATE_TABLE (and AWS credentials) instead.
 */
import { parseArgs } from 'node:util';
import { localTableNames } from '../functions/src/store/tables.ts';
import { readConfig, tableOf } from '../functions/src/config.ts';
import { runtimeOf } from '../functions/src/commons/runtime.ts';
import { requestRecompute } from '../functions/src/services/refresh-scores.ts';

const { values } = parseArgs({ options: { endpoint: { type: 'string' } } });
const config = readConfig();
if (values.endpoint) {
  config.dynamodb = { ...config.dynamodb, endpoint: values.endpoint };
  config.tables = { records: config.tables.records ?? localTableNames().records, state: config.tables.state ?? localTableNames().state };
}
try {
  tableOf(config, 'state');
} catch {
  console.error('recompute: pass --endpoint <DynamoDB Local URL printed by npm start>, or set STATE_TABLE for AWS.');
  process.exit(2);
}
await requestRecompute({ state: runtimeOf(config).state() });
console.log('recompute requested: the scorer will rebuild every score from the records on its next run; GET /api/v1/status shows pending until done.');
