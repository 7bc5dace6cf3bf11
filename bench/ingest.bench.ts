/**
 * Ingest throughput through the API vs raw BatchWriteItem to the same DynamoDB Local, side by side in
 * one run (DESIGN.md § Budgets: the API must reach ≥ 70% of the raw rate).
 *
 *   npm run bench:ingest [-- --records 20000 --rounds 2]
 *
 * Both paths write the same records (the API's items carry the same attributes) to tables with the
 * same definition; rounds alternate raw and API so machine noise hits both alike.
 */
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startLocalStack } from '../local/stack.ts';
import { createTableInput, localClient } from '../local/dynamodb.ts';
import { recordsTable } from '../functions/src/store/tables.ts';
import { generateDemoData } from '../functions/src/demo/generate.ts';
import { cityConfig } from '../functions/src/commons/config.ts';
import { toStoredRecord } from '../functions/src/domain/ingest/classify.ts';
import { batchWrite } from '../functions/src/store/dynamodb/client.ts';
import { sendRecords } from '../scripts/lib/ingest-client.ts';
import type { SourceRecord } from '../shared-types/src/records.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '2' } } });
const perRound = Number(values.records);
const rounds = Number(values.rounds);

const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), 'bando-bench-')), ingestKey: 'bench', tickMs: 3_600_000, streamIdleMs: 2_000 });
const client = localClient(stack.endpoint);

// A small procedure catalogue is loaded first (untimed) so dossiers can cite it; both paths are then timed
// on dossiers and feedback, the bulk of what a source system sends. (With the full 37k-procedure catalogue
// loaded first, DynamoDB Local's raw BatchWriteItem rate into a fresh table fell to 45–70 records/s in our
// runs, which would flatter the API; a small catalogue keeps the baseline honest.)
const catalogue = new Set<string>();
const procedures: SourceRecord[] = [];
const all: SourceRecord[] = [];
for (const record of generateDemoData({ units: cityConfig().units, from: '2024-01', to: '2024-12', seed: 7 })) {
  if (record.type === 'procedure' && procedures.length < 200) {
    procedures.push(record);
    catalogue.add(record.id);
  } else if (record.type === 'feedback' || (record.type === 'dossier' && catalogue.has(record.procedureId))) all.push(record);
  if (all.length >= perRound * rounds) break;
}
await sendRecords(procedures, { url: stack.url, key: 'bench', batchSize: 1_000, concurrency: 4 });
// Each round writes the SAME records both ways (raw to a fresh table, API to the records table).
const slices = Array.from({ length: rounds }, (_, i) => all.slice(i * perRound, (i + 1) * perRound));

// One raw table for all rounds, like the one records table: DynamoDB Local slows down with every
// streamed table it holds (a new table per round took the raw rate from 679 to 65 records/s).
const table = 'bench-raw';
await client.send(new CreateTableCommand(createTableInput(recordsTable, table)));

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
  return records.length / ((performance.now() - started) / 1000);
}

async function api(records: SourceRecord[]) {
  const started = performance.now();
  const summary = await sendRecords(records, { url: stack.url, key: 'bench', batchSize: 1_000, concurrency: 4 });
  if (summary.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(summary.rejected.slice(0, 2))}`);
  return summary.accepted / ((performance.now() - started) / 1000);
}

const results: { round: number; raw: number; api: number }[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternate which path goes first, so warm-up and drift fall on both.
  let rawRate = 0;
  let apiRate = 0;
  if (round % 2 === 0) {
    rawRate = await raw(slices[round]);
    apiRate = await api(slices[round]);
  } else {
    apiRate = await api(slices[round]);
    rawRate = await raw(slices[round]);
  }
  results.push({ round, raw: rawRate, api: apiRate });
  console.log(`round ${round + 1}: raw BatchWriteItem ${rawRate.toFixed(0)} records/s, API ${apiRate.toFixed(0)} records/s, ratio ${(apiRate / rawRate).toFixed(2)}`);
}
const sum = (key: 'raw' | 'api') => results.reduce((total, r) => total + r[key], 0) / results.length;
console.log(`ingest: ${perRound} records per path per round, ${rounds} rounds; raw ${sum('raw').toFixed(0)}/s, API ${sum('api').toFixed(0)}/s, API/raw ${(sum('api') / sum('raw')).toFixed(2)} (budget ≥ 0.70)`);
client.destroy();
await stack.stop();
