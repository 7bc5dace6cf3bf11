/**
 * npm start [-- --reset] [-- --no-demo]: the whole product on http://localhost:${PORT:-8080}.
 * Data lives under .data/ and survives restarts; --reset wipes it first; the demo data
 * (HCMC from 2023-01 to this month) is loaded on a first run unless --no-demo.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startLocalStack } from './stack.ts';
import { sendRecords } from '../scripts/lib/ingest-client.ts';
import { progressBar } from '../scripts/lib/progress.ts';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
    port: { type: 'string' },
    data: { type: 'string', default: '.data' },
  },
});
const port = Number(values.port ?? process.env.PORT ?? 8080);
const ingestKey = process.env.INGEST_KEY ?? 'dev-ingest-key';
const started = Date.now();
// Score a unit once its records have been quiet for 3 s: a bulk load is not re-read on every tick.

/** What the web build is made of: a source newer than dist/web/index.html means the build is stale (a pull, an edit). */
const WEB_SOURCES = ['shell', 'microfrontends', 'packages/kit', 'embed', 'shared-types/src', 'config/cities'];
const newestIn = (dir: string): number =>
  !existsSync(dir) ? 0 : readdirSync(dir, { withFileTypes: true, recursive: true })
    // not what builds write there: node_modules, the kit's packed bin (packages/kit/bin/*.bundle.js)
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.bundle.js') && !join(entry.parentPath, entry.name).includes('node_modules'))
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
const built = existsSync('dist/web/index.html') ? statSync('dist/web/index.html').mtimeMs : 0;
if (built === 0 || Math.max(...WEB_SOURCES.map(newestIn)) > built) {
  console.log(built === 0 ? 'Building the web app (first run)…' : 'Building the web app (its sources changed since the last build)…');
  execFileSync(process.execPath, ['scripts/build-web.ts'], { stdio: 'inherit' });
}

const stack = await startLocalStack({ port, dataDir: values.data, persistent: true, reset: values.reset, ingestKey, tickMs: 2_000, log: (line) => console.error(line) });
console.log(`\nBản đồ thể chế is running at http://localhost:${port}  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`  API  http://localhost:${port}/api/v1/openapi.json   ingest key: ${ingestKey === 'dev-ingest-key' ? 'dev-ingest-key' : '$INGEST_KEY'}`);
console.log(`  data http://localhost:${port}/data/latest.json     DynamoDB Local: ${stack.endpoint}\n`);

const shutdown = async () => {
  console.log('\nStopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

if (!values['no-demo'] && !(await stack.hasRecords())) {
  const { generateDemoData, planDemoData } = await import('../tools/demo/generate.ts');
  const { loadCity } = await import('../functions/src/commons/city.ts');
  const { monthOf } = await import('../shared-types/src/periods.ts');
  // A quarter of the full volume (~50k dossiers) loads in a few minutes on a laptop;
  // `npm run demo-data -- --scale 1` + `npm run import` gives the full city.
  const options = { units: loadCity().registries, from: '2023-01', to: monthOf(Date.now()), seed: 766, scale: Number(process.env.DEMO_SCALE ?? 0.25) };
  const plan = planDemoData(options);
  console.log(`Loading demo data through the ingest API: ${plan.total.toLocaleString('en')} records (${plan.dossiers.toLocaleString('en')} dossiers). The map fills in as they arrive.`);
  const bar = progressBar('demo data', plan.total);
  let done = 0;
  const summary = await sendRecords(generateDemoData(options), {
    url: stack.url,
    key: ingestKey,
    batchSize: 1_000,
    concurrency: 2,
    onBatch: ({ records }) => bar.update((done += records.length)),
  });
  bar.done(`demo data: ${summary.accepted.toLocaleString('en')} accepted, ${summary.rejected.length} rejected`);
  if (summary.rejected.length > 0) console.error('first rejections:', JSON.stringify(summary.rejected.slice(0, 3)));
}
