/**
 * Browser-test support: a Chromium (which saves the pages of a failing test to
 * test-results/screenshots/), a built site, snapshots and a server. Kept in one place so the
 * tests can switch to the real local stack (`npm start`) by changing startSite() only.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp as mkdtempRaw, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, onTestFinished, type TestContext } from 'vitest';
import { buildWeb, listModules, MODULES_DIR } from '../../scripts/build-web.ts';
import { scoreAll } from '../../functions/src/domain/engine/index.ts';
import { METHOD_766_V1 } from '../../shared-types/src/method.ts';
import { parseTimestamp, periodsBetween, provisionalPeriodsOf } from '../../shared-types/src/periods.ts';
import type { SourceRecord, Unit } from '../../shared-types/src/records.ts';
import type { UnitScore } from '../../shared-types/src/scores.ts';
import { rankingsOf } from '../../shared-types/src/snapshots.ts';
import { foldText } from '@itmap/kit/core';
import { embedRoute } from '../../embed/routing.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

const scratch: string[] = [];
/** A temporary directory removed by cleanup(). */
export async function mkdtemp(prefix: string): Promise<string> {
  const dir = await mkdtempRaw(prefix);
  scratch.push(dir);
  return dir;
}
/** Removes the temporary directories made by this helper (call in afterAll). */
export async function cleanup(): Promise<void> {
  await Promise.all(scratch.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
export const FIXTURE_MODULES = join(HERE, 'fixtures');

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return recordFailures(browser);
}

/** Where a failing browser test leaves its pages (gitignored; CI keeps it as an artifact). */
export const SCREENSHOTS_DIR = resolve(HERE, '../../test-results/screenshots');

/**
 * Failure artifacts for every test of a browser from launchBrowser(): each context made during a
 * test is watched, and when the test fails each of its open pages is saved as
 * test-results/screenshots/<test name>.png (full page; the last page opened, further ones
 * <test name>-2.png, …) with a .txt beside it: the page URL, the test's errors, the console errors.
 * A context's close() during the test is held until the test has ended, because the tests close
 * their pages in `finally` blocks, which run before vitest knows the test failed.
 */
function recordFailures(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    const consoleErrors: string[] = [];
    context.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console.error: ${m.text()} (${m.location().url})`); });
    context.on('weberror', (e) => consoleErrors.push(`page error: ${e.error().message}`));
    const close = context.close.bind(context);
    let closeAsked = false;
    try {
      // onTestFinished runs after the test body and its afterEach hooks, when the result is known
      onTestFinished(async ({ task }) => {
        if (task.result?.state === 'fail') await saveFailure(task, context.pages(), consoleErrors);
        if (closeAsked) await close();
      });
    } catch {
      return context; // made outside a test (e.g. in beforeAll): closes as usual
    }
    context.close = async () => { closeAsked = true; };
    return context;
  };
  return browser;
}

const savedPerTest = new Map<string, number>();
async function saveFailure(task: TestContext['task'], pages: Page[], consoleErrors: string[]): Promise<void> {
  const name = foldText(task.fullTestName ?? task.name).replace(/ /g, '-').slice(0, 120);
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  for (const page of [...pages].reverse()) {
    const n = (savedPerTest.get(task.id) ?? 0) + 1;
    savedPerTest.set(task.id, n);
    const file = join(SCREENSHOTS_DIR, n === 1 ? name : `${name}-${n}`);
    const shot = await page.screenshot({ path: `${file}.png`, fullPage: true, timeout: 5_000 }).then(() => `${file}.png`, (e: Error) => `no screenshot: ${e.message}`);
    const errors = (task.result?.errors ?? []).map((e) => e.message);
    await writeFile(`${file}.txt`, [`test: ${task.fullName}`, `url: ${page.url()}`, `screenshot: ${shot}`, '', 'test errors:', ...errors, '', 'console errors:', ...consoleErrors, ''].join('\n'));
    console.error(`browser test failed: page saved to ${relative(process.cwd(), file)}.{png,txt}`);
  }
}

/** Builds the site into a temporary dir; `extraModules` are module dirs added to the real ones. */
export async function buildSite(extraModules: string[] = []): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'itmap-web-'));
  const dirs = [...(await listModules()).map((n) => join(MODULES_DIR, n)), ...extraModules];
  await buildWeb({ outDir, moduleDirs: dirs, quiet: true });
  return outDir;
}

/**
 * Saves a page as test-results/screenshots/<name>.png (to look at: labels visible, layout whole):
 * the first view, or the page's top `height` CSS px, or one element (`selector`); returns the path.
 */
export async function screenshot(page: Page, name: string, opts: { height?: number; selector?: string } = {}): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  if (opts.selector) {
    await page.locator(opts.selector).first().screenshot({ path });
  } else {
    const width = page.viewportSize()?.width ?? 1280;
    await page.screenshot(opts.height ? { path, fullPage: true, clip: { x: 0, y: 0, width, height: opts.height } } : { path });
  }
  return path;
}

/** What the fixture snapshots describe: when they were taken and which months they cover. */
export interface FixtureData {
  asOf: string;
  /** first and last month scored (with their quarters and years) */
  months: [string, string];
  latestPeriod: string;
  defaultPeriod: string;
}
/** The default: everything complete (asOf after the end of 2024); the site opens on 2024-03. */
export const COMPLETE: FixtureData = { asOf: '2025-01-01T00:00:00+07:00', months: ['2024-01', '2024-12'], latestPeriod: '2024-03', defaultPeriod: '2024-03' };
/**
 * 20 March 2024 at noon (the worked example's `ongoing`): January and February complete, March,
 * Q1 and 2024 ongoing (provisional); the site opens on February.
 */
export const ONGOING: FixtureData = { asOf: '2024-03-20T12:00:00+07:00', months: ['2024-01', '2024-03'], latestPeriod: '2024-03', defaultPeriod: '2024-02' };
/** asOf < end of the period: its figures are provisional (INDEX-766.md § Results) */
export const isOngoing = (period: string, asOf: string) => provisionalPeriodsOf([period], parseTimestamp(asOf)).length > 0;

/**
 * Snapshots under /data computed by the engine from test/fixtures/766-example.json (no data files
 * in the repo), judged at `data.asOf`; `provisional`, `defaultPeriod` and `provisionalPeriods`
 * are written here explicitly, whatever the engine of the day writes.
 */
export async function writeFixtureSnapshots(data: FixtureData = COMPLETE): Promise<string> {
  const fixture = JSON.parse(readFileSync(resolve(HERE, '../fixtures/766-example.json'), 'utf8')) as {
    units: Unit[]; records: SourceRecord[];
  };
  const { asOf } = data;
  const periods = periodsBetween(...data.months).map((p) => p.id);
  const scores = scoreAll({ units: fixture.units, records: fixture.records, periods, method: METHOD_766_V1, asOf })
    .map((s) => ({ ...s, provisional: isOngoing(s.period, asOf) }));
  const dir = await mkdtemp(join(tmpdir(), 'itmap-data-'));
  const put = async (path: string, body: unknown) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), JSON.stringify(body));
  };
  const byPeriod = new Map<string, UnitScore[]>();
  const byUnit = new Map<string, UnitScore[]>();
  for (const s of scores) {
    byPeriod.set(s.period, [...(byPeriod.get(s.period) ?? []), s]);
    byUnit.set(s.unitId, [...(byUnit.get(s.unitId) ?? []), s]);
  }
  await put('latest.json', {
    asOf, method: METHOD_766_V1.id, periods, latestPeriod: data.latestPeriod, defaultPeriod: data.defaultPeriod,
    provisionalPeriods: provisionalPeriodsOf(periods, parseTimestamp(asOf)), changed: [],
  });
  await put('units.json', { asOf, units: fixture.units });
  await put('method.json', METHOD_766_V1);
  for (const [period, list] of byPeriod) {
    const snapshot = { period, method: METHOD_766_V1.id, asOf, provisional: isOngoing(period, asOf), scores: list };
    await put(`scores/${period}.json`, snapshot);
    await put(`rankings/${period}.json`, rankingsOf(snapshot));
  }
  for (const [unitId, history] of byUnit) await put(`units/${unitId}.json`, { unitId, method: METHOD_766_V1.id, asOf, history });
  return dir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
  '.xml': 'application/atom+xml; charset=utf-8',
};

export interface Site {
  url: string;
  /** paths requested so far */
  requests: string[];
  close(): Promise<void>;
}
export interface SiteOptions {
  webDir: string;
  dataDir: string;
  /** answer a request with this status instead (e.g. a 404 for a module), or undefined to serve it */
  fault?: (pathname: string) => number | undefined;
}

/** A static server like the local stack: dist/web at /, snapshots at /data, /embed pages (embed/routing.ts), the CSP header from csp.txt. */
export async function startSite(opts: SiteOptions): Promise<Site> {
  const csp = (await readFile(join(opts.webDir, 'csp.txt'), 'utf8')).trim();
  const embedCsp = (await readFile(join(opts.webDir, 'embed/csp.txt'), 'utf8').catch(() => csp)).trim();
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    requests.push(pathname);
    const faulty = opts.fault?.(pathname);
    if (faulty) { res.writeHead(faulty, { 'content-type': 'text/plain' }).end(`${faulty}`); return; }
    const [root, rel] = pathname.startsWith('/data/') ? [opts.dataDir, pathname.slice(6)] : [opts.webDir, pathname.slice(1)];
    let file = normalize(join(root, decodeURIComponent(rel)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    const embed = embedRoute(pathname);
    if (embed) file = join(opts.webDir, embed.file);
    // the shell's routes (no file extension) all get index.html
    else if (!extname(pathname) && !pathname.startsWith('/data/')) file = join(opts.webDir, 'index.html');
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (file.endsWith('.html')) Object.assign(headers, { 'content-security-policy': embed?.page ? embedCsp : csp, 'x-content-type-options': 'nosniff' });
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: pathname } }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * The fixture snapshots plus what the dashboards of issue #8 read besides: /data/fields.json and
 * /data/feedback/{period}.json (the 1022 view computed by the engine's feedbackView).
 */
export async function writeDashboardSnapshots(data: FixtureData = COMPLETE): Promise<string> {
  const dir = await writeFixtureSnapshots(data);
  const { feedbackView, latestState } = await import('../../functions/src/domain/engine/index.ts');
  const { loadCity } = await import('../../functions/src/commons/city.ts');
  const fixture = JSON.parse(readFileSync(resolve(HERE, '../fixtures/766-example.json'), 'utf8')) as { units: Unit[]; records: SourceRecord[] };
  const fields = loadCity().fields;
  const { asOf } = data;
  const feedback = latestState(fixture.records).filter((r): r is Extract<SourceRecord, { type: 'feedback' }> => r.type === 'feedback');
  const put = async (path: string, body: unknown) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), JSON.stringify(body));
  };
  await put('fields.json', { asOf, fields });
  for (const p of periodsBetween(...data.months)) {
    const view = feedbackView({ units: fixture.units, feedback, period: p.id, fields, asOf });
    await put(`feedback/${p.id}.json`, { ...view, provisional: isOngoing(p.id, asOf) });
  }
  return dir;
}

/** Pixels of a canvas that are not fully transparent. */
async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
}

/** Waits until a module's (first) chart.js canvas has painted, and returns its painted pixels. */
export async function waitForChart(page: Page, slot: string): Promise<number> {
  const canvas = `[data-module="${slot}"] .chart canvas`;
  await page.locator(canvas).first().scrollIntoViewIfNeeded(); // the profile has two charts
  return waitForCanvas(page, canvas);
}

/** Waits until the (first) canvas matching `canvas` has painted, and returns its painted pixels. */
export async function waitForCanvas(page: Page, canvas: string): Promise<number> {
  await page.waitForFunction((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!c || !c.width) return false;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  }, canvas, { timeout: 10_000 });
  return paintedPixels(page, canvas);
}

// ---------------------------------------------------------------- the share menu's downloads (journalist and provisional tests)
/** Reads a figure's data table: its Table tab chosen (the table is built then), read, then its Chart tab again (the URL as before). */
export async function readTableTab<T>(page: Page, figure: string, read: () => Promise<T>): Promise<T> {
  await page.locator(`${figure} [role="tab"][data-tab="table"]`).click();
  await page.locator(`${figure} table`).waitFor();
  const value = await read();
  await page.locator(`${figure} [role="tab"][data-tab="chart"]`).click();
  return value;
}

/** Chooses a menu item with the keyboard and returns the downloaded file's bytes and name. */
export async function download(page: Page, figure: string, item: string): Promise<{ name: string; bytes: Buffer }> {
  const button = page.locator(`${figure} .share__button`);
  await button.focus();
  await page.keyboard.press('Enter');
  await page.locator(`${figure} [data-share="${item}"]`).waitFor();
  const wait = page.waitForEvent('download');
  // walk to the item with the arrow keys
  const keys = await page.locator(`${figure} [role="menuitem"]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.share));
  for (let i = 0; i < keys.indexOf(item); i++) await page.keyboard.press('ArrowDown');
  await expect(page.evaluate(() => (document.activeElement as HTMLElement).dataset.share)).resolves.toBe(item);
  await page.keyboard.press('Enter');
  const d = await wait;
  return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) };
}

export function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) { if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c; }
    else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  return rows;
}

export function pngSize(bytes: Buffer) {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** An SVG download parsed in the page: parse error, texts, dashed polylines, hollow (stroked) circles. */
export async function parseSvg(page: Page, text: string) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      height: Number(doc.documentElement.getAttribute('height')),
      texts: [...doc.querySelectorAll('text')].map((x) => x.textContent ?? ''),
      dashed: doc.querySelectorAll('polyline[stroke-dasharray]').length,
      hollow: doc.querySelectorAll('circle[stroke]').length,
    };
  }, text);
}

/** axe-core's source, injected into a page to check it. */
export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 AA and best-practice violations on the page, one line each (none: []). */
export async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return r.violations.map((v: any) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target} ${v.nodes[0]?.failureSummary ?? ''}`);
  });
}

/** How far the page is wider than the screen, in px (≤ 0: no horizontal scroll). */
export const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
