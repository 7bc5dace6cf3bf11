/**
 * npm run reliability: the reliability scenarios of test/reliability, larger than in `npm test`, each
 * against its own local stack on 127.0.0.1 and bounded in size and time; prints the figures and
 * writes RELIABILITY.md. The scenarios are the same code the tests run (test/reliability/scenarios/).
 *
 *   npm run reliability [-- --scenario duplicates,crash] [--scale 0.5] [--quick] [--no-write]
 *
 * --quick runs each scenario at its test size (a smoke test of the script). RELIABILITY.md is written
 * only by a full run (every scenario, not --quick) unless --no-write. Exit code 1 when any scenario
 * found a problem, a mismatch, or ran out of time.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startTestStack } from '../test/support/local-stack.ts';
import type { LocalStack } from '../local/stack.ts';
import { duplicatesSizes, runDuplicates } from '../test/reliability/scenarios/duplicates.ts';
import { crashSizes, runCrash } from '../test/reliability/scenarios/crash.ts';
import { runThrottling, throttlingSizes } from '../test/reliability/scenarios/throttling.ts';
import { replaySizes, runStreamReplay } from '../test/reliability/scenarios/replay.ts';
import { fuzzSizes, runFuzz } from '../test/reliability/scenarios/fuzz.ts';
import { accessSizes, runAccess, startAccessStack } from '../test/reliability/scenarios/access.ts';
import { abuseSizes, runAbuse, startAbuseStack } from '../test/reliability/scenarios/abuse.ts';
import { noFigures, summary, type Figures, type Log, type ScenarioResult, type Sizes } from '../test/reliability/scenarios/result.ts';

interface Scenario<T> {
  test: string;
  /** what the scenario does and what its ending proves, for RELIABILITY.md */
  proves: string;
  /** time limit at scale 1, in minutes (the default run's sizes take well under it on 2 cores) */
  minutes: number;
  sizes: Sizes<T>;
  run(options: T, log: Log): Promise<ScenarioResult>;
}
const scenario = <T>(definition: Scenario<T>) => definition as Scenario<unknown>;

/** Runs `work` against a fresh in-process stack, stopped afterwards whatever happens. */
async function withStack<T>(start: () => Promise<LocalStack>, work: (stack: LocalStack) => Promise<T>): Promise<T> {
  const stack = await start();
  try {
    return await work(stack);
  } finally {
    await stack.stop();
  }
}

