/**
 * npm run import -- <file> --type dossier|procedure|feedback [--url URL] [--key KEY] [--batch 1000] [--restart]
 *
 * Streams a large JSON array, NDJSON or CSV file to the ingest API in batches, with a progress bar and
 * retries. Every rejection goes to `<file>.rejections.ndjson` (one per line, with its position in the file)
 * as soon as its batch is acknowledged, and progress to `<file>.import-state.json`, so an interrupted import
 * resumes where it stopped and still reports the rejections of its earlier runs; a batch sent twice counts
 * once anyway, because the API keeps the copy with the latest `updatedAt`. Exits 1 when any record of the
 * file was rejected (in this run or an earlier one), 0 when all were stored.
 */
import { appendFileSync, createReadStream, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { csvRecord, isRecordType } from '../functions/src/domain/ingest/parse-body.ts';
import { sendRecords, type SendSummary } from './lib/ingest-client.ts';
import { progressBar } from './lib/progress.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    type: { type: 'string' },
    url: { type: 'string', default: process.env.BANDO_URL ?? 'http://localhost:8080' },
    key: { type: 'string', default: process.env.INGEST_KEY ?? 'dev-ingest-key' },
    batch: { type: 'string', default: '1000' },
    restart: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
const types = ['dossier', 'procedure', 'feedback'];
if (!file || !existsSync(file)) {
  console.error(`usage: npm run import -- <file.json|file.ndjson|file.csv> [--type ${types.join('|')}] [--url URL] [--key KEY] [--batch N] [--restart]`);
  process.exit(2);
}
const isCsv = file.endsWith('.csv');
const csvType = values.type;
if (isCsv && !isRecordType(csvType)) {
  console.error(`import: a CSV file needs --type ${types.join('|')}`);
  process.exit(2);
}

/** Records of the file, in order, each with `type` set when --type is given. */
async function* records(): AsyncGenerator<unknown> {
  if (isRecordType(csvType) && isCsv) {
    // The API's own coercion, read off the record schema: booleans and counts typed, ids left as text ("000123").
    for await (const row of createReadStream(file).pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, trim: true }))) {
      yield csvRecord(csvType, row as Record<string, string>);
    }
    return;
  }
  const withType = (record: Record<string, unknown>) => (values.type ? { type: values.type, ...record } : record);
  const head = readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 1).trim();
  if (head === '[') {
    for (const record of JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[]) yield withType(record);
    return;
  }
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim()) yield withType(JSON.parse(line));
  }
}

type Rejection = SendSummary['rejected'][number];
const stateFile = `${file}.import-state.json`;
const rejectionsFile = `${file}.rejections.ndjson`;
if (values.restart) rmSync(rejectionsFile, { force: true });
const resumeFrom = !values.restart && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')).acknowledged as number) : 0;
if (resumeFrom > 0) console.error(`import: resuming after record ${resumeFrom} (use --restart to send everything again)`);

/** Every rejection so far, by position in the file: a batch resent after an interruption is rejected again, once. */
function rejectionsSoFar(): Map<number, Rejection> {
  const byPosition = new Map<number, Rejection>();
  if (!existsSync(rejectionsFile)) return byPosition;
  for (const line of readFileSync(rejectionsFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const rejection = JSON.parse(line) as Rejection;
    byPosition.set(rejection.position, rejection);
  }
  return byPosition;
}

async function* remaining() {
  let position = 0;
  for await (const record of records()) if (position++ >= resumeFrom) yield record;
}

// Progress is by bytes for big files; records are counted as they are acknowledged.
const estimate = Math.max(1, Math.round(statSync(file).size / 600));
const bar = progressBar('import', estimate);
let acknowledged = resumeFrom;
const done = new Map<number, number>(); // acknowledged batches not yet contiguous: start → length
const summary = await sendRecords(remaining(), {
  url: values.url!,
  key: values.key!,
  batchSize: Number(values.batch),
  concurrency: 2,
  onBatch: ({ start, records: batch, result }) => {
    // Rejections first, then progress: an interruption in between resends the batch (its rejections are kept once).
    const lines = result.rejected.map((rejection) => `${JSON.stringify({ ...rejection, position: resumeFrom + start + rejection.index })}\n`);
    if (lines.length) appendFileSync(rejectionsFile, lines.join(''));
    // The state file only moves past batches acknowledged in order, so a resume never skips one.
    done.set(resumeFrom + start, batch.length);
    while (done.has(acknowledged)) {
      const length = done.get(acknowledged)!;
      done.delete(acknowledged);
      acknowledged += length;
    }
    writeFileSync(stateFile, JSON.stringify({ file, acknowledged, at: new Date().toISOString() }));
    bar.update(acknowledged);
  },
});
bar.done();
const rejections = [...rejectionsSoFar().values()].sort((a, b) => a.position - b.position);
writeFileSync(rejectionsFile, rejections.map((rejection) => `${JSON.stringify(rejection)}\n`).join('')); // each position once
const earlier = rejections.length - summary.rejected.length;
console.log(
  `import: ${summary.sent} sent, ${summary.accepted} accepted, ${summary.unchanged} unchanged, ` +
    `${rejections.length} rejected${earlier > 0 ? ` (${earlier} in earlier runs)` : ''} (see ${rejectionsFile}), ` +
    `${summary.pending} pending (dossiers whose procedure is not stored yet), ${summary.retries} retries`,
);
if (summary.rejectedUnlisted > 0) console.error(`import: ${summary.rejectedUnlisted} more records were rejected than the API listed; send smaller batches (--batch) to see them`);
process.exit(rejections.length > 0 || summary.rejectedUnlisted > 0 ? 1 : 0);
