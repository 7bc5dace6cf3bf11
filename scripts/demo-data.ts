/**
 * npm run demo-data -- --from 2023-01 [--to YYYY-MM] --seed N [--scale X] [--registry hcmc-2024] [--out file.ndjson]
 *
 * The city is `$CITY` (default hcmc): every month is generated for the registry in force then, and open records of
 * units that ceased move to their successors at each change; `--registry` generates one registry for every month.
 *
 * Writes deterministic demo records (procedures, dossiers, 1022 feedback) as NDJSON, to --out or
 * to stdout (use `npm run -s demo-data` then, or npm's banner lands in the output too), with a
 * progress bar on stderr. Without --to the data runs to the current month and describes the
 * state at the start of today (local time), so two runs on one day give the same bytes.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { monthOf } from '../shared-types/src/periods.ts';
import { generateDemoData, planDemoData, type DemoOptions, type DemoProgress } from '../tools/demo/generate.ts';
import { loadCity, loadRegistry } from '../functions/src/commons/city.ts';
import { progressBar } from './lib/progress.ts';

const USAGE = `usage: npm run demo-data -- --from YYYY-MM [--to YYYY-MM] --seed N [--scale X] [--registry NAME] [--out FILE]
  --from      first month (required)
  --to        last month (default: the current month, up to the start of today)
  --seed      any integer or word; same seed, same records (required)
  --scale     multiplies dossier and feedback volumes (default 1 ≈ 200k dossiers for 2023-01..2026-11)
  --registry  one of the city's registries for every month, e.g. hcmc-2024 (default: each registry for its months)
  --out       NDJSON file to write (default: stdout)
  --quiet     no progress bar`;

function fail(message: string): never {
  process.stderr.write(`demo-data: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        seed: { type: 'string' },
        scale: { type: 'string' },
        registry: { type: 'string' },
        out: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (!values.from) fail('--from is required');
  if (values.seed === undefined || values.seed === '') fail('--seed is required');
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  if (!(scale > 0) || !Number.isFinite(scale)) fail(`--scale must be a positive number, got "${values.scale}"`);
  const seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;

  const to = values.to ?? monthOf(Date.now());

  let units;
  try {
    units = values.registry ? loadRegistry(values.registry) : loadCity().registries;
  } catch (err) {
    fail((err as Error).message);
  }

  const opts: DemoOptions = { units, from: values.from, to, seed, scale, now: Date.now(), progressEvery: 2000 };
  let total = 0;
  try {
    total = planDemoData(opts).total; // also checks the options before the output is opened
  } catch (err) {
    fail((err as Error).message);
  }
  const bar = values.quiet ? null : progressBar('demo-data', total);
  const show = (p: DemoProgress) => bar?.update(p.done, `(procedures ${p.procedures}, dossiers ${p.dossiers}, feedback ${p.feedback})`);

  const out = values.out ? createWriteStream(values.out) : process.stdout;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0); // the reader went away (e.g. `| head`)
    process.stderr.write(`demo-data: cannot write ${values.out ?? 'stdout'}: ${err.message}\n`);
    process.exit(1);
  });
  const started = performance.now();
  let buffer = '';
  let last: DemoProgress | undefined;
  const records = generateDemoData({ ...opts, onProgress: (p) => { last = p; show(p); } });
  for (const record of records) {
    buffer += JSON.stringify(record) + '\n';
    if (buffer.length > 1 << 20) {
      await write(out, buffer);
      buffer = '';
    }
  }
  if (buffer) await write(out, buffer);
  if (values.out) {
    await new Promise<void>((resolve, reject) => (out as WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  bar?.done(`demo-data: ${total.toLocaleString('en')} records (${last?.dossiers.toLocaleString('en') ?? 0} dossiers) in ${seconds} s${values.out ? ` → ${values.out}` : ''}`);
}

await main();
