/**
 * Issue #9 in Chromium: the share/download menu of every chart (keyboard, each format's
 * content), and /embed/<chart> inside a third-party page served from ANOTHER origin with a
 * strict CSP (renders, resizes through host.js, pins), with its transfer size measured.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildSite, cleanup, download, launchBrowser, parseCsv, pngSize, readTableTab, writeFixtureSnapshots } from './support.ts';
import { embedRoute } from '../../embed/routing.ts';
import { pinId } from '@itmap/kit/share/embed-link';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ASOF = '2025-01-01T00:00:00+07:00'; // writeFixtureSnapshots()

let browser: Browser;
let webDir: string;
let dataDir: string;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
};

interface Origin { url: string; close(): Promise<void> }
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<Origin> {
  const server: Server = createServer((req, res) => { Promise.resolve(handler(req, res)).catch(() => { if (!res.headersSent) res.writeHead(500); res.end(); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** Our origin, routed like local/stack.ts (embed/routing.ts), gzip like the CDN. */
async function startOurSite(): Promise<Origin> {
  const siteCsp = (await readFile(join(webDir, 'csp.txt'), 'utf8')).trim();
  const embedCsp = (await readFile(join(webDir, 'embed/csp.txt'), 'utf8')).trim();
  return listen(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const embed = embedRoute(path);
    let root = webDir, rel = path, headers: Record<string, string> = {};
    if (path.startsWith('/data/')) { root = dataDir; rel = path.slice(5); }
    else if (embed) { rel = embed.file; if (embed.page) headers['content-security-policy'] = embedCsp; }
    else if (!extname(path)) { rel = '/index.html'; headers['content-security-policy'] = siteCsp; }
    if (!path.startsWith('/embed')) headers['x-frame-options'] = 'DENY';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root) || !(await stat(file).catch(() => null))?.isFile()) {
      res.writeHead(404, { 'content-type': 'application/json', ...headers }).end('{"error":{"code":"not_found"}}');
      return;
    }
    let body: Buffer = await readFile(file);
    headers['content-type'] = TYPES[extname(file)] ?? 'application/octet-stream';
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) { body = gzipSync(body, { level: 9 }); headers['content-encoding'] = 'gzip'; }
    res.writeHead(200, headers).end(body);
  });
}

