/**
 * Lighthouse (npm `lighthouse`, mobile defaults: simulated slow 4G and 4× CPU slowdown) on the
 * first view of `/` and on an embed, in Debian's Chromium. Not a test: scores and timings depend on
 * the machine. Prints one plain-text block that `npm run bench` copies into BENCHMARKS.md.
 *
 * What it measures: the real local stack (startLocalStack: DynamoDB Local, the real handlers, the
 * publisher's snapshots) with HCMC demo data sent through the ingest API — a few recent months at a
 * reduced volume, which is enough because the pages read one period's snapshots of every unit —
 * and the site built from this checkout. A proxy (lib/cdn-proxy.ts) stands in front of it as
 * CloudFront does in front of S3: HTTPS with HTTP/2, gzip, what it compressed kept (the local stack
 * serves files uncompressed over HTTP/1.1). Once the data is published the pipeline is paused
 * (stack.pause): its polls and publishes every second, on the same 2 cores, lengthened the
 * observed tasks Lighthouse scales up.
 *
 * Scores vary from run to run (the machine is shared, Lighthouse simulates from the observed task
 * times): each page is audited --runs times and the run with the median performance score is
 * reported, with the range of every run beside it. One untimed audit of `/` comes first: a freshly
 * launched Chromium pays its own start-up (V8 context, font configuration) in the first page it
 * renders, which no visitor's page load does.
 *
 *   npm run bench:lighthouse [-- --months 3 --scale 0.25 --runs 3]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { buildWeb } from '../scripts/build-web.ts';
import { cdnProxy, selfSignedCertificate } from './lib/cdn-proxy.ts';
import { startLocalStack } from '../local/stack.ts';
import { sendRecords } from '../scripts/lib/ingest-client.ts';
import { generateDemoData, planDemoData } from '../tools/demo/generate.ts';
import { loadCity } from '../functions/src/commons/city.ts';
import { monthIdOf, monthIndexOf } from '../shared-types/src/periods.ts';

const { values } = parseArgs({ options: { months: { type: 'string', default: '3' }, scale: { type: 'string', default: '0.25' }, runs: { type: 'string', default: '3' } } });
const KEY = 'lighthouse-bench-key';
/** the full reports, for a closer look (gitignored) */
const REPORTS_DIR = fileURLToPath(new URL('../test-results/lighthouse/', import.meta.url));
/** DESIGN.md § Budgets */
const BUDGET = { firstViewJs: 100 * 1024, firstViewTotal: 150 * 1024, embedTotal: 80 * 1024, performance: 95, accessibility: 100 };

interface PageFigures {
  label: string; path: string;
  performance: number; accessibility: number; bestPractices: number;
  lcpMs: number; tbtMs: number; cls: number;
  /** transfer bytes (compressed, headers included) by Lighthouse resource type */
  bytes: Record<string, number>; totalBytes: number;
  failing: string[];
  /** where the time and the layout shifts went (the report's diagnostics, in one line each) */
  diagnostics: string[];
  /** Lighthouse's version, the browser, and its CPU benchmark of this machine (lower = slower) */
  lighthouse: string; browser: string; benchmarkIndex: number;
  /** every run of this page: the figures above are the median one's */
  runs?: Omit<PageFigures, 'label' | 'path' | 'runs'>[];
}

type Items = { items?: Record<string, unknown>[] } | undefined;