const scenarios: Record<string, Scenario<unknown>> = {
  duplicates: scenario({
    test: 'test/reliability/duplicates.test.ts',
    proves: 'Every record is sent 3 times, shuffled, split across 8 clients sending at once, with later (completed) copies of some open dossiers mixed in. Duplicates, reordering and concurrent writers of the same record change nothing: each record is stored once per distinct copy at most, and the latest copy wins.',
    minutes: 6,
    sizes: duplicatesSizes,
    run: (options, log) => withStack(() => startTestStack(), (stack) => runDuplicates(stack, options, log)),
  }),
  crash: scenario({
    test: 'test/reliability/crash.test.ts',
    proves: 'The stack as `npm start` runs it (Node server + DynamoDB Local, one process group) is killed with SIGKILL while two clients are sending; after each restart the client first resends every batch acknowledged since the previous start — each must come back `unchanged`: nothing acknowledged was lost — then everything not acknowledged. Nothing counts twice.',
    minutes: 6,
    sizes: crashSizes,
    run: (options, log) => runCrash(options, log),
  }),
  throttling: scenario({
    test: 'test/reliability/faults.test.ts',
    proves: "Faults injected into the handlers' DynamoDB client (AWS SDK middleware): 15% of requests fail with `ThrottlingException` below the SDK's retry layer, and half of every `BatchGetItem` comes back as `UnprocessedKeys` (half of every `BatchWriteItem` as `UnprocessedItems`) above it. Every record is accepted exactly once and scoring under the same faults is still exact.",
    // As its test allows: under injected faults every conditional write of the scorer's plans is retried by the SDK.
    minutes: 15,
    sizes: throttlingSizes,
    run: (options, log) => withStack(() => startTestStack(), (stack) => runThrottling(stack, options, log)),
  }),
  replay: scenario({
    test: 'test/reliability/replay.test.ts',
    proves: 'After the records are stored and scored, the whole records stream is handed to the aggregate handler again, batch by batch, as read, reversed and shuffled: every batch delivered several times and out of order. Marking units dirty is idempotent and the scorer recounts from the records, so the scores do not move.',
    minutes: 4,
    sizes: replaySizes,
    run: (options, log) => withStack(() => startTestStack(), (stack) => runStreamReplay(stack, options, log)),
  }),
  fuzz: scenario({
    test: 'test/reliability/fuzz.test.ts',
    proves: 'Generated bodies (fast-check, fixed seed) POSTed to the ingest API over HTTP: broken JSON, wrong types, missing and unknown fields, huge strings, dates out of range, unknown units, wrong media types, one oversized body. No 5xx, every error and every rejected record names its field, and every record stored passes the shared schema and belongs to a known unit.',
    minutes: 6,
    sizes: fuzzSizes,
    run: (options, log) => withStack(() => startTestStack({ tickMs: 5_000 }), (stack) => runFuzz(stack, options, log)),
  }),
  access: scenario({
    test: 'test/reliability/access.test.ts',
    proves: "Every district's scoped key writes a procedure to every district and to a ward of its own; every team's key publishes its own module and tries every other module's publish and rollback, and to write records; nobody gets in with no key or an unknown one. Procedure names carry `<script>` and `onerror` markup. Only in-scope records are stored, markup verbatim as text; every module is as its own team published it; the front-end source has no HTML sink (`{@html}`, `innerHTML`, …), so the markup renders inert.",
    minutes: 3,
    sizes: accessSizes,
    run: async (options, log) => {
      const { stack, publicDir } = await startAccessStack();
      return withStack(async () => stack, () => runAccess(stack, publicDir, options, log));
    },
  }),
  abuse: scenario({
    test: 'test/reliability/abuse.test.ts',
    proves: "Each district's own key stores its records (ids with Vietnamese letters), withdraws one with a tombstone and brings another back; then every district's key attacks every other district's records: takes them over with a later or an older copy, freezes them with an updatedAt in year 9999, deletes them (in the victim's unit or its own), aliases their ids in NFD, reads them, pre-claims an id the victim has not sent yet, aims a feedback at the victim's ward; and tries prototype names (`__proto__`, `constructor`, `prototype`) wherever an id or a code goes, revoked, expired, unknown and missing keys, `?type=__proto__`, malformed %-escapes and `/embed/..%2f` paths, a batch whose reply would pass Lambda's 6 MB. Every attack is refused (a pre-claimed id is refused to its owner naming the holder, and the city's key repairs it), no 5xx, no HTML page without its CSP, every server CSV starts with a byte-order mark and holds no formula cell, no record is changed by an attacker (each stored as its owner last sent it, with its owner's key as writer), and the published scores equal a full recompute of what the owners sent.",
    minutes: 5,
    sizes: abuseSizes,
    run: (options, log) => withStack(startAbuseStack, (stack) => runAbuse(stack, options, log)),
  }),
};

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    scale: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 4)) throw new Error('--scale must be a number in (0, 4]: the runs are bounded');
const chosen: 'test' | number = values.quick ? 'test' : scale;
const sized = (name: string) => (chosen === 'test' ? scenarios[name].sizes.test : scenarios[name].sizes.bench(chosen));