/** A third party's article page on another origin, with a strict CSP: only our frame and our helper script. */
async function startNewsSite(site: string, embedPath: string, opts: { helper: boolean }): Promise<Origin> {
  const csp = ["default-src 'none'", `frame-src ${site}`, opts.helper ? `script-src ${site}/embed/host.js` : "script-src 'none'", "style-src 'none'", "img-src 'none'", "base-uri 'none'"].join('; ');
  const page = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Báo Tin Tức</title></head><body>
<h1>Bài báo</h1><p>Đoạn văn trước biểu đồ.</p>
<iframe id="chart" src="${site}${embedPath}" title="Biểu đồ" width="100%" height="150" loading="lazy" frameborder="0"></iframe>${opts.helper ? `<script src="${site}/embed/host.js" async></script>` : ''}
<p>Đoạn văn sau biểu đồ.</p></body></html>`;
  return listen((_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(page); });
}

beforeAll(async () => {
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite(), writeFixtureSnapshots()]);
});
afterAll(async () => {
  await browser?.close();
  await cleanup();
});

async function open(site: Origin, path: string, opts: { context?: BrowserContext; before?: (page: Page) => void } = {}) {
  const context = opts.context ?? await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|integrity|preload/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  opts.before?.(page);
  await page.goto(site.url + path);
  return { page, problems, close: () => context.close() };
}

/** Decodes a PNG in the page and counts pixels that differ from the corner (background) pixel. */
async function pngInk(page: Page, bytes: Buffer) {
  return page.evaluate(async (b64) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bin], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 60) ink++;
    return { ink, total: d.length / 4, corner: [d[0], d[1], d[2]] };
  }, bytes.toString('base64'));
}

const viNumber = (s: string) => Number(s.replace(/\./g, '').replace(',', '.'));

describe('journalists: downloads, embeds', () => {
  let site: Origin;
  beforeAll(async () => { site = await startOurSite(); });
  afterAll(async () => { await site?.close(); });

  it('the profile chart downloads PNG (1x, 2x, dark), SVG, CSV and JSON of exactly its data, and copies link and embed code', async () => {
    const { page, problems, close } = await open(site, '/units/so-tu-phap?period=2024-03');
    try {
      const fig = '[data-module="profile"] figure.chart:has(figcaption:has-text("Tổng điểm theo"))';
      await page.locator(`${fig} .share__button`).waitFor();
      // the chart's data as the page shows it (the data table of the figure)
      const table = await page.locator(`${fig} table tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
      expect(table.length).toBeGreaterThan(1);

      // keyboard: the menu opens on Enter with the first item focused; Escape closes and returns focus
      await page.locator(`${fig} .share__button`).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator(`${fig} .share__button`).getAttribute('aria-expanded')).resolves.toBe('true');
      await expect(page.evaluate(() => (document.activeElement as HTMLElement).getAttribute('role'))).resolves.toBe('menuitem');
      await page.keyboard.press('End');
      await expect(page.evaluate(() => (document.activeElement as HTMLElement).dataset.share)).resolves.toBe('copyEmbed');
      await page.keyboard.press('Escape');
      await expect(page.locator(`${fig} [role="menu"]`).isHidden()).resolves.toBe(true);
      await expect(page.evaluate(() => document.activeElement?.classList.contains('share__button'))).resolves.toBe(true);

      // CSV: header of clear names with method and as-of; one row per point, equal to the table
      const csv = await download(page, fig, 'csv');
      expect(csv.name).toMatch(/^itmap-.*\.csv$/);
      const rows = parseCsv(csv.bytes.toString('utf8'));
      // the figure's table as on screen (issue 19: period, total, band), the periods' ids first
      expect(rows[0]).toEqual(['Mã', 'Kỳ', 'Tổng điểm', 'Xếp loại', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
      expect(rows.length - 1).toBe(table.length);
      rows.slice(1).forEach((r, i) => {
        expect(r[0]).toMatch(/^2024-\d{2}$/);
        expect(r[1]).toBe(table[i][0]);
        expect(Number(r[2])).toBeCloseTo(viNumber(table[i][1]), 2);
        expect(r[3]).toBe(table[i][2]);
        expect(r[4]).toBe('766-v1');
        expect(r[5]).toBe(ASOF);
        expect(r[6]).toBe('chính thức'); // every period of these snapshots is complete
      });

      // JSON: the same columns and rows, with the citation
      const json = JSON.parse((await download(page, fig, 'json')).bytes.toString('utf8'));
      expect(json).toMatchObject({ method: '766-v1', period: '2024-03', asOf: ASOF, unit: 'Sở Tư pháp', provisional: false, provisionalNote: null });
      expect(json.source).toBe(`Nguồn: Bản đồ thể chế — ${new URL(site.url).host}`);
      expect(json.columns).toEqual(rows[0]);
      expect(json.rows.map((r: unknown[]) => r.map(String))).toEqual(rows.slice(1));

      // PNG 1x and 2x: right size, not blank; dark has a dark background
      const png1 = await download(page, fig, 'png');
      const png2 = await download(page, fig, 'png2x');
      const s1 = pngSize(png1.bytes), s2 = pngSize(png2.bytes);
      expect(s1.width).toBe(800);
      expect(s2).toEqual({ width: 1600, height: s1.height * 2 });
      const ink1 = await pngInk(page, png1.bytes);
      expect(ink1.corner).toEqual([255, 255, 255]);
      expect(ink1.ink / ink1.total).toBeGreaterThan(0.005);
      const dark = await pngInk(page, (await download(page, fig, 'png2xDark')).bytes);
      expect(dark.corner.every((v) => v < 40)).toBe(true);
      expect(dark.ink / dark.total).toBeGreaterThan(0.005);

      // SVG: parses; title, unit, period, source and as-of drawn in; one point per row
      const svg = (await download(page, fig, 'svg')).bytes.toString('utf8');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.localName, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent), dots: doc.querySelectorAll('circle').length };
      }, svg);
      expect(parsed.error).toBeNull();
      expect(parsed.root).toBe('svg');
      const drawn = parsed.texts.join('\n');
      expect(drawn).toContain('Sở Tư pháp');
      expect(drawn).toContain('Tháng 3/2024');
      expect(drawn).toContain(`Nguồn: Bản đồ thể chế — ${new URL(site.url).host}`);
      expect(drawn).toMatch(/Dữ liệu đến .*2025/);
      expect(drawn).toContain('766-v1');
      expect(parsed.dots).toBe(table.length);

      // copy link, copy embed code (an iframe to /embed/history pinned to the snapshot's asOf + the helper)
      for (const [item, check] of [
        ['copyLink', (t: string) => expect(t).toBe(`${site.url}/units/so-tu-phap?period=2024-03`)],
        ['copyEmbed', (t: string) => {
          expect(t).toMatch(new RegExp(`^<iframe src="${site.url}/embed/history\\?unit=so-tu-phap&amp;period=2024-\\d{2}&amp;lang=vi&amp;pin=${pinId(ASOF)}" title="[^"]+" width="100%" height="\\d+"`));
          expect(t).not.toMatch(/style=/);
          expect(t).toContain(`<script src="${site.url}/embed/host.js" async></script>`);
        }],
      ] as const) {
        await page.locator(`${fig} .share__button`).click();
        await page.locator(`${fig} [data-share="${item}"]`).click();
        await expect.poll(() => page.locator(`${fig} .share__status`).textContent()).toBe('Đã sao chép.');
        check(await page.evaluate(() => navigator.clipboard.readText()));
      }
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a chart whose module passes no share details (the overview) still downloads its data, with the view\'s period and method', async () => {
    const { page, problems, close } = await open(site, '/?peer=department&lang=en');
    try {
      const fig = '[data-module="overview"] figure.chart';
      await page.locator(`${fig} .share__button`).waitFor();
      // the figure's table (built when its tab is chosen: this chart is in the first view)
      const table = await readTableTab(page, fig, async () => {
        await expect.poll(() => page.locator(`${fig} table tbody tr`).count(), { timeout: 10_000 }).toBe(2);
        return page.locator(`${fig} table tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
      });
      const rows = parseCsv((await download(page, fig, 'csv')).bytes.toString('utf8'));
      // the figure's table as on screen (issue 19: unit, rank, score), the units' ids first
      expect(rows[0]).toEqual(['ID', 'Unit', 'Rank', 'Score', 'Period', 'Method', 'Data as of', 'Status of the figures']);
      expect(rows.slice(1).map((r) => [r[1], r[2], Number(r[3])])).toEqual(table.map((r) => [r[0], r[1], Number(r[2])]));
      expect(rows.slice(1).map((r) => r[0])).toEqual(['so-tu-phap', 'so-y-te']);
      expect(rows.slice(1).every((r) => r[4] === '2024-03' && r[5] === '766-v1' && r[7] === 'final')).toBe(true);
      const png = await download(page, fig, 'png');
      expect(pngSize(png.bytes).width).toBe(800);
      // the top units are the /embed/ranking of the peer group (issue 19)
      await page.locator(`${fig} .share__button`).click();
      await expect(page.locator(`${fig} [data-share="copyEmbed"]`).count()).resolves.toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an embed renders inside a strict-CSP page on another origin, resizes its iframe, stays under 80 KB', async () => {
    const path = `/embed/ranking?period=2024-03&peer=ward&lang=vi&pin=${encodeURIComponent(ASOF)}`;
    const news = await startNewsSite(site.url, path, { helper: true });
    expect(new URL(news.url).port).not.toBe(new URL(site.url).port);
    const transfer: { url: string; bytes: number }[] = [];
    const { page, problems, close } = await open(news, '/', {
      before: (p) => p.on('requestfinished', async (req) => {
        if (!req.url().startsWith(site.url)) return;
        const s = await req.sizes();
        transfer.push({ url: req.url().slice(site.url.length), bytes: s.responseBodySize + s.responseHeadersSize });
      }),
    });
    try {
      const frame = page.frameLocator('#chart');
      await frame.locator('.embed__title').waitFor({ timeout: 15_000 });
      await expect(frame.locator('.embed__title').textContent()).resolves.toContain('Phường, xã, thị trấn');
      expect(await frame.locator('.embed__chart svg rect').count()).toBeGreaterThanOrEqual(2);
      await expect(frame.locator('.embed__cite').textContent()).resolves.toMatch(/Nguồn: Bản đồ thể chế — 127\.0\.0\.1:\d+ · Tháng 3\/2024 · Dữ liệu đến .* · Phương pháp 766-v1/);
      await expect(frame.locator('.embed__cite a').getAttribute('href')).resolves.toBe(`${site.url}/?period=2024-03&peer=ward`);
      await expect(frame.locator('.embed__note').count()).resolves.toBe(0); // the live snapshot is the pinned one
      // the helper sized the iframe to the embed's content
      await expect.poll(() => page.locator('#chart').getAttribute('height').then(Number), { timeout: 10_000 }).toBeGreaterThan(150);
      const inner = await page.frames().find((f) => f.url().startsWith(site.url))!.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      expect(Number(await page.locator('#chart').getAttribute('height'))).toBe(inner);
      // narrower host column: the chart redraws and the height follows
      await page.setViewportSize({ width: 420, height: 900 });
      await expect.poll(async () => Number(await page.locator('#chart').getAttribute('height')), { timeout: 10_000 })
        .not.toBe(inner);

      await page.waitForLoadState('networkidle');
      const total = transfer.reduce((n, t) => n + t.bytes, 0);
      console.log(`embed transfer (gzip, headers included): ${(total / 1024).toFixed(1)} KB\n${transfer.map((t) => `  ${t.url.slice(0, 70)} ${(t.bytes / 1024).toFixed(1)} KB`).join('\n')}`);
      expect(transfer.some((t) => t.url.startsWith('/embed/embed-'))).toBe(true);
      expect(transfer.some((t) => /chart|svelte|shared\//.test(t.url))).toBe(false);
      expect(total).toBeLessThan(80 * 1024);
      expect(problems).toEqual([]);
    } finally {
      await close();
      await news.close();
    }
  });

  it('without the helper the embed still renders under the host CSP (the host sizes it); the embed page is frameable, the site is not', async () => {
    const news = await startNewsSite(site.url, '/embed/history?unit=so-tu-phap&period=2024-03&lang=en&theme=dark', { helper: false });
    const { page, problems, close } = await open(news, '/');
    try {
      const frame = page.frameLocator('#chart');
      await frame.locator('.embed__title').waitFor({ timeout: 15_000 });
      await expect(frame.locator('.embed__title').textContent()).resolves.toBe('Total score by month, Department of Justice');
      await expect(frame.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      expect(await frame.locator('.embed__chart svg circle').count()).toBe(3); // 2024-01..03: nothing after the period
      await expect(page.locator('#chart').getAttribute('height')).resolves.toBe('150');
      expect(problems).toEqual([]);
    } finally {
      await close();
      await news.close();
    }
    const embedRes = await fetch(`${site.url}/embed/ranking`);
    expect(embedRes.headers.get('x-frame-options')).toBeNull();
    expect(embedRes.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embedRes.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const siteRes = await fetch(`${site.url}/`);
    expect(siteRes.headers.get('x-frame-options')).toBe('DENY');
  });

  it('pin: a pinned copy freezes the data; without one, a changed snapshot is flagged; the embed passes axe', async () => {
    // the live snapshot moves on …
    const live = JSON.parse(await readFile(join(dataDir, 'scores/2024-03.json'), 'utf8'));
    const oldPin = pinId('2024-12-01T00:00:00Z')!;
    const frozen = { ...live, asOf: '2024-12-01T00:00:00Z', scores: live.scores.map((s: { total: number }) => ({ ...s, total: 12.34 })) };
    await mkdir(join(dataDir, `pins/${oldPin}/scores`), { recursive: true });
    await writeFile(join(dataDir, `pins/${oldPin}/scores/2024-03.json`), JSON.stringify(frozen));
    const { page, problems, close } = await open(site, `/embed/ranking?period=2024-03&peer=department&pin=${oldPin}`);
    try {
      await page.locator('.embed__title').waitFor();
      await expect(page.locator('.embed__table tbody td').last().textContent()).resolves.toBe('12,34');
      await expect(page.locator('.embed__note').count()).resolves.toBe(0);
      await page.evaluate(AXE_SOURCE); // through the DevTools protocol, not subject to the page's CSP
      const violations = await page.evaluate(async () => (await (globalThis as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] })).violations.map((v: { id: string }) => v.id));
      expect(violations).toEqual([]);
    } finally {
      await close();
    }
    // the compact ranking snapshot (rankings/<period>.json) is read before the full scores
    const feb = JSON.parse(await readFile(join(dataDir, 'scores/2024-02.json'), 'utf8'));
    await mkdir(join(dataDir, 'rankings'), { recursive: true });
    await writeFile(join(dataDir, 'rankings/2024-02.json'), JSON.stringify({ period: '2024-02', method: feb.method, asOf: feb.asOf,
      scores: feb.scores.map((x: { unitId: string; peerGroup: string; rank: number; band: string }) => ({ unitId: x.unitId, peerGroup: x.peerGroup, rank: x.rank, total: 55.55, band: x.band })) }));
    const compact = await open(site, '/embed/ranking?period=2024-02&peer=department');
    try {
      await compact.page.locator('.embed__title').waitFor();
      await expect(compact.page.locator('.embed__table tbody td').last().textContent()).resolves.toBe('55,55');
    } finally {
      await compact.close();
    }
    // a pin with no pinned copy whose live snapshot changed since: shown, with a note
    const other = await open(site, `/embed/ranking?period=2024-03&peer=department&pin=20240101T000000Z&lang=en`);
    try {
      await other.page.locator('.embed__note').waitFor();
      await expect(other.page.locator('.embed__note').textContent()).resolves.toContain('updated after the pinned date');
      expect(other.problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
    } finally {
      await other.close();
    }
    expect(problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
  });
});