async function audit(url: string, port: number, run: number | 'warm-up'): Promise<Omit<PageFigures, 'label' | 'path'>> {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] });
  if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const items = (id: string) => (lhr.audits[id]?.details as Items)?.items ?? [];
  const requests = items('network-requests') as { transferSize?: number; resourceType?: string }[];
  const bytes: Record<string, number> = {};
  for (const r of requests) bytes[r.resourceType ?? 'Other'] = (bytes[r.resourceType ?? 'Other'] ?? 0) + (r.transferSize ?? 0);
  // what cost points, so a score below 100 says why
  const failing = Object.values(lhr.categories).flatMap((c) => c.id === 'performance' ? [] : c.auditRefs
    .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1).map((ref) => `${c.id}: ${ref.id}`));
  const path = (u: unknown) => String(u).replace(/^https?:\/\/[^/]+/, '');
  const diagnostics = [
    `main thread: ${items('mainthread-work-breakdown').slice(0, 4).map((i) => `${i.groupLabel} ${Math.round(i.duration as number)} ms`).join(', ')}`,
    `script time: ${items('bootup-time').slice(0, 3).map((i) => `${path(i.url)} ${Math.round(i.total as number)} ms`).join(', ')}`,
    `layout shifts: ${items('layout-shifts').slice(0, 3).map((i) => `${(i.node as { selector?: string } | undefined)?.selector ?? '?'} ${(i.score as number).toFixed(3)}`).join(', ') || 'none'}`,
  ];
  await mkdir(REPORTS_DIR, { recursive: true });
  await writeFile(join(REPORTS_DIR, `${new URL(url).pathname.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'home'}-${run}.json`), JSON.stringify(lhr));
  return {
    performance: score('performance'), accessibility: score('accessibility'), bestPractices: score('best-practices'),
    lcpMs: value('largest-contentful-paint'), tbtMs: value('total-blocking-time'), cls: value('cumulative-layout-shift'),
    bytes, totalBytes: value('total-byte-weight'), failing, diagnostics,
    lighthouse: lhr.lighthouseVersion, browser: lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium', benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

const started = Date.now();
const scratch = await mkdtemp(join(tmpdir(), 'itmap-lighthouse-'));
const webDir = join(scratch, 'web');
await buildWeb({ outDir: webDir, quiet: true });
const stack = await startLocalStack({ dataDir: join(scratch, 'stack'), webDir, ingestKey: KEY, tickMs: 1_000 });
let proxy: Awaited<ReturnType<typeof cdnProxy>> | null = null;
let chrome: chromeLauncher.LaunchedChrome | null = null;
try {
  // demo data for the last few months: every unit of the city, fewer records than `npm start`
  const thisMonth = monthIndexOf(Date.now());
  const demo = { units: loadCity().registries, from: monthIdOf(thisMonth - Number(values.months) + 1), to: monthIdOf(thisMonth), seed: 766, scale: Number(values.scale) };
  const plan = planDemoData(demo);
  const sent = await sendRecords(generateDemoData(demo), { url: stack.url, key: KEY, batchSize: 1_000, concurrency: 2 });
  // a handful of rejections does not change what the pages weigh: report them, carry on
  if (sent.rejected.length) console.error(`demo data: ${sent.rejected.length} rejected, e.g. ${JSON.stringify(sent.rejected.slice(0, 3))}`);
  await stack.settle();
  // everything is published: the audits measure the pages as a CDN serves them, not the pipeline on the same 2 cores
  await stack.pause();
  proxy = await cdnProxy(stack.url, selfSignedCertificate());
  const latest = await (await fetch(`${stack.url}/data/latest.json`)).json() as { latestPeriod: string };
  const period = latest.latestPeriod;
  // the embed ranks the period's largest peer group (HCMC since July 2025: wards, no districts)
  const ranked = await (await fetch(`${stack.url}/data/rankings/${period}.json`)).json() as { scores: { peerGroup: string }[] };
  const sizes = new Map<string, number>();
  for (const { peerGroup } of ranked.scores) sizes.set(peerGroup, (sizes.get(peerGroup) ?? 0) + 1);
  const peer = [...sizes].sort((a, b) => b[1] - a[1])[0][0];

  process.env.CHROME_PATH ??= '/usr/bin/chromium';
  chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--ignore-certificate-errors'] });
  const pages = [
    { label: 'first view of /', path: '/' },
    { label: 'embed', path: `/embed/ranking?period=${period}&peer=${peer}` },
  ];
  const figures: PageFigures[] = [];
  await audit(proxy.url + '/', chrome.port, 'warm-up'); // not reported
  for (const p of pages) {
    const runs = [];
    for (let i = 0; i < Math.max(1, Number(values.runs)); i++) runs.push(await audit(proxy.url + p.path, chrome.port, i + 1));
    const median = [...runs].sort((a, b) => a.performance - b.performance)[runs.length >> 1];
    figures.push({ ...p, ...median, runs });
  }

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const range = (xs: number[], show: (n: number) => string) => `${show(Math.min(...xs))}–${show(Math.max(...xs))}`;
  const ok = (good: boolean) => (good ? 'OK' : 'MISSED');
  const [home, embed] = figures;
  const homeJs = home.bytes.Script ?? 0;
  const lines = [
    `server: the local stack (startLocalStack) with HCMC demo data ${demo.from}..${demo.to} at scale ${demo.scale}: ${plan.total.toLocaleString('en')} records (${plan.procedures.toLocaleString('en')} procedures) through the ingest API, ${sent.rejected.length} rejected, ${loadCity().units.length} units; period ${period}; HTTPS/HTTP/2 caching gzip proxy in front, like the CDN`,
    `lighthouse ${home.lighthouse}, mobile defaults (simulated slow 4G, 4× CPU slowdown), ${process.env.CHROME_PATH} (${home.browser}) headless, CPU benchmark index ${Math.round(home.benchmarkIndex)}`,
    '',
    'page                perf  a11y  best-practices  LCP      TBT     CLS    JS (gzip)  total transfer',
    ...figures.map((f) => `${f.label.padEnd(18)}  ${String(f.performance).padStart(4)}  ${String(f.accessibility).padStart(4)}  ${String(f.bestPractices).padStart(14)}  ${(f.lcpMs / 1000).toFixed(2).padStart(5)} s  ${Math.round(f.tbtMs).toString().padStart(4)} ms  ${f.cls.toFixed(3)}  ${kb(f.bytes.Script ?? 0).padStart(9)}  ${kb(f.totalBytes).padStart(9)}`),
    '',
    ...figures.map((f) => `${f.label}, ${f.runs!.length} runs (median above): performance ${range(f.runs!.map((r) => r.performance), String)}, LCP ${range(f.runs!.map((r) => r.lcpMs), (n) => `${(n / 1000).toFixed(2)} s`)}, TBT ${range(f.runs!.map((r) => r.tbtMs), (n) => `${Math.round(n)} ms`)}, CLS ${range(f.runs!.map((r) => r.cls), (n) => n.toFixed(3))}, CPU benchmark index ${range(f.runs!.map((r) => r.benchmarkIndex), (n) => String(Math.round(n)))}`),
    '',
    ...figures.map((f) => `${f.label} transfer by type: ${Object.entries(f.bytes).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${kb(n)}`).join(', ')}`),
    '',
    `budget first view JS ≤ 100 KB: ${kb(homeJs)} ${ok(homeJs <= BUDGET.firstViewJs)}; total ≤ 150 KB: ${kb(home.totalBytes)} ${ok(home.totalBytes <= BUDGET.firstViewTotal)}; embed total ≤ 80 KB: ${kb(embed.totalBytes)} ${ok(embed.totalBytes <= BUDGET.embedTotal)}`,
    ...figures.map((f) => `budget ${f.label}: performance ≥ 95: ${f.performance} ${ok(f.performance >= BUDGET.performance)}; accessibility 100: ${f.accessibility} ${ok(f.accessibility >= BUDGET.accessibility)}`),
    ...figures.filter((f) => f.failing.length).map((f) => `${f.label}, audits below full marks: ${f.failing.join(', ')}`),
    ...figures.filter((f) => f.performance < BUDGET.performance).flatMap((f) => f.diagnostics.map((d) => `${f.label}, ${d}`)),
    `full reports: ${relative(process.cwd(), REPORTS_DIR)}/<page>-<run>.json`,
    `(${Math.round((Date.now() - started) / 1000)} s in all)`,
  ];
  console.log(lines.join('\n'));
} finally {
  await chrome?.kill();
  await proxy?.close();
  await stack.stop();
  await rm(scratch, { recursive: true, force: true });
}
