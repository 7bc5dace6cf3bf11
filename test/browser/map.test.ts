/**
 * Issue 19, the map (Chromium, 360 and 1280 px, on the fixture snapshots): the map has the charts' share menu
 * (images of the tiles, the map's table as CSV/XLSX/JSON, /embed/map, cite, permanent link; a provisional period
 * says so in the file and the image), a period stepper; and "no data", one rule shown the same way on every page.
 * Screenshots go to test-results/screenshots/{map,no-data}-*.png for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  axe, buildSite, cleanup, download, launchBrowser, ONGOING, overflow, parseCsv, parseSvg, pngSize, screenshot, startSite, writeDashboardSnapshots, type Site,
} from './support.ts';
import { pinId } from '@itmap/kit/share/embed-link';
import type { ScoresSnapshot } from '../../shared-types/src/snapshots.ts';

let browser: Browser;
let site: Site;
let ongoing: Site;
let dataDir: string;

beforeAll(async () => {
  let webDir: string, ongoingDir: string;
  [browser, webDir, dataDir, ongoingDir] = await Promise.all([launchBrowser(), buildSite(), writeDashboardSnapshots(), writeDashboardSnapshots(ONGOING)]);
  // for the drill-down: a second district with a ward, scored in March 2024 (last of their peer groups)
  const units = JSON.parse(await readFile(join(dataDir, 'units.json'), 'utf8'));
  units.units.push(
    { id: 'quan-1', parentId: 'hcm', kind: 'district', peerGroup: 'district', offersElectronicCertifiedCopy: false, name: { vi: 'Quận 1', en: 'District 1' }, centroid: [106.70, 10.775] },
    { id: 'quan-1-p-ben-nghe', parentId: 'quan-1', kind: 'ward', peerGroup: 'ward', offersElectronicCertifiedCopy: true, name: { vi: 'Phường Bến Nghé', en: 'Ben Nghe Ward' }, centroid: [106.703, 10.778] },
  );
  await writeFile(join(dataDir, 'units.json'), JSON.stringify(units));
  const rankings = JSON.parse(await readFile(join(dataDir, 'rankings/2024-03.json'), 'utf8'));
  const last = (g: string) => Math.max(...rankings.scores.filter((s: { peerGroup: string }) => s.peerGroup === g).map((s: { rank: number }) => s.rank));
  rankings.scores.push(
    { unitId: 'quan-1', peerGroup: 'district', rank: last('district') + 1, total: 10, band: 'weak' },
    { unitId: 'quan-1-p-ben-nghe', peerGroup: 'ward', rank: last('ward') + 1, total: 10, band: 'weak' },
  );
  await writeFile(join(dataDir, 'rankings/2024-03.json'), JSON.stringify(rankings));
  [site, ongoing] = await Promise.all([startSite({ webDir, dataDir }), startSite({ webDir, dataDir: ongoingDir })]);
});
afterAll(async () => {
  await Promise.all([site?.close(), ongoing?.close()]);
  await browser?.close();
  await cleanup();
});

async function openPage(on: Site, path: string, o: { width?: number; height?: number } = {}) {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: o.height ?? 900 }, reducedMotion: 'reduce', acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: on.url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(on.url + path);
  return { page, problems, close: () => context.close() };
}
const scoresOf = async (period: string) => JSON.parse(await readFile(join(dataDir, 'scores', `${period}.json`), 'utf8')) as ScoresSnapshot;
const MAP = '[data-module="overview"] .map-section';
const SHARE = `${MAP} .map-share`;
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
async function choose(page: Page, item: string) {
  await page.locator(`${SHARE} .share__button`).click();
  await page.locator(`${SHARE} [data-share="${item}"]`).click();
}

describe('the map has the charts\' share menu', () => {
  for (const width of [1280, 360]) {
    it(`the same items as a chart's; CSV, JSON and images of exactly the tiles shown; embed code, citation, permanent link (${width} px)`, async () => {
      const march = await scoresOf('2024-03');
      const { page, problems, close } = await openPage(site, '/?period=2024-03&district=quan-3&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        await page.locator(`${MAP} .tile`).first().waitFor();
        const tiles = await page.locator(`${MAP} .tile`).evaluateAll((as) => as.map((a) => a.getAttribute('data-unit')));
        expect(tiles.sort()).toEqual(['quan-3-p-14', 'quan-3-p-vo-thi-sau']);
        await page.locator(`${SHARE} .share__button`).click();
        const items = await page.locator(`${SHARE} [role="menuitem"]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.share));
        await page.keyboard.press('Escape');
        expect(items).toEqual(['png', 'png2x', 'pngDark', 'png2xDark', 'svg', 'svgDark', 'csv', 'xlsx', 'json', 'copyLink', 'cite', 'copyEmbed']);

        // the CSV: the map's data table as on screen (same units, same order), ids first, then the status
        await page.locator(`${MAP} [data-figure="map"] [role="tab"][data-tab="table"]`).click(); // the map's Table tab
        const onScreen = await page.locator(`${MAP} [data-figure="map"] [data-panel="table"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [
          tr.querySelector('th')!.textContent!.trim(), tr.children[1].firstChild!.textContent!.trim(), tr.children[2].textContent!.trim(), tr.children[3].firstChild!.textContent!.trim(),
        ]));
        const csv = parseCsv((await download(page, SHARE, 'csv')).bytes.toString('utf8'));
        expect(csv[0]).toEqual(['ID', 'Unit', 'Score', 'Change', 'Band', 'Rank in peer group', 'Period', 'Method', 'Data as of', 'Status of the figures']);
        expect(csv.slice(1).map((r) => [r[1], Number(r[2]).toFixed(2), r[4], r[5]])).toEqual(onScreen);
        for (const r of csv.slice(1)) {
          const s = march.scores.find((x) => x.unitId === r[0])!;
          expect([Number(r[2]), Number(r[5]), r[6], r[9]]).toEqual([Math.round(s.total * 100) / 100, s.rank, '2024-03', 'final']);
        }
        const json = JSON.parse((await download(page, SHARE, 'json')).bytes.toString('utf8'));
        expect(json).toMatchObject({ title: 'Wards and communes of District 3 by band, March 2024', unit: 'District 3', period: '2024-03', provisional: false });
        expect(json.rows.map((r: unknown[]) => r[0])).toEqual(csv.slice(1).map((r) => r[0]));

        // the images draw the tiles: each unit's short label and score, the legend, the caption
        const svg = await parseSvg(page, (await download(page, SHARE, 'svg')).bytes.toString('utf8'));
        expect(svg.error).toBeNull();
        expect(svg.texts).toEqual(expect.arrayContaining(['Wards and communes of District 3 by band, March 2024', 'District 3 · March 2024', 'P.14', 'VTS', 'No score']));
        for (const r of csv.slice(1)) expect(svg.texts).toContain(Number(r[2]).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
        expect(svg.texts.some((t) => /provisional/i.test(t))).toBe(false);
        const png = await download(page, SHARE, 'png');
        expect(png.name).toBe('itmap-wards-and-communes-of-district-3-by-band-march-2024-2024-03.png');
        expect(pngSize(png.bytes)).toEqual({ width: 800, height: svg.height });

        await choose(page, 'copyEmbed');
        await expect.poll(() => clipboard(page)).toContain(`<iframe src="${site.url}/embed/map?district=quan-3&amp;period=2024-03&amp;lang=en&amp;pin=${pinId(march.asOf)}"`);
        await choose(page, 'copyLink');
        await expect.poll(() => clipboard(page)).toBe(`${site.url}/?lang=en&period=2024-03&district=quan-3&table=map`); // the view: its Table tab chosen above
        await choose(page, 'cite');
        await expect.poll(() => clipboard(page)).toMatch(/^Bản đồ thể chế \[Institutional Transparency Map\]\. \(2025\)\. Wards and communes of District 3 by band, March 2024 \[Data set; Method 766-v1; /);

        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `map-share-${width}`, { selector: MAP });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('a provisional period says so in the image, the CSV and the JSON', async () => {
    const { page, problems, close } = await openPage(ongoing, '/?period=2024-03&lang=en');
    try {
      await page.locator(`${MAP} .tile`).first().waitFor();
      const svg = await parseSvg(page, (await download(page, SHARE, 'svg')).bytes.toString('utf8'));
      expect(svg.texts).toContain('March 2024 (provisional)');
      expect(svg.texts.some((t) => t.startsWith('Provisional: this period is not over.'))).toBe(true);
      const csv = parseCsv((await download(page, SHARE, 'csv')).bytes.toString('utf8'));
      expect(csv.slice(1).map((r) => r.at(-1))).toEqual(['provisional']); // District 3, the fixture's one district
      const json = JSON.parse((await download(page, SHARE, 'json')).bytes.toString('utf8'));
      expect(json).toMatchObject({ provisional: true, asOf: ONGOING.asOf });
      expect(json.provisionalNote).toMatch(/^Provisional: this period is not over\./);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('/embed/map draws the same tiles, table and citation; an unknown district says which exist', async () => {
    const march = await scoresOf('2024-03');
    const { page, problems, close } = await openPage(site, '/embed/map?period=2024-03&district=quan-3&lang=en');
    try {
      await page.locator('.embed__chart svg').waitFor();
      expect(await page.locator('.embed__title').textContent()).toBe('Wards and communes of District 3 by band, March 2024');
      const rows = await page.locator('.embed__table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(rows.map((r) => r[0]).sort()).toEqual(['Ward 14', 'Vo Thi Sau Ward'].sort());
      for (const r of rows) {
        const s = march.scores.find((x) => x.unitId === (r[0] === 'Ward 14' ? 'quan-3-p-14' : 'quan-3-p-vo-thi-sau'))!;
        expect(r[3]).toBe(String(s.rank));
      }
      const texts = await page.locator('.embed__chart svg text').allTextContents();
      expect(texts).toEqual(expect.arrayContaining(['P.14', 'VTS']));
      expect(await page.locator('.embed__cite a').getAttribute('href')).toBe(`${site.url}/?period=2024-03&district=quan-3&lang=en`);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'map-embed-1280');
      await page.goto(`${site.url}/embed/map?period=2024-03&district=nowhere`);
      await expect.poll(() => page.locator('.embed__error').textContent()).toBe('Kỳ này không có quận, huyện “nowhere”; các mã: quan-3, quan-1. Xem trên Bản đồ thể chế');
      expect(problems.filter((p) => !p.includes('nowhere'))).toEqual([]); // the embed page has the site's icon: no request for /favicon.ico
    } finally {
      await close();
    }
  });
});

describe('the map\'s period stepper', () => {
  for (const width of [1280, 360]) {
    it(`steps with the keyboard (the slider's arrows) and the previous/next links; the URL's period follows, as with the shell's picker, back returns (${width} px)`, async () => {
      const { page, problems, close } = await openPage(site, '/?period=2024-03&district=quan-3&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const title = page.locator(`${MAP} .tile-map figcaption`);
        await expect.poll(() => title.textContent()).toBe('Wards and communes of District 3 by band, March 2024');
        const slider = page.getByRole('slider', { name: 'Period' });
        expect(await slider.getAttribute('aria-valuetext')).toBe('March 2024');
        await slider.focus();
        await page.keyboard.press('ArrowLeft');
        await expect.poll(() => title.textContent()).toBe('Wards and communes of District 3 by band, February 2024');
        expect(new URL(page.url()).searchParams.get('period')).toBe('2024-02');
        expect(new URL(page.url()).searchParams.get('district')).toBe('quan-3'); // the rest of the view stays
        expect(await page.locator('#period-select').inputValue()).toBe('2024-02'); // the shell's picker agrees
        expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('range'); // focus stays on the slider
        await page.keyboard.press('End');
        await expect.poll(() => slider.getAttribute('aria-valuetext')).toBe('December 2024');
        await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('2024-12');
        await page.getByRole('link', { name: /^Previous period: Nov 2024/ }).click();
        await expect.poll(() => title.textContent()).toBe('Wards and communes of District 3 by band, November 2024');
        expect(await page.getByRole('link', { name: /^Next period:/ }).getAttribute('href')).toContain('period=2024-12');
        await page.goBack();
        await expect.poll(() => title.textContent()).toBe('Wards and communes of District 3 by band, December 2024');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `map-stepper-${width}`, { selector: MAP });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('"no data": one rule, shown the same way everywhere', () => {
  for (const width of [1280, 360]) {
    it(`a profile and a group page mark exactly the indicators the kit's rule says, with the same words and reason; the reason opens by keyboard (${width} px)`, async () => {
      const { noDataReason, noDataText } = await import('@itmap/kit/core');
      const march = await scoresOf('2024-03');
      const unit = march.scores.find((s) => s.unitId === 'so-tu-phap')!;
      const expected = Object.fromEntries(Object.entries(unit.indicators).map(([id, r]) => [id, noDataReason({ indicator: r })]).filter(([, r]) => r));
      expect(Object.keys(expected).length).toBeGreaterThan(0); // the fixture has indicators with nothing to count
      const { page, problems, close } = await openPage(site, '/units/so-tu-phap?period=2024-03&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const table = page.locator('[data-module="profile"] table.indicators');
        await table.waitFor();
        const shown = await table.locator('tbody tr:not(.group-row)').evaluateAll((trs) => Object.fromEntries(trs
          .map((tr) => [tr.querySelector('th .muted')!.textContent!.trim(), tr.querySelector('[data-no-data]')?.getAttribute('data-no-data') ?? null])
          .filter(([, r]) => r)));
        expect(shown).toEqual(expected);
        const [id, reason] = Object.entries(expected)[0] as [string, 'no-records' | 'not-applicable'];
        const cell = table.locator('tbody tr', { has: page.locator(`th .muted:text-is("${id}")`) }).locator('[data-no-data]');
        expect(await cell.locator('.no-data__text').textContent()).toBe(noDataText('en', reason).short);
        expect(await cell.getAttribute('title')).toBe(noDataText('en', reason).why);
        expect(await table.locator('.no-data__why').evaluateAll((es) => es.filter((e) => (e as HTMLElement).offsetParent).length)).toBe(0); // reasons closed
        await cell.getByRole('button').focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => cell.locator('.no-data__why').isVisible()).toBe(true);
        expect(await cell.locator('.no-data__why').textContent()).toBe(noDataText('en', reason).why);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `no-data-profile-${width}`, { selector: '[data-module="profile"] table.indicators' });
        // the group page: the same unit's same indicators, the same words
        const groupOf = (await import('../../shared-types/src/method.ts')).METHOD_766_V1.indicators.find((i) => i.id === id)!.group;
        const path = { transparency: 'transparency', progress: 'progress', onlineServices: 'online-services', digitization: 'digitization', satisfaction: 'satisfaction' }[groupOf];
        await page.goto(`${site.url}/${path}?period=2024-03&peer=department&lang=en`);
        const row = page.locator(`[data-module="${path}"] table.group-table tbody tr`, { has: page.locator('th', { hasText: 'Department of Justice' }) });
        await row.waitFor();
        const inGroup = await row.locator('[data-no-data]').evaluateAll((es) => es.map((e) => [e.getAttribute('data-no-data'), e.querySelector('.no-data__text')!.textContent]));
        const groupIds = Object.keys(expected).filter((i) => (unit.indicators as Record<string, unknown>)[i] && i.startsWith(id.split('.')[0] + '.'));
        expect(inGroup).toEqual(groupIds.map((i) => [expected[i], noDataText('en', expected[i] as 'no-records').short]));
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `no-data-group-${width}`, { selector: `[data-module="${path}"] .table-scroll` });
        // a period without the unit's score: the same component, not scored
        await page.goto(`${site.url}/units/so-tu-phap?period=2023&lang=en`);
        const status = page.getByTestId('no-score');
        await expect.poll(() => status.textContent()).toMatch(/^2023: No score/);
        expect(await status.locator('[data-no-data]').getAttribute('data-no-data')).toBe('not-scored');
        expect(problems.filter((p) => !p.includes('/data/scores/2023.json'))).toEqual([]); // no snapshot of 2023: what the page says
      } finally {
        await close();
      }
    });
  }
});

describe('the drill-down moves the map, the rankings, the top units and the search together', () => {
  for (const width of [1280, 360]) {
    it(`a district chosen on the map (keyboard) narrows everything to its wards, with a breadcrumb back; it survives links and reloads (${width} px)`, async () => {
      const { page, problems, close } = await openPage(site, '/?period=2024-03&peer=ward&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const ranking = page.locator('[data-module="overview"] table.ranking');
        const names = () => ranking.locator('tbody th').allTextContents();
        await ranking.locator('tbody th').first().waitFor();
        await expect.poll(names).toEqual(['Vo Thi Sau Ward', 'Ward 14', 'Ben Nghe Ward']); // by rank: the fixture's two, then Ben Nghe (last)
        const ranksBefore = await ranking.locator('tbody td:first-child').evaluateAll((tds) => tds.map((td) => td.firstChild!.textContent!.trim()));
        expect(await page.getByTestId('breadcrumb').count()).toBe(0);
        // Tab to District 3's tile and press Enter: a district drills down
        const tile = page.locator(`${MAP} .tile[data-unit="quan-3"]`);
        await tile.focus();
        await page.keyboard.press('Enter');
        await page.waitForURL(/district=quan-3/);
        await expect.poll(names).toEqual(['Vo Thi Sau Ward', 'Ward 14']);
        // the city's ranks are kept (rank in the peer group of the whole city)
        expect(await ranking.locator('tbody td:first-child').evaluateAll((tds) => tds.map((td) => td.firstChild!.textContent!.trim()))).toEqual(ranksBefore.slice(0, 2));
        expect(await ranking.locator('caption').textContent()).toBe('Ranking of Wards and communes, District 3, March 2024');
        await expect.poll(() => page.locator('[data-module="overview"] figure.chart figcaption').textContent()).toBe('Top 2 units — Wards and communes, District 3, March 2024');
        expect((await page.locator(`${MAP} .tile`).evaluateAll((as) => as.map((a) => a.getAttribute('data-unit')))).sort()).toEqual(['quan-3-p-14', 'quan-3-p-vo-thi-sau']);
        const crumb = page.getByTestId('breadcrumb');
        expect(await crumb.locator('li').allTextContents()).toEqual(['Ho Chi Minh City', 'District 3 (profile)']);
        expect(await crumb.locator('[aria-current="location"]').textContent()).toBe('District 3');
        // the search, by the same parameter: District 3's wards first, the whole city on demand
        await page.locator('#unit-input').fill('ward');
        const options = page.locator('#unit-options li:not([data-option])');
        await expect.poll(() => options.count()).toBe(2);
        expect(await page.locator('#unit-options [data-option="everywhere"]').textContent()).toBe('Search the whole city, not only District 3 (1 more matches)');
        await page.locator('#unit-input').press('Escape');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `drill-down-${width}`, { height: 1400 });
        // through another page and back, and a reload: still District 3
        await page.locator('#site-nav a[href^="/transparency"]').first().click();
        await page.waitForURL(/\/transparency\?/);
        expect(new URL(page.url()).searchParams.get('district')).toBe('quan-3');
        await page.goBack();
        await page.reload();
        await expect.poll(names).toEqual(['Vo Thi Sau Ward', 'Ward 14']);
        // the way back: the breadcrumb's city
        await crumb.getByRole('link', { name: 'Ho Chi Minh City' }).click();
        await expect.poll(names).toEqual(['Vo Thi Sau Ward', 'Ward 14', 'Ben Nghe Ward']);
        expect(new URL(page.url()).searchParams.get('district')).toBeNull();
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('the map\'s painted layer', () => {
  for (const width of [1280, 360]) {
    it(`the canvas under the links is as wide as its box in device pixels, and each tile's square is painted in its band's colour (${width} px)`, async () => {
      const { page, problems, close } = await openPage(site, '/?period=2024-03&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        await page.locator(`${MAP} .tile`).first().waitFor();
        // every tile, at a point of its square clear of its words, its strip and its outline: (5, 40) in the map's units
        const painted = () => page.locator(`${MAP} figure.tile-map`).evaluate((figure) => {
          const canvas = figure.querySelector('canvas')!;
          const svg = figure.querySelector('svg.tile-map__svg') as SVGSVGElement;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          const k = canvas.width / svg.viewBox.baseVal.width;
          const css = getComputedStyle(figure);
          const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.trim().slice(i, i + 2), 16));
          const tiles = [...figure.querySelectorAll('a.tile')].map((a) => {
            const r = a.querySelector('rect')!;
            const at = 4 * (Math.round((Number(r.getAttribute('y')) + 40) * k) * canvas.width + Math.round((Number(r.getAttribute('x')) + 5) * k));
            const want = rgb(css.getPropertyValue(`--tile-${a.getAttribute('data-band')}`));
            return [...data.slice(at, at + 3)].every((v, i) => Math.abs(v - want[i]) <= 2);
          });
          return { sized: canvas.width === Math.round(canvas.clientWidth * devicePixelRatio), tiles: tiles.length, painted: tiles.filter(Boolean).length };
        });
        await expect.poll(painted, { timeout: 10_000 }).toEqual({ sized: true, tiles: 2, painted: 2 });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('tooltips on the map\'s tiles', () => {
  for (const width of [1280, 360]) {
    it(`hover and keyboard focus show the unit's name, district, score, band, rank and change, the tile highlighted; Escape hides it; it stays on the page (${width} px)`, async () => {
      const [march, february] = await Promise.all([scoresOf('2024-03'), scoresOf('2024-02')]);
      const { formatNumber, changeText, scoreChange } = await import('@itmap/kit/core');
      const { page, problems, close } = await openPage(site, '/?period=2024-03&district=quan-3&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const tile = page.locator(`${MAP} .tile[data-unit="quan-3-p-vo-thi-sau"]`);
        const tip = page.getByTestId('tile-tip');
        // the change comes with the previous month's rankings (loaded after the first view)
        await expect.poll(() => tile.getAttribute('aria-label'), { timeout: 10_000 }).toContain('since February 2024');
        const now = march.scores.find((s) => s.unitId === 'quan-3-p-vo-thi-sau')!;
        const before = february.scores.find((s) => s.unitId === 'quan-3-p-vo-thi-sau')!;
        const lines = ['Vo Thi Sau Ward', 'District 3', `${formatNumber(now.total, 'en')} points · Average`, `Rank ${now.rank} in its peer group`, changeText('en', 'score', scoreChange(now.total, before.total)!, '2024-02')];
        if (width === 1280) {
          await tile.hover();
          await tip.waitFor();
          expect((await tip.locator(':scope > *').allTextContents()).slice(0, 5)).toEqual(lines);
          // the others dimmed: the map's background laid at 55 % over every tile but the hovered one (as 45 % opacity would)
          const dimmed = await page.locator(`${MAP} .tile-map__dim`).evaluate((dim: SVGPathElement) => {
            const covers = (id: string) => {
              const r = dim.ownerSVGElement!.querySelector(`.tile[data-unit="${id}"] rect`)!;
              return dim.isPointInFill(new DOMPoint(Number(r.getAttribute('x')) + 32, Number(r.getAttribute('y')) + 32));
            };
            return { opacity: getComputedStyle(dim).opacity, hovered: covers('quan-3-p-vo-thi-sau'), other: covers('quan-3-p-14') };
          });
          expect(dimmed).toEqual({ opacity: '0.55', hovered: false, other: true });
          await page.mouse.move(0, 0);
          await expect.poll(() => tip.count()).toBe(0);
        }
        // the keyboard: Tab onto the tiles (from the share button just before them)
        await page.locator(`${SHARE} .share__button`).focus();
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-unit'));
        expect(['quan-3-p-vo-thi-sau', 'quan-3-p-14']).toContain(focused);
        await tip.waitFor();
        expect(await tip.locator('strong').textContent()).toBe(focused === 'quan-3-p-14' ? 'Ward 14' : 'Vo Thi Sau Ward');
        const box = (await tip.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `map-tooltip-${width}`, { selector: MAP });
        await page.keyboard.press('Escape');
        await expect.poll(() => tip.count()).toBe(0);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});
