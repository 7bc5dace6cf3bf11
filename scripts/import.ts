/**
 * npm run import -- <file> --type dossier|procedure|feedback [--url URL] [--key KEY] [--batch 1000]
 *
 * Streams a large JSON array, NDJSON or CSV file to the ingest API in batches, with a progress bar and
 * retries. Rejections are written beside the file (`<file>.rejections.json`), and progress to
 * `<file>.import-state.json`, so an interrupted import resumes where it stopped; a batch sent twice
 * counts once anyway, because the API keeps the copy with the latest `updatedAt`.
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { sendRecords } from './lib/ingest-client.ts';
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
if (isCsv && !types.includes(values.type ?? '')) {
  console.error(`import: a CSV file needs --type ${types.join('|')}`);
  process.exit(2);
}

/** Records of the file, in order, each with `type` set when --type is given. */
async function* records(): AsyncGenerator<unknown> {
  const withType = (record: Record<string, unknown>) => (values.type ? { type: values.type, ...record } : record);
  if (isCsv) {
    // Cells stay text; the API turns them into the schema's types and names any that do not fit.
    for await (const row of createReadStream(file).pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, trim: true }))) {
      yield withType(Object.fromEntries(Object.entries(row as Record<string, string>).map(([k, v]) => [k, v === '' ? null : coerce(v)])));
    }
    return;
  }
  const head = readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 1).trim();
  if (head === '[') {
    for (const record of JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[]) yield withType(record);
    return;
  }
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim()) yield withType(JSON.parse(line));
  }
}

function coerce(cell: string): unknown {
  if (cell === 'true' || cell === 'false') return cell === 'true';
  return /^-?\d+$/.test(cell) ? Number(cell) : cell;
}

const stateFile = `${file}.import-state.json`;
const rejectionsFile = `${file}.rejections.json`;
const resumeFrom = !values.restart && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')).acknowledged as number) : 0;
if (resumeFrom > 0) console.error(`import: resuming after record ${resumeFrom} (use --restart to send everything again)`);

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
  onBatch: ({ start, records: batch }) => {
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
writeFileSync(rejectionsFile, JSON.stringify(summary.rejected.map((r) => ({ ...r, position: r.position + resumeFrom })), null, 2));
console.log(`import: ${summary.sent} sent, ${summary.accepted} accepted, ${summary.unchanged} unchanged, ${summary.rejected.length} rejected (see ${rejectionsFile}), ${summary.pending} pending (dossiers whose procedure is not stored yet), ${summary.retries} retries`);
process.exit(summary.rejected.length > 0 ? 1 : 0);
