/**
 * Ingest throughput through the API vs raw BatchWriteItem to the same DynamoDB Local, side by side in
 * one run (DESIGN.md § Budgets: the API must reach ≥ 70% of the raw rate).
 *
 *   npm run bench:ingest [-- --records 4000 --rounds 6 --batch 1000 --concurrency 4]
 *
 * Both paths write the same records (the API's items carry the same attributes) to tables with the
 * same definition; rounds alternate raw and API so machine noise hits both alike. One untimed warm-up
 * round first: DynamoDB Local's JVM runs the first thousands of writes several times slower.
 */
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startLocalStack } from '../local/stack.ts';
import { createTableInput, localClient } from '../local/dynamodb.ts';
import { recordsTable } from '../functions/src/store/tables.ts';
import { generateDemoData } from '../tools/demo/generate.ts';
import { loadCity } from '../functions/src/commons/city.ts';
import { toStoredRecord } from '../functions/src/domain/ingest/classify.ts';
import { batchWrite } from '../functions/src/store/dynamodb/client.ts';
import { sendRecords } from '../scripts/lib/ingest-client.ts';
import type { SourceRecord } from '../shared-types/src/records.ts';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '6' }, batch: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '4' },
    disk: { type: 'boolean', default: false } },
});
const perRound = Number(values.records);
const rounds = Number(values.rounds);

// In memory by default (as the tests run it); --disk keeps the tables on disk, as `npm start` does.
const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), 'bando-bench-')), persistent: values.disk, ingestKey: 'bench', tickMs: 3_600_000, streamIdleMs: 2_000 });
const client = localClient(stack.endpoint);

// A small procedure catalogue is loaded first (untimed) so dossiers can cite it; both paths are then timed
// on dossiers and feedback, the bulk of what a source system sends. (With the full 37k-procedure catalogue
// loaded first, DynamoDB Local's raw BatchWriteItem rate into a fresh table fell to 45–70 records/s in our
// runs, which would flatter the API; a small catalogue keeps the baseline honest.)
const catalogue = new Set<string>();
const procedures: SourceRecord[] = [];
const all: SourceRecord[] = [];
for (const record of generateDemoData({ units: loadCity().registries, from: '2023-01', to: '2024-12', seed: 7 })) {
  if (record.type === 'procedure' && procedures.length < 200) {
    procedures.push(record);
    catalogue.add(record.id);
  } else if (record.type === 'feedback' || (record.type === 'dossier' && catalogue.has(record.procedureId))) all.push(record);
  if (all.length >= perRound * (rounds + 1)) break;
}
await sendRecords(procedures, { url: stack.url, key: 'bench', batchSize: 1_000, concurrency: 4 });
// Each round writes the SAME records both ways (raw to a fresh table, API to the records table).
const slices = Array.from({ length: rounds + 1 }, (_, i) => all.slice(i * perRound, (i + 1) * perRound));

// One raw table for all rounds, like the one records table: DynamoDB Local slows down with every
// streamed table it holds (a new table per round took the raw rate from 679 to 65 records/s).
const table = 'bench-raw';
await client.send(new CreateTableCommand(createTableInput(recordsTable, table)));

/** Seconds to write `records` with raw BatchWriteItem (8 calls of 25 in flight). */
async function raw(records: SourceRecord[]) {
  const started = performance.now();
  const puts = records.map((record) => {
    const stored = toStoredRecord(record);
    return {
      PutRequest: {
        Item: {
          pk: { S: `${stored.type}#${stored.id}` }, type: { S: stored.type }, id: { S: stored.id }, unitId: { S: stored.unitId },
          updatedAtMs: { N: String(stored.updatedAtMs) }, hash: { S: stored.hash }, body: { S: stored.body },
        },
      },
    };
  });
  await batchWrite(client, table, puts, 8);
  return (performance.now() - started) / 1000;
}

/** Seconds to have `records` acknowledged by the ingest API (`--concurrency` requests of `--batch` in flight). */
async function api(records: SourceRecord[]) {
  const started = performance.now();
  const summary = await sendRecords(records, { url: stack.url, key: 'bench', batchSize: Number(values.batch), concurrency: Number(values.concurrency) });
  if (summary.rejected.length > 0 || summary.accepted !== records.length) throw new Error(`not all accepted: ${JSON.stringify(summary.rejected.slice(0, 2))}`);
  return (performance.now() - started) / 1000;
}

await raw(slices[0]);
await api(slices[0]);
const total = { raw: 0, api: 0 };
const ratios: number[] = [];
for (let round = 1; round <= rounds; round++) {
  // Alternate which path goes first, so drift falls on both.
  const records = slices[round];
  let rawSeconds: number;
  let apiSeconds: number;
  if (round % 2 === 1) {
    rawSeconds = await raw(records);
    apiSeconds = await api(records);
  } else {
    apiSeconds = await api(records);
    rawSeconds = await raw(records);
  }
  total.raw += rawSeconds;
  total.api += apiSeconds;
  ratios.push(rawSeconds / apiSeconds);
  const rate = (seconds: number) => (records.length / seconds).toFixed(0);
  console.log(`round ${round}: raw BatchWriteItem ${rate(rawSeconds)} records/s, API ${rate(apiSeconds)} records/s, ratio ${(rawSeconds / apiSeconds).toFixed(2)}`);
}
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
const records = perRound * rounds;
console.log(
  `ingest: ${perRound} records per path per round, ${rounds} rounds after a warm-up; raw ${(records / total.raw).toFixed(0)}/s, API ${(records / total.api).toFixed(0)}/s, ` +
    `API/raw ${(total.raw / total.api).toFixed(2)} over all rounds, median round ${median.toFixed(2)} (budget ≥ 0.70)`,
);
client.destroy();
await stack.stop();
