/**
 * Issue 19, Chart | Table tabs on every figure (the kit's FigureTabs, as Our World in Data's grapher), in Chromium
 * at 1280 and 360 px on the fixture snapshots: the overview's map (Map | Table) and top units chart, a profile's
 * charts. The keys of a tablist, the choice in the URL (?table=<id>,…, the period and language kept, through a
 * reload and the permanent link), chart.js not loaded for a chart whose Table tab is chosen, printing both panels,
 * no page-wide scroll, axe. Screenshots: test-results/screenshots/figure-tabs-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axe, buildSite, cleanup, launchBrowser, overflow, screenshot, startSite, waitForCanvas, writeDashboardSnapshots, type Site } from './support.ts';

let browser: Browser;
let site: Site;
/** the shared files of chart.js (the kit's charts entry), as the build lists them */
let chartFiles: string[];

beforeAll(async () => {
  let webDir: string, dataDir: string;
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite(), writeDashboardSnapshots()]);
  chartFiles = (JSON.parse(await readFile(join(webDir, 'sizes.json'), 'utf8')) as { charts: { files: string[] } }).charts.files;
  site = await startSite({ webDir, dataDir });
});
afterAll(async () => {
  await site?.close();
  await browser?.close();
  await cleanup();
});

async function openPage(path: string, width: number) {
  const context = await browser.newContext({ viewport: { width, height: width === 360 ? 640 : 900 }, reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(site.url + path);
  const chartJsLoaded = () => requests.some((p) => chartFiles.some((f) => p.endsWith(f.replace(/^.*\/shared\//, '/shared/'))));
  return { page, problems, chartJsLoaded, close: () => context.close() };
}
const search = (page: Page) => new URL(page.url()).search;
const selected = (page: Page, figure: string) => page.locator(`${figure} [role="tab"][aria-selected="true"]`).getAttribute('data-tab');
const focusedTab = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement).dataset.tab ?? null);

const MAP = '[data-module="overview"] [data-figure="map"]';
const TOP = '[data-module="overview"] figure.chart:has([data-figure="top-units"])';

describe('Chart | Table tabs', () => {
  for (const width of [1280, 360]) {
    it(`the overview's map and top units chart: the keys, the choice in the URL with the period, a reload, the link (${width} px)`, async () => {
      const { page, problems, close } = await openPage('/?period=2024-03&lang=en', width);
      try {
        await page.locator(`${MAP} .tile`).first().waitFor();
        const tiles = await page.locator(`${MAP} .tile`).count();
        expect(tiles).toBeGreaterThan(0);
        expect(await page.locator(`${MAP} [role="tab"]`).allTextContents()).toEqual(['Map', 'Table']);
        expect(await selected(page, MAP)).toBe('chart');
        expect(await page.locator(`${MAP} [data-panel="table"]`).isHidden()).toBe(true);
        expect(await page.locator(`${MAP} [data-panel="table"] table`).count()).toBe(0); // built when first chosen

        // Tab reaches the chosen tab only; → chooses the table: the URL says so, the period and language kept, focus on it
        await page.locator(`${MAP} [role="tab"][data-tab="chart"]`).focus();
        await page.keyboard.press('ArrowRight');
        await page.waitForURL(/table=map/);
        expect(search(page)).toBe('?lang=en&period=2024-03&table=map');
        expect(await focusedTab(page)).toBe('table');
        const rows = page.locator(`${MAP} [data-panel="table"] tbody tr`);
        await expect.poll(() => rows.count()).toBe(tiles);
        expect(await page.locator(`${MAP} [data-panel="table"] table`).isVisible()).toBe(true);
        expect(await page.locator(`${MAP} [data-panel="chart"]`).isHidden()).toBe(true);
        expect(await page.locator(`${MAP} [role="tab"][data-tab="chart"]`).getAttribute('tabindex')).toBe('-1');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.locator(`${MAP} [role="tablist"]`).scrollIntoViewIfNeeded();
        await screenshot(page, `figure-tabs-map-table-${width}`);
        expect(await axe(page)).toEqual([]);

        // Home: the map again (no parameter left); End: the table
        await page.keyboard.press('Home');
        await page.waitForURL((u) => !u.search.includes('table='));
        expect(await focusedTab(page)).toBe('chart');
        expect(await page.locator(`${MAP} [data-panel="chart"] .tile`).first().isVisible()).toBe(true);
        await page.keyboard.press('End');
        await page.waitForURL(/table=map/);

        // the top units chart has its own tab beside the map's: both in the URL
        const topTable = page.locator(`${TOP} [role="tab"][data-tab="table"]`);
        await topTable.scrollIntoViewIfNeeded();
        expect(await page.locator(`${TOP} [role="tab"]`).allTextContents()).toEqual(['Chart', 'Table']);
        await page.locator(`${TOP} [data-panel="chart"] .chart__svg svg`).waitFor(); // drawn (SVG) in its Chart tab
        await topTable.click();
        await page.waitForURL(/table=map,top-units/);
        expect(search(page)).toBe('?lang=en&period=2024-03&table=map,top-units');
        expect(await page.locator(`${TOP} [data-panel="table"] table`).isVisible()).toBe(true);
        expect(await page.locator(`${TOP} [data-panel="chart"]`).isHidden()).toBe(true);
        // the permanent link is the view: its period and its tabs
        await page.locator(`${TOP} .share__button`).click();
        await page.locator(`${TOP} [data-share="copyLink"]`).click();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${site.url}/?lang=en&period=2024-03&table=map,top-units`);
        await page.keyboard.press('Escape');
        // a peer group's link keeps them; a reload opens on the tables
        expect(await page.locator('[data-module="overview"] .tabs a', { hasText: /^Wards/ }).getAttribute('href')).toBe('/?lang=en&period=2024-03&peer=ward&table=map,top-units');
        await page.reload();
        await page.locator(`${MAP} [data-panel="table"] tbody tr`).first().waitFor();
        expect(await selected(page, MAP)).toBe('table');
        await page.locator(`${TOP} [data-panel="table"] table`).waitFor();
        expect(await selected(page, TOP)).toBe('table');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.locator(`${TOP}`).scrollIntoViewIfNeeded();
        await screenshot(page, `figure-tabs-top-units-table-${width}`);
        expect(await axe(page)).toEqual([]);
        // its chart, in view but under the chosen Table tab, is drawn only when its Chart tab is chosen
        await page.waitForTimeout(300);
        expect(await page.locator(`${TOP} .chart__svg svg`).count()).toBe(0);
        await page.locator(`${TOP} [role="tab"][data-tab="chart"]`).click();
        await page.locator(`${TOP} [data-panel="chart"] .chart__svg svg`).waitFor();
        expect(search(page)).toBe('?lang=en&period=2024-03&table=map');
        await screenshot(page, `figure-tabs-top-units-chart-${width}`, { selector: TOP });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });

    it(`a profile's charts whose Table tab is chosen load no chart.js until their Chart tab is; printing shows both panels (${width} px)`, async () => {
      const PROFILE = '[data-module="profile"]';
      const { page, problems, chartJsLoaded, close } = await openPage('/units/so-tu-phap?period=2024-03&table=groups,history', width);
      try {
        const history = `${PROFILE} [data-figure="history"]`;
        await page.locator(`${history} [data-panel="table"] tbody tr`).first().waitFor();
        // every chart of the page scrolled past: none drawn, chart.js never asked for
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await page.locator(`${history} [data-panel="table"] table`).scrollIntoViewIfNeeded();
        await page.waitForTimeout(500);
        expect(chartJsLoaded()).toBe(false);
        expect(await page.locator(`${PROFILE} .chart canvas`).evaluateAll((cs) => cs.map((c) => {
          const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
          return d.some((v, i) => i % 4 === 3 && v > 0);
        }))).toEqual([false, false]); // nothing painted
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `figure-tabs-profile-table-${width}`);
        expect(await axe(page)).toEqual([]);

        // the Chart tab: drawn now (the focus stays on the tab; the other figure keeps its table)
        await page.locator(`${history} [role="tab"][data-tab="chart"]`).click();
        await page.waitForURL((u) => u.search === '?period=2024-03&table=groups');
        expect(await waitForCanvas(page, `${history} canvas`)).toBeGreaterThan(0);
        expect(chartJsLoaded()).toBe(true);
        expect(await focusedTab(page)).toBe('chart');
        expect(await selected(page, `${PROFILE} [data-figure="groups"]`)).toBe('table');
        await screenshot(page, `figure-tabs-profile-chart-${width}`, { selector: `${PROFILE} figure.chart:has([data-figure="history"])` });

        // on paper both panels of each figure: the chart whose Table tab is chosen is drawn too
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
        expect(await waitForCanvas(page, `${PROFILE} [data-figure="groups"] canvas`)).toBeGreaterThan(0);
        expect(await page.locator(`${PROFILE} [role="tabpanel"]`).evaluateAll((ps) => ps.map((p) => getComputedStyle(p).display !== 'none'))).toEqual([true, true, true, true]);
        expect(await page.locator(`${PROFILE} [role="tablist"]`).first().isVisible()).toBe(false);
        await page.evaluate(() => dispatchEvent(new Event('afterprint')));
        await page.emulateMedia({ media: 'screen' });
        expect(await page.locator(`${PROFILE} [data-figure="groups"] [data-panel="chart"]`).isHidden()).toBe(true);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