if (values.child) {
  // One scenario in this process (the parent bounds its time): the last stdout line is its result.
  delete process.env.CITY_REGISTRY_FILE;
  const started = Date.now();
  const result = await scenarios[values.child].run(sized(values.child), (line) => console.error(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`));
  console.log(JSON.stringify(result));
  process.exit(0);
}

const names = values.scenario ? values.scenario.split(',') : Object.keys(scenarios);
for (const name of names) if (!scenarios[name]) throw new Error(`unknown scenario "${name}": ${Object.keys(scenarios).join(', ')}`);

/** Runs one scenario in its own process group, killed (DynamoDB Local with it) when over its time. */
function runChild(name: string): Promise<ScenarioResult> {
  const limitMs = scenarios[name].minutes * 60_000 * Math.max(1, chosen === 'test' ? 1 : chosen);
  const args = ['bench/reliability.ts', '--child', name, '--scale', String(scale), ...(values.quick ? ['--quick'] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, limitMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (!timedOut && code === 0 && last.startsWith('{')) return resolve(JSON.parse(last) as ScenarioResult);
      const failed: ScenarioResult = { scenario: name, figures: noFigures(), problems: [timedOut ? `ran out of its ${limitMs / 60_000} minutes` : `exited with code ${code}`] };
      resolve(failed);
    });
  });
}
const loadBefore = loadavg();
const started = Date.now();
const results: ScenarioResult[] = [];
for (const name of names) {
  console.error(`› ${name} (${chosen === 'test' ? 'test size' : `scale ${scale}`})`);
  const result = await runChild(name);
  results.push(result);
  console.error(`  ${summary(result)}${result.problems.length ? `\n  PROBLEMS:\n    ${result.problems.join('\n    ')}` : ''}`);
}
const totalMinutes = (Date.now() - started) / 60_000;

const n = (value: number) => value.toLocaleString('en');
const verified = (f: Figures) => f.scoresCompared > 0;
const columns: [string, (r: ScenarioResult) => string][] = [
  ['scenario', (r) => r.scenario],
  ['records', (r) => n(r.figures.records)],
  ['sends', (r) => n(r.figures.sends)],
  ['requests', (r) => n(r.figures.requests)],
  ['retries', (r) => n(r.figures.retries)],
  ['crashes survived', (r) => n(r.figures.crashesSurvived)],
  ['fuzz bodies', (r) => n(r.figures.fuzzCases)],
  ['5xx', (r) => n(r.figures.status5xx)],
  ['invalid stored', (r) => n(r.figures.invalidStored)],
  ['scores compared', (r) => n(r.figures.scoresCompared)],
  ['≠ recompute', (r) => (verified(r.figures) ? n(r.figures.mismatchesRecompute) : '–')],
  ['≠ count', (r) => (verified(r.figures) ? n(r.figures.mismatchesCount) : '–')],
  ['problems', (r) => n(r.problems.length)],
  ['time', (r) => `${(r.figures.elapsedMs / 1000).toFixed(0)} s`],
];
const table = [
  `| ${columns.map(([title]) => title).join(' | ')} |`,
  `|${columns.map(() => '---').join('|')}|`,
  ...results.map((result) => `| ${columns.map(([, cell]) => cell(result)).join(' | ')} |`),
].join('\n');
console.log(`\n${table}\n`);

const failed = results.filter((r) => r.problems.length > 0 || r.figures.mismatchesRecompute > 0 || r.figures.mismatchesCount > 0 || r.figures.status5xx > 0 || r.figures.invalidStored > 0);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadBefore[0].toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (the machine is shared)`;
const command = `npm run reliability${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

if (names.length === Object.keys(scenarios).length && !values.quick && !values['no-write']) {
  const sections = results.map((result) => {
    const scenario = scenarios[result.scenario];
    const details = Object.entries(result.figures.detail).map(([key, value]) => `${key} ${typeof value === 'number' ? n(value) : value}`).join('; ');
    return `### ${result.scenario}

${scenario.proves}

- Figures: ${details || '—'}.
- Ends with: ${verified(result.figures) ? `${n(result.figures.scoresCompared)} published unit scores (snapshot and read API) compared: ${n(result.figures.mismatchesRecompute)} differ from the full recompute, ${n(result.figures.mismatchesCount)} from the independent count` : `${n(result.figures.status5xx)} responses 5xx, ${n(result.figures.invalidStored)} records stored that should not be`}${result.problems.length ? `; **problems: ${result.problems.join('; ')}**` : '; no problem'}.
- Size: ${JSON.stringify(sized(result.scenario))}; in \`npm test\` (\`${scenario.test}\`): ${JSON.stringify(scenario.sizes.test)}.`;
  });
  writeFileSync(
    'RELIABILITY.md',
    `# Reliability

Written by \`${command}\` on ${new Date().toISOString().slice(0, 10)} in ${totalMinutes.toFixed(1)} minutes.
Machine: ${machine}.

Each scenario is one piece of code in \`test/reliability/scenarios/\`, run small by its test in \`npm test\`
and larger here, each against its own local stack on 127.0.0.1 (real DynamoDB Local, real HTTP), bounded
in size and time (\`--scale\` multiplies the sizes, at most 4; \`--quick\` runs the test sizes).

**How a scenario ends.** After the stack has settled (\`pending: 0\`), the published scores of every month,
quarter and year of the data — the static snapshot \`/data/scores/<period>.json\` and the read API
\`/api/v1/scores?period=<period>\`, every unit of the city — are compared with two things computed from what
was sent: a full recompute (\`scoreAll\` over the latest copy of every record) and an independent count
written without the engine (per period and unit, pooled over its subtree: dossiers in the period, dossiers
received, those reusing digitized data, feedback in the period, against indicators 4.2, 4.4 and 5.1).
Fuzz and access end instead with what is stored: nothing invalid, nothing outside a key's scope; abuse with both
(every record as its owner sent it, and the published scores of March 2024 against the recompute and the count).

${table}

"requests" counts HTTP requests to the API, retries included; "retries" are the client's own (network
error, 429, 5xx); faults absorbed inside the handlers (SDK retries, unprocessed items) are under throttling.

## Scenarios

${sections.join('\n\n')}
`,
  );
  console.error('RELIABILITY.md written');
}
console.error(`${results.length} scenarios in ${totalMinutes.toFixed(1)} minutes; ${failed.length ? `FAILED: ${failed.map((r) => r.scenario).join(', ')}` : 'every scenario held'}`);
process.exit(failed.length ? 1 : 0);
