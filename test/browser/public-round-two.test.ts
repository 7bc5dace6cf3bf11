/**
 * Issue 19 in Chromium (360 and 1280 px), on the fixture snapshots: navigation in task order,
 * phone first (the unit's score and band on the first screen, no page-wide horizontal scroll,
 * tables scrolling in their own box with a sticky first column), print. Screenshots of each
 * view go to test-results/screenshots/round2-*.png for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { unzipSync, strFromU8 } from 'fflate';
import { axe, buildSite, cleanup, download, launchBrowser, overflow, parseCsv, readTableTab, screenshot, startSite, writeDashboardSnapshots, type Site } from './support.ts';

let browser: Browser;
let site: Site;

beforeAll(async () => {
  let webDir: string, dataDir: string;
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite(), writeDashboardSnapshots()]);
  site = await startSite({ webDir, dataDir });
});
afterAll(async () => {
  await site?.close();
  await browser?.close();
  await cleanup();
});

interface OpenOptions { width?: number; height?: number; js?: boolean; downloads?: boolean }
async function openPage(path: string, o: OpenOptions = {}) {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: o.height ?? 900 }, reducedMotion: 'reduce', javaScriptEnabled: o.js ?? true, acceptDownloads: o.downloads ?? false,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(site.url + path);
  return { page, problems, close: () => context.close() };
}

/** The nav's link texts in the order they are seen (left to right, row by row), not in the DOM's. */
const navSeen = (page: Page) => page.locator('#site-nav a').evaluateAll((as) => as
  .map((a) => ({ text: a.textContent!.trim(), box: a.getBoundingClientRect() }))
  .sort((x, y) => Math.round(x.box.top) - Math.round(y.box.top) || x.box.left - y.box.left)
  .map((x) => x.text));

const TASK_ORDER_VI = ['Tổng quan', 'Công khai, minh bạch', 'Tiến độ giải quyết', 'Dịch vụ công trực tuyến', 'Số hóa hồ sơ', 'Mức độ hài lòng', 'Phản ánh, kiến nghị 1022', 'So sánh', 'Tạo mã nhúng', 'Phương pháp'];

describe('navigation in task order', () => {
  it('the overview first, then the groups of the index in the method\'s order, the 1022 view, the method; in the DOM and on screen, before and after the shell runs', async () => {
    const { page, problems, close } = await openPage('/?period=2024-03');
    try {
      await page.locator('[data-module="overview"] h1').waitFor();
      const dom = await page.locator('#site-nav a').allTextContents();
      expect(dom.map((t) => t.trim())).toEqual(TASK_ORDER_VI);
      expect(await navSeen(page)).toEqual(TASK_ORDER_VI);
      // the links keep the period
      expect(await page.locator('#site-nav a').first().getAttribute('href')).toBe('/?period=2024-03');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
    // index.html as served, before any script: the pre-rendered nav is seen in the same order
    const bare = await openPage('/progress', { js: false });
    try {
      expect(await navSeen(bare.page)).toEqual(TASK_ORDER_VI);
      // social previews: the static defaults are in the page as served (crawlers run no script)
      expect(await bare.page.locator('meta[property="og:title"]').getAttribute('content')).toContain('Bản đồ thể chế');
      expect(await bare.page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('summary');
    } finally {
      await bare.close();
    }
  });
});

describe('phone first (360 px)', () => {
  it('the first screen of a unit shows its score and band; the header is compact; no page-wide horizontal scroll', async () => {
    const { page, problems, close } = await openPage('/units/quan-3-p-vo-thi-sau?period=2024-03', { width: 360, height: 640 });
    try {
      const profile = page.locator('[data-module="profile"]');
      await profile.locator('[data-testid="total"]').waitFor();
      for (const sel of ['[data-testid="total"]', '.stat .band']) {
        const box = await profile.locator(sel).first().boundingBox();
        expect(box, sel).not.toBeNull();
        expect(box!.y + box!.height, `${sel} on the first screen`).toBeLessThanOrEqual(640);
      }
      const header = await page.locator('.site-header').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(200); // 330 px before issue 19
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'round2-profile-360');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  for (const path of ['/?period=2024-03', '/?period=2024-03&district=quan-3', '/transparency?period=2024-03', '/online-services?period=2024-03&lang=en', '/feedback-1022?period=2024-03&by=unit', '/methodology', '/units/so-tu-phap?period=2024-Q1']) {
    it(`${path}: nothing wider than the screen`, async () => {
      const { page, problems, close } = await openPage(path, { width: 360, height: 640 });
      try {
        await page.locator('#slots section:not([hidden]) h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('a wide table scrolls inside its own box, its unit column stays in view', async () => {
    const { page, problems, close } = await openPage('/transparency?period=2024-03&peer=ward', { width: 360, height: 640 });
    try {
      const box = page.locator('[data-module="transparency"] .table-scroll').first();
      await box.locator('tbody th[scope="row"]').first().waitFor();
      const dims = await box.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
      expect(dims.scroll).toBeGreaterThan(dims.client + 200); // wider than the phone …
      expect(await overflow(page)).toBeLessThanOrEqual(0); // … but only inside its box
      const left = () => box.evaluate((e) => {
        const th = e.querySelector('tbody th[scope="row"]')!;
        const head = e.querySelector('thead tr > th')!;
        return { box: e.getBoundingClientRect().left, cell: th.getBoundingClientRect().left, head: head.getBoundingClientRect().left, second: e.querySelector('tbody tr > td')!.getBoundingClientRect().left };
      });
      const before = await left();
      await box.evaluate((e) => { e.scrollLeft = 400; });
      const after = await left();
      expect(after.cell).toBeCloseTo(before.box, 0); // the row header sticks to the box's left edge
      expect(after.head).toBeCloseTo(before.box, 0);
      expect(after.second).toBeLessThan(before.second - 300); // the other columns moved
      await screenshot(page, 'round2-table-scrolled-360', { selector: '[data-module="transparency"] .table-scroll' });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('print', () => {
  it('prints the figures and every data table, the address of the view, and no controls', async () => {
    const { page, problems, close } = await openPage('/units/so-tu-phap?period=2024-03');
    try {
      const profile = page.locator('[data-module="profile"]');
      await profile.locator('figure.chart .share__button').first().waitFor();
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
      // every chart is drawn for the paper, seen on screen or not
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLCanvasElement>('[data-module="profile"] .chart canvas')]
        .every((c) => c.width > 0 && c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)), null, { timeout: 10_000 });
      for (const sel of ['#site-nav', '.controls', '.share__button', '.locale-switch']) {
        expect(await page.locator(sel).first().isVisible(), sel).toBe(false);
      }
      await expect(page.locator('#print-link').textContent()).resolves.toBe(`Trang này: ${site.url}/units/so-tu-phap?period=2024-03`);
      expect(await page.locator('#print-link').isVisible()).toBe(true);
      // both panels of every figure on paper: the chart and its data table (the Table tab's, hidden on screen); no tabs
      const panels = profile.locator('figure.chart [role="tabpanel"]');
      expect(await panels.count()).toBeGreaterThan(2);
      expect(await panels.evaluateAll((ps) => ps.every((p) => !(p as HTMLElement).hidden && getComputedStyle(p).display !== 'none'))).toBe(true);
      expect(await profile.locator('figure.chart [data-panel="table"] table').first().isVisible()).toBe(true);
      expect(await profile.locator('figure.chart [role="tablist"]').first().isVisible()).toBe(false);
      // nothing clipped in a scroll box
      expect(await page.locator('.table-scroll').evaluateAll((els) => els.map((e) => getComputedStyle(e).overflowX))).not.toContain('auto');
      await page.screenshot({ path: await screenshot(page, 'round2-profile-print'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await page.evaluate(() => dispatchEvent(new Event('afterprint')));
      await page.emulateMedia({ media: 'screen' });
      // on screen again: each figure shows its chosen tab (the chart) only
      expect(await profile.locator('figure.chart [data-panel="table"]').evaluateAll((ps) => ps.every((p) => (p as HTMLElement).hidden))).toBe(true);
      expect(await profile.locator('figure.chart [data-panel="chart"]').evaluateAll((ps) => ps.every((p) => !(p as HTMLElement).hidden))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});


describe('the period and the view\'s choices survive every link', () => {
  it('nav links and tabs keep the period, peer group and district; a profile\'s unit goes along to the group pages', async () => {
    const { page, problems, close } = await openPage('/?period=2024-02&peer=ward&district=quan-3');
    try {
      await page.locator('[data-module="overview"] .tabs a[aria-current="page"]', { hasText: 'Phường' }).waitFor();
      await page.locator('#site-nav a', { hasText: 'Công khai, minh bạch' }).click();
      await page.waitForURL(/\/transparency\?/);
      expect(new URL(page.url()).search).toBe('?period=2024-02&district=quan-3&peer=ward');
      const group = page.locator('[data-module="transparency"]');
      await expect(group.locator('.tabs a[aria-current="page"]').textContent()).resolves.toBe('Phường, xã, thị trấn');
      await group.locator('caption', { hasText: 'Tháng 2/2024' }).first().waitFor();
      // a peer tab keeps the period
      expect(await group.locator('.tabs a', { hasText: 'Sở, ban, ngành' }).getAttribute('href')).toBe('/transparency?period=2024-02&district=quan-3&peer=department');
      // a unit: its profile (no peer, no district: the unit's own), then the next group page charts it
      await group.locator('tbody th a', { hasText: 'Phường 14' }).click();
      await page.waitForURL(/\/units\/quan-3-p-14\?period=2024-02$/);
      await page.locator('[data-module="profile"] h1', { hasText: 'Phường 14' }).waitFor();
      await page.locator('#site-nav a', { hasText: 'Tiến độ giải quyết' }).click();
      await page.waitForURL(/\/progress\?period=2024-02&unit=quan-3-p-14$/);
      await expect(page.locator('[data-module="progress"] .chart-unit select').inputValue()).resolves.toBe('quan-3-p-14');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the profile\'s history ends at the chosen period; its copy-link and embed code name that period', async () => {
    const { page, problems, close } = await openPage('/units/so-tu-phap?period=2024-02');
    try {
      const fig = '[data-module="profile"] figure.chart:has(figcaption:has-text("Tổng điểm theo"))';
      await page.locator(`${fig} .share__button`).waitFor();
      const periods = await page.locator(`${fig} table tbody th`).allTextContents();
      expect(periods).toEqual(['Tháng 1/2024', 'Tháng 2/2024']);
      for (const [item, expected] of [['copyLink', `${site.url}/units/so-tu-phap?period=2024-02`], ['copyEmbed', '/embed/history?unit=so-tu-phap&amp;period=2024-02&amp;lang=vi&amp;pin=']] as const) {
        await page.locator(`${fig} .share__button`).click();
        await page.locator(`${fig} [data-share="${item}"]`).click();
        await expect.poll(() => page.locator(`${fig} .share__status`).textContent()).toBe('Đã sao chép.');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(expected);
      }
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a link copied from a page without ?period= names the period shown, with the language and peer group', async () => {
    const { page, problems, close } = await openPage('/?peer=department&lang=en');
    try {
      const fig = '[data-module="overview"] figure.chart';
      await page.locator(`${fig} .share__button`).click();
      await page.locator(`${fig} [data-share="copyLink"]`).click();
      await expect.poll(() => page.locator(`${fig} .share__status`).textContent()).toBe('Copied.');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${site.url}/?lang=en&period=2024-03&peer=department`);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('one share menu on every figure', () => {
  const ITEMS = ['png', 'png2x', 'pngDark', 'png2xDark', 'svg', 'svgDark', 'csv', 'xlsx', 'json', 'copyLink', 'cite', 'copyEmbed'];
  const menuOf = async (page: Page, fig: string, nth = 0) => {
    const figure = page.locator(fig).nth(nth);
    await figure.locator('.share__button').click();
    const keys = await figure.locator('[role="menuitem"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.share));
    await page.keyboard.press('Escape');
    return keys;
  };

  it('the top units: PNG, SVG, CSV, XLSX (loaded on click), JSON, permanent link, citation, embed code; CSV and XLSX are the table on screen', async () => {
    const { page, problems, close } = await openPage('/?period=2024-03&peer=ward', { downloads: true });
    try {
      const fig = '[data-module="overview"] figure.chart';
      await page.locator(`${fig} .share__button`).waitFor();
      expect(await menuOf(page, fig)).toEqual(ITEMS);
      const table = await readTableTab(page, fig, () => page.locator(`${fig} table tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim()))));
      const csv = parseCsv((await download(page, fig, 'csv')).bytes.toString('utf8'));
      expect(csv[0]).toEqual(['Mã', 'Đơn vị', 'Hạng', 'Điểm', 'Kỳ', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
      expect(csv.slice(1).map((r) => [r[1], r[2], r[3].replace('.', ',')])).toEqual(table);
      // the XLSX writer is not in any page's first view: it loads when asked for
      await page.waitForLoadState('networkidle');
      const jsBefore = site.requests.filter((r) => r.endsWith('.js')).length;
      const xlsx = await download(page, fig, 'xlsx');
      expect(xlsx.name).toBe('itmap-10-don-vi-diem-cao-nhat-phuong-xa-thi-tran-thang-3-2024-2024-03.xlsx'.replace('10-', `${table.length}-`));
      expect(site.requests.filter((r) => r.endsWith('.js')).length).toBeGreaterThan(jsBefore);
      const files = unzipSync(new Uint8Array(xlsx.bytes));
      const shared = strFromU8(files['xl/sharedStrings.xml']);
      for (const text of [...csv[0], ...table.map((r) => r[0])]) expect(shared).toContain(text);
      expect(strFromU8(files['xl/workbook.xml'])).toContain('Trích dẫn');

      for (const [item, check] of [
        ['copyLink', (t: string) => expect(t).toBe(`${site.url}/?period=2024-03&peer=ward`)],
        ['cite', (t: string) => expect(t).toMatch(new RegExp(`^Bản đồ thể chế\\. \\(2025\\)\\. \\d+ đơn vị điểm cao nhất — Phường, xã, thị trấn, Tháng 3/2024 \\[Bộ dữ liệu; Phương pháp 766-v1; Dữ liệu đến .*2025\\]\\. Truy cập ngày .*, từ ${site.url.replace(/\./g, '\\.')}/\\?period=2024-03&peer=ward$`))],
        ['copyEmbed', (t: string) => expect(t).toContain(`${site.url}/embed/ranking?peer=ward&amp;top=${table.length}&amp;period=2024-03&amp;lang=vi&amp;pin=`)],
      ] as const) {
        await page.locator(`${fig} .share__button`).click();
        await page.locator(`${fig} [data-share="${item}"]`).click();
        await expect.poll(() => page.locator(`${fig} .share__status`).textContent()).toBe('Đã sao chép.');
        check(await page.evaluate(() => navigator.clipboard.readText()));
      }
      // the embed code's page shows the same units
      const src = (await page.evaluate(() => navigator.clipboard.readText())).match(/src="([^"]+)"/)![1].replace(/&amp;/g, '&');
      await page.goto(src);
      await page.locator('.embed__title').waitFor();
      expect((await page.locator('.embed__table tbody th').allTextContents())).toEqual(table.map((r) => r[0]));
      // a pin not yet copied by the publisher is a 404 the embed expects (it reads the live file)
      expect(problems.filter((p) => !/\/data\/pins\//.test(p))).toEqual([]);
    } finally {
      await close();
    }
  });

  for (const [path, fig, one] of [
    ['/units/so-tu-phap?period=2024-03', '[data-module="profile"] figure.chart', ':has(figcaption:has-text("Tổng điểm theo"))'],
    ['/progress?period=2024-03', '[data-module="progress"] figure.chart', ''],
    ['/feedback-1022?period=2024-03', '[data-module="feedback-1022"] figure.chart', ':has(figcaption:has-text("Quá hạn"))'],
  ] as const) {
    it(`${path}: every figure has the menu with XLSX and the citation; the XLSX holds the figure's table`, async () => {
      const { page, problems, close } = await openPage(path, { downloads: true });
      try {
        await page.locator(`${fig} .share__button`).first().waitFor();
        const n = await page.locator(fig).count();
        expect(n).toBeGreaterThan(0);
        for (let i = 0; i < n; i++) {
          const keys = await menuOf(page, fig, i);
          expect(keys.filter((k) => k !== 'copyEmbed')).toEqual(ITEMS.filter((k) => k !== 'copyEmbed'));
        }
        const head = await page.locator(fig + one).locator('table thead th').allTextContents();
        const xlsx = await download(page, fig + one, 'xlsx');
        const shared = strFromU8(unzipSync(new Uint8Array(xlsx.bytes))['xl/sharedStrings.xml']);
        for (const h of head) expect(shared).toContain(h.replace(/&/g, '&amp;'));
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('docs/JOURNALISTS.md: every documented embed parameter works', () => {
  it('ranking (period, peer, unit, top; an unknown peer group says which exist), history (unit, period), map (district), lang, theme, pin', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/JOURNALISTS.md', import.meta.url), 'utf8');
    const english = doc.slice(doc.indexOf('### Embedding'), doc.indexOf('**How long'));
    const documented = new Set([...english.matchAll(/`(\w+)(?:=[^`]*)?`/g)].map((m) => m[1]).filter((p) => /^[a-z]+$/.test(p) && !['ranking', 'history', 'map', 'provisional', 'city', 'department'].includes(p)));
    const checks: Record<string, [string, (page: Page) => Promise<void>]> = {
      period: ['/embed/ranking?period=2024-02&peer=ward', async (p) => expect(await p.locator('.embed__title').textContent()).toContain('Tháng 2/2024')],
      peer: ['/embed/ranking?period=2024-03&peer=district-urban', async (p) => expect(await p.locator('.embed__error').textContent()).toContain('không có nhóm “district-urban”; các nhóm: ')],
      unit: ['/embed/ranking?period=2024-03&unit=so-tu-phap', async (p) => expect(await p.locator('.embed__title').textContent()).toContain('Sở, ban, ngành')],
      top: ['/embed/ranking?period=2024-03&peer=department&top=1', async (p) => expect(await p.locator('.embed__table tbody tr').count()).toBe(1)],
      lang: ['/embed/history?unit=so-tu-phap&period=2024-02&lang=en', async (p) => {
        expect(await p.locator('.embed__title').textContent()).toBe('Total score by month, Department of Justice');
        expect(await p.locator('.embed__table tbody th').allTextContents()).toEqual(['January 2024', 'February 2024']); // history's period: the last one shown
      }],
      theme: ['/embed/ranking?peer=ward&theme=dark', async (p) => expect(await p.locator('html').getAttribute('data-theme')).toBe('dark')],
      district: ['/embed/map?period=2024-03&district=quan-3', async (p) => expect(await p.locator('.embed__table tbody th').allTextContents()).toEqual(['Phường Võ Thị Sáu', 'Phường 14'])],
      pin: ['/embed/ranking?period=2024-03&peer=ward&pin=20241231T170000Z', async (p) => expect(await p.locator('.embed__note').count()).toBe(0)],
    };
    expect([...documented].sort()).toEqual(Object.keys(checks).sort());
    for (const [param, [path, check]] of Object.entries(checks)) {
      const { page, close } = await openPage(path);
      try {
        await page.locator('.embed__title, .embed__error').first().waitFor();
        await check(page);
      } catch (e) {
        throw new Error(`${param} (${path}): ${(e as Error).message}`);
      } finally {
        await close();
      }
    }
  });
});
