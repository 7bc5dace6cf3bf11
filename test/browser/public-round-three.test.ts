/**
 * Issue 19, third round, in Chromium (360 and 1280 px) on the fixture snapshots: change since the previous
 * period (scores, groups, ranks) on the overview, the profile and a group page. Screenshots go to
 * test-results/screenshots/round3-*.png for review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { axe, buildSite, cleanup, download, launchBrowser, overflow, parseCsv, screenshot, startSite, writeDashboardSnapshots, type Site } from './support.ts';
import { formatChange, formatRankMove, rankMove, scoreChange } from '@itmap/kit/core';
import type { ScoresSnapshot } from '../../shared-types/src/snapshots.ts';

let browser: Browser;
let site: Site;
let dataDir: string;

beforeAll(async () => {
  let webDir: string;
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite(), writeDashboardSnapshots()]);
  // for the search: 12 more wards in District 3 and a district of 5 wards, listed but not scored (more than a page of matches)
  const unitsFile = join(dataDir, 'units.json');
  const snapshot = JSON.parse(await readFile(unitsFile, 'utf8')) as { units: unknown[] };
  const ward = (id: string, n: number, parentId: string, district: string) => ({
    id, parentId, kind: 'ward', peerGroup: 'ward', offersElectronicCertifiedCopy: true,
    name: { vi: `Phường ${n} (${district})`, en: `Ward ${n} (${district})` },
  });
  snapshot.units.push(
    ...Array.from({ length: 12 }, (_, i) => ward(`quan-3-p-${i + 1}`, i + 1, 'quan-3', 'Quận 3')),
    { id: 'quan-1', parentId: 'hcm', kind: 'district', peerGroup: 'district', offersElectronicCertifiedCopy: false, name: { vi: 'Quận 1', en: 'District 1' } },
    ...Array.from({ length: 5 }, (_, i) => ward(`quan-1-p-${i + 1}`, i + 1, 'quan-1', 'Quận 1')),
  );
  await writeFile(unitsFile, JSON.stringify(snapshot));
  // the Atom feeds as the publisher writes them (functions/src/services/feeds.ts) from the fixture's snapshots
  const { cityFeedEntries, cityFeedXml, feedContext, unitFeedXml } = await import('../../functions/src/services/feeds.ts');
  const { METHOD_766_V1 } = await import('../../shared-types/src/method.ts');
  const ctx = feedContext(snapshot.units as { id: string; name: { vi: string; en: string } }[], () => METHOD_766_V1.bands);
  const [february, march] = await Promise.all(['2024-02', '2024-03'].map(scoresOf));
  await mkdir(join(dataDir, 'feeds/units'), { recursive: true });
  await writeFile(join(dataDir, 'feeds/city.xml'), cityFeedXml(cityFeedEntries(march.scores, february.scores, 'hcm', ctx), { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, march.asOf));
  const vts = JSON.parse(await readFile(join(dataDir, 'units/quan-3-p-vo-thi-sau.json'), 'utf8')) as { history: never[]; asOf: string };
  await writeFile(join(dataDir, 'feeds/units/quan-3-p-vo-thi-sau.xml'), unitFeedXml('quan-3-p-vo-thi-sau', vts.history, ctx, vts.asOf));
  site = await startSite({ webDir, dataDir });
});
afterAll(async () => {
  await site?.close();
  await browser?.close();
  await cleanup();
});

async function openPage(path: string, o: { width?: number; height?: number } = {}) {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: o.height ?? 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(site.url + path);
  return { page, problems, close: () => context.close() };
}
const scoresOf = async (period: string) => JSON.parse(await readFile(join(dataDir, 'scores', `${period}.json`), 'utf8')) as ScoresSnapshot;

describe('change since the previous period', () => {
  for (const width of [1280, 360]) {
    it(`the overview's ranking shows each unit's change of total and rank since the previous month (${width} px)`, async () => {
      const [march, february] = await Promise.all([scoresOf('2024-03'), scoresOf('2024-02')]);
      const { page, problems, close } = await openPage('/?period=2024-03&peer=ward&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const table = page.locator('[data-module="overview"] table.ranking');
        await table.locator('tbody [data-change="score"]').first().waitFor();
        const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
          name: tr.querySelector('th')!.textContent!.trim(),
          score: tr.querySelector('[data-change="score"] [aria-hidden]')?.textContent ?? null,
          rank: tr.querySelector('[data-change="rank"] [aria-hidden]')?.textContent ?? null,
          said: tr.querySelector('[data-change="score"] .visually-hidden')?.textContent ?? null,
        })));
        // the table's order (rank, then total, then id), each row's change computed here from the two snapshots
        const wards = march.scores.filter((s) => s.peerGroup === 'ward')
          .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || b.total - a.total || a.unitId.localeCompare(b.unitId));
        expect(rows).toHaveLength(wards.length);
        wards.forEach((s, i) => {
          const before = february.scores.find((b) => b.unitId === s.unitId)!;
          const delta = scoreChange(s.total, before.total)!;
          expect(rows[i].score).toBe(`${delta > 0 ? '▲' : delta < 0 ? '▼' : '='} ${formatChange(delta, 'en')}`);
          expect(rows[i].rank).toBe(formatRankMove(rankMove(s, before)!));
          expect(rows[i].said).toContain('since February 2024');
        });
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `round3-overview-change-${width}`, { selector: '[data-module="overview"] .overview__grid' });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('a profile shows the change of its total, rank and groups; the first month of the data shows none (360 px first screen kept)', async () => {
    const [march, february] = await Promise.all([scoresOf('2024-03'), scoresOf('2024-02')]);
    const now = march.scores.find((s) => s.unitId === 'quan-3-p-vo-thi-sau')!;
    const before = february.scores.find((s) => s.unitId === 'quan-3-p-vo-thi-sau')!;
    const { page, problems, close } = await openPage('/units/quan-3-p-vo-thi-sau?period=2024-03&lang=en', { width: 360, height: 640 });
    try {
      const profile = page.locator('[data-module="profile"]');
      const change = profile.locator('[data-testid="total-change"] .change');
      await change.waitFor();
      const delta = scoreChange(now.total, before.total)!;
      expect(await change.getAttribute('title')).toBe(`${delta > 0 ? 'up' : delta < 0 ? 'down' : 'unchanged'}${delta ? ` ${Math.abs(delta).toFixed(1)} points` : ''} since February 2024`);
      expect(await profile.locator('table').first().locator('[data-change="score"]').count()).toBe(5);
      const box = await profile.locator('.stat .band').boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(640); // the score and band stay on the first screen
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'round3-profile-change-360');
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, 'round3-profile-change-1280');
      await page.goto(`${site.url}/units/quan-3-p-vo-thi-sau?period=2024-01&lang=en`);
      await profile.locator('[data-testid="total"]').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await profile.locator('.change').count()).toBe(0); // no December 2023: nothing, not 0
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a group page shows the change of the group\'s points beside each unit\'s', async () => {
    const { page, problems, close } = await openPage('/transparency?period=2024-Q2&peer=ward&lang=en');
    try {
      const table = page.locator('[data-module="transparency"] table.group-table');
      await table.locator('tbody [data-change="score"]').first().waitFor();
      const titles = await table.locator('tbody [data-change="score"]').evaluateAll((es) => es.map((e) => e.getAttribute('title')));
      expect(titles.length).toBe(2);
      for (const t of titles) expect(t).toMatch(/^(up [\d.]+ points|down [\d.]+ points|unchanged) since Q1 2024$/);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'round3-group-change-1280', { selector: '[data-module="transparency"] .table-scroll' });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('sortable tables', () => {
  const namesOf = (page: import('playwright-core').Page, table: string) => page.locator(`${table} tbody tr th[scope="row"]`).allTextContents();
  for (const width of [1280, 360]) {
    it(`the overview's ranking sorts by a header, with the mouse or Enter; aria-sort follows, the order is in the URL (${width} px)`, async () => {
      const { page, problems, close } = await openPage('/?period=2024-03&peer=ward&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const table = '[data-module="overview"] table.ranking';
        await page.locator(`${table} tbody tr`).first().waitFor();
        const byRank = await namesOf(page, table);
        expect(await page.locator(`${table} th[data-sort-key="rank"]`).getAttribute('aria-sort')).toBe('ascending');
        await page.locator(`${table} th[data-sort-key="unit"] button`).click();
        await page.waitForURL(/sort=unit/);
        const collator = new Intl.Collator('en', { numeric: true });
        expect(await namesOf(page, table)).toEqual([...byRank].sort(collator.compare));
        expect(await page.locator(`${table} th[data-sort-key="unit"]`).getAttribute('aria-sort')).toBe('ascending');
        expect(await page.locator(`${table} th[data-sort-key="rank"]`).getAttribute('aria-sort')).toBeNull();
        // the keyboard: focus the header's button, Enter flips the order
        await page.locator(`${table} th[data-sort-key="unit"] button`).focus();
        await page.keyboard.press('Enter');
        await page.waitForURL(/dir=desc/);
        expect(await namesOf(page, table)).toEqual([...byRank].sort(collator.compare).reverse());
        expect(await page.locator(`${table} th[data-sort-key="unit"]`).getAttribute('aria-sort')).toBe('descending');
        // a sorted view is a link: reloaded, it is sorted the same
        await page.reload();
        await page.locator(`${table} tbody tr`).first().waitFor();
        expect(await namesOf(page, table)).toEqual([...byRank].sort(collator.compare).reverse());
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `round3-overview-sorted-${width}`, { selector: '[data-module="overview"] .overview__grid' });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('a group table sorts by the same rule (the kit\'s header): by an indicator, then back', async () => {
    const { page, problems, close } = await openPage('/transparency?period=2024-03&peer=ward&lang=en');
    try {
      const table = '[data-module="transparency"] table.group-table';
      await page.locator(`${table} tbody tr`).first().waitFor();
      expect(await page.locator(`${table} th[data-sort-key="points"]`).getAttribute('aria-sort')).toBe('descending');
      const before = await namesOf(page, table);
      await page.locator(`${table} th[data-sort-key="points"] button`).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/dir=asc/);
      expect(await namesOf(page, table)).toEqual([...before].reverse());
      expect(await page.locator(`${table} th[data-sort-key="points"]`).getAttribute('aria-sort')).toBe('ascending');
      await page.locator(`${table} th[data-sort-key="unit"] button`).click();
      await page.waitForURL(/sort=unit/);
      expect(await page.locator(`${table} th[data-sort-key="unit"]`).getAttribute('aria-sort')).toBe('ascending');
      expect(await page.locator(`${table} th[data-sort-key="points"]`).getAttribute('aria-sort')).toBeNull();
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'round3-group-sorted-1280', { selector: '[data-module="transparency"] .table-scroll' });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('search: every match, in the chosen district', () => {
  for (const width of [1280, 360]) {
    it(`pages through every match with "more" (mouse and keyboard), searches the chosen district and offers the whole city (${width} px)`, async () => {
      const { page, problems, close } = await openPage('/?period=2024-03&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const input = page.locator('#unit-input');
        const options = page.locator('#unit-options li:not([data-option])');
        await page.locator('[data-module="overview"] table.ranking').waitFor();
        await input.fill('ward');
        // 2 scored wards + 12 + 5 listed: 19 matches, 8 a page
        await expect.poll(() => options.count()).toBe(8);
        const more = page.locator('#unit-options [data-option="more"]');
        expect(await more.textContent()).toBe('Show 8 more (showing 8 of 19)');
        await more.click();
        await expect.poll(() => options.count()).toBe(16);
        // the new page's first option is the active one; 8 steps down is "more" again
        expect(await input.getAttribute('aria-activedescendant')).toBe('unit-option-8');
        for (let i = 0; i < 8; i++) await input.press('ArrowDown');
        expect(await input.getAttribute('aria-activedescendant')).toBe(await more.getAttribute('id'));
        await input.press('Enter');
        await expect.poll(() => options.count()).toBe(19);
        expect(await more.count()).toBe(0);
        expect(await page.locator('#unit-options').isVisible()).toBe(true);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `round3-search-all-${width}`);
        await input.press('Escape');
        // District 1 chosen on the overview (?district= goes along): its 5 wards, then the whole city on demand
        await page.goto(`${site.url}/?period=2024-03&lang=en&district=quan-1`);
        await page.locator('[data-module="overview"] table.ranking').waitFor();
        await input.fill('ward');
        await expect.poll(() => options.count()).toBe(5);
        expect((await options.allTextContents()).every((t) => t.includes('(Quận 1) · District 1'))).toBe(true);
        const everywhere = page.locator('#unit-options [data-option="everywhere"]');
        expect(await everywhere.textContent()).toBe('Search the whole city, not only District 1 (14 more matches)');
        await screenshot(page, `round3-search-district-${width}`);
        await everywhere.click();
        await expect.poll(() => options.count()).toBe(8);
        expect(await more.textContent()).toContain('of 19');
        await input.press('ArrowDown');
        await input.press('Enter');
        await page.waitForURL(/\/units\//);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('compare up to five units', () => {
  for (const width of [1280, 360]) {
    it(`from a profile's "add to comparison" to the compare page: side by side, both charts drawn, the set in the URL through links and reloads (${width} px)`, async () => {
      const { page, problems, close } = await openPage('/units/quan-3-p-vo-thi-sau?period=2024-03&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        await page.locator('[data-testid="compare-link"] a', { hasText: 'Add to comparison' }).click();
        await page.waitForURL(/\/compare\?/);
        expect(new URL(page.url()).searchParams.get('compare')).toBe('quan-3-p-vo-thi-sau');
        const module = page.locator('[data-module="compare"]');
        await module.locator('table.compare__table').waitFor();
        // add Ward 14 and the Department of Justice from the list
        for (const id of ['quan-3-p-14', 'so-tu-phap']) {
          await module.locator('select[name="unit"]').selectOption(id);
          await module.locator('form.compare__add button[type="submit"]').click();
          await page.waitForURL(new RegExp(`compare=[^&]*${id}`));
        }
        expect(page.url()).toContain('compare=quan-3-p-vo-thi-sau,quan-3-p-14,so-tu-phap');
        await expect.poll(() => module.locator('table.compare__table thead th').count()).toBe(4);
        const [march, february] = await Promise.all([scoresOf('2024-03'), scoresOf('2024-02')]);
        const totals = await module.locator('table.compare__table tbody tr.compare__total td').evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent));
        expect(totals).toEqual(['quan-3-p-vo-thi-sau', 'quan-3-p-14', 'so-tu-phap'].map((id) => march.scores.find((s) => s.unitId === id)!.total.toFixed(2)));
        const changes = await module.locator('table.compare__table tbody tr.compare__total [data-change="score"]').evaluateAll((es) => es.map((e) => e.getAttribute('title')));
        expect(changes).toHaveLength(3);
        const said = (id: string) => {
          const delta = scoreChange(march.scores.find((s) => s.unitId === id)!.total, february.scores.find((s) => s.unitId === id)!.total)!;
          return delta === 0 ? 'unchanged since February 2024' : `${delta > 0 ? 'up' : 'down'} ${Math.abs(delta).toFixed(1)} points since February 2024`;
        };
        expect(changes).toEqual(['quan-3-p-vo-thi-sau', 'quan-3-p-14', 'so-tu-phap'].map(said));
        // the history chart draws one line per unit, and its table has a column each
        const histories = module.locator('figure.chart').nth(1);
        await histories.scrollIntoViewIfNeeded();
        await expect.poll(() => histories.locator('canvas').evaluate((c) => {
          const canvas = c as HTMLCanvasElement;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
          return n;
        }), { timeout: 10_000 }).toBeGreaterThan(500);
        expect(await histories.locator('table thead th').allTextContents()).toHaveLength(4);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `round3-compare-${width}`, { height: 2200 });
        // the set goes along: to a group page and back, and through a reload
        await page.locator('#site-nav a', { hasText: 'Transparency' }).click();
        await page.waitForURL(/\/transparency\?/);
        expect(page.url()).toContain('compare=quan-3-p-vo-thi-sau,quan-3-p-14,so-tu-phap');
        await page.goBack();
        await page.reload();
        await expect.poll(() => module.locator('table.compare__table thead th').count()).toBe(4);
        // remove one
        await module.getByRole('link', { name: /^Remove Ward 14/ }).click();
        await expect.poll(() => module.locator('table.compare__table thead th').count()).toBe(3);
        expect(page.url()).toContain('compare=quan-3-p-vo-thi-sau,so-tu-phap');
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('Atom feeds, linked from the site', () => {
  it('the page names the city feed in its head, the overview links it visibly, a profile links its unit\'s; both are Atom served as such', async () => {
    const { page, problems, close } = await openPage('/?period=2024-03&lang=en', { width: 360, height: 640 });
    try {
      const head = page.locator('head link[rel="alternate"][type="application/atom+xml"]');
      expect(await head.getAttribute('href')).toBe('/data/feeds/city.xml');
      const link = page.locator('[data-module="overview"] [data-testid="city-feed"]');
      expect(await link.textContent()).toBe('Follow band changes (Atom feed)');
      expect(await link.isVisible()).toBe(true);
      const feed = await page.evaluate(async (href) => {
        const res = await fetch(href);
        const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
        return { type: res.headers.get('content-type'), ns: doc.documentElement.namespaceURI, error: !!doc.querySelector('parsererror'), titles: [...doc.querySelectorAll('entry > title')].map((e) => e.textContent) };
      }, (await link.getAttribute('href'))!);
      expect(feed).toMatchObject({ type: 'application/atom+xml; charset=utf-8', ns: 'http://www.w3.org/2005/Atom', error: false });
      expect(feed.titles.length).toBeGreaterThan(0);
      expect(feed.titles.some((t) => /^TP\. Hồ Chí Minh: [\d,]+ điểm trong tháng 3\/2024/.test(t!))).toBe(true);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'round3-feed-link-360', { height: 640 });
      await page.goto(`${site.url}/units/quan-3-p-vo-thi-sau?period=2024-03&lang=en`);
      const unitLink = page.locator('[data-module="profile"] [data-testid="unit-feed"]');
      await unitLink.waitFor();
      const unitFeed = await page.evaluate(async (href) => {
        const res = await fetch(href);
        const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
        return { ok: res.ok, error: !!doc.querySelector('parsererror'), self: doc.querySelector('feed > link[rel="self"]')?.getAttribute('href'), entries: doc.querySelectorAll('entry').length };
      }, (await unitLink.getAttribute('href'))!);
      expect(unitFeed).toMatchObject({ ok: true, error: false, self: '/data/feeds/units/quan-3-p-vo-thi-sau.xml' });
      expect(unitFeed.entries).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('embed builder', () => {
  for (const width of [1280, 360]) {
    it(`choose a unit, period, language, size, pinned or live; the preview is the real embed; the code is copied (${width} px)`, async () => {
      const context = await browser.newContext({ viewport: { width, height: width === 360 ? 640 : 900 }, reducedMotion: 'reduce' });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`); });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      try {
        await page.goto(`${site.url}/units/quan-3-p-vo-thi-sau?period=2024-03&lang=en`);
        await page.locator('[data-module="profile"] [data-testid="total"]').waitFor();
        // from a profile, the nav carries its unit: the builder starts on it
        await page.locator('#site-nav a', { hasText: 'Embed builder' }).click();
        const module = page.locator('[data-module="embed-builder"]');
        const code = module.locator('textarea[name="code"]');
        await expect.poll(() => code.inputValue()).toContain('pin=');
        expect(await code.inputValue()).toContain('/embed/history?unit=quan-3-p-vo-thi-sau&amp;period=2024-03&amp;lang=en&amp;pin=20241231T170000Z');
        // the preview is the embed page itself, drawn
        const frame = page.frameLocator('[data-testid="embed-preview"]');
        await expect.poll(() => frame.locator('svg').count(), { timeout: 10_000 }).toBeGreaterThan(0);
        // a ranking of the wards, in Vietnamese, live, 640 × 600
        await module.getByRole('radio', { name: 'The ranking of a peer group' }).check();
        await module.locator('select[name="peer"]').selectOption('ward');
        await module.getByRole('radio', { name: 'Tiếng Việt' }).check();
        await module.getByRole('radio', { name: 'Live' }).check();
        await module.locator('select[name="width"]').selectOption('640');
        await module.locator('input[name="height"]').fill('600');
        const expected = `<iframe src="${site.url}/embed/ranking?peer=ward&amp;top=10&amp;period=2024-03&amp;lang=vi" title="Biểu đồ: 10 đơn vị đầu — Phường, xã, thị trấn, Tháng 3/2024" width="640" height="600" loading="lazy" frameborder="0" referrerpolicy="strict-origin-when-cross-origin"></iframe><script src="${site.url}/embed/host.js" async></script>`;
        await expect.poll(() => code.inputValue()).toBe(expected);
        const preview = page.locator('[data-testid="embed-preview"]');
        expect(await preview.getAttribute('src')).toBe(`${site.url}/embed/ranking?peer=ward&top=10&period=2024-03&lang=vi`);
        await expect.poll(() => frame.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('vi');
        await expect.poll(() => frame.locator('svg').count(), { timeout: 10_000 }).toBeGreaterThan(0);
        await module.getByRole('button', { name: 'Copy the code' }).click();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
        expect(await module.locator('[role="status"]').textContent()).toBe('Embed code copied.');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `round3-embed-builder-${width}`, { height: 1800 });
        // the fixture publishes no pins: a pinned embed falls back to the live snapshot (as in public-round-two)
        expect(problems.filter((p) => !/\/data\/pins\//.test(p))).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

describe('the rankings table has the charts\' share menu', () => {
  it('the same items; CSV and JSON are exactly the rows shown, in the order shown (sorted by unit here), with the change; the embed code names the peer group', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    const page = await context.newPage();
    try {
      await page.goto(`${site.url}/?period=2024-03&peer=ward&lang=en&sort=unit&dir=desc`);
      const share = '[data-module="overview"] .ranking-share';
      const table = '[data-module="overview"] table.ranking';
      await page.locator(`${table} tbody [data-change="score"]`).first().waitFor();
      const itemsOf = async (where: string) => {
        await page.locator(`${where} .share__button`).click();
        const items = await page.locator(`${where} [role="menuitem"]`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.share));
        await page.keyboard.press('Escape');
        return items;
      };
      const chartItems = await itemsOf('[data-module="overview"] figure.chart');
      expect(chartItems).toEqual(expect.arrayContaining(['png', 'svg', 'csv', 'xlsx', 'json', 'copyLink', 'cite', 'copyEmbed']));
      expect(await itemsOf(share)).toEqual(chartItems);
      const onScreen = await page.locator(`${table} tbody tr`).evaluateAll((trs) => trs.map((tr) => ({
        unit: tr.querySelector('th')!.textContent!.trim(), rank: tr.children[0].firstChild?.textContent?.trim() ?? '',
        score: tr.children[2].firstChild!.textContent!.trim(), change: tr.querySelector('[data-change="score"] [aria-hidden]')?.textContent?.replace(/^[▲▼=] /, '') ?? '',
      })));
      const csv = parseCsv((await download(page, share, 'csv')).bytes.toString('utf8'));
      expect(csv[0].slice(0, 6)).toEqual(['ID', 'Unit', 'Rank', 'Score', 'Change', 'Band']);
      expect(csv.slice(1).map((r) => ({ unit: r[1], rank: r[2], score: Number(r[3]).toFixed(2), change: r[4] === '' ? '' : `${Number(r[4]) > 0 ? '+' : Number(r[4]) < 0 ? '\u2212' : ''}${Math.abs(Number(r[4])).toFixed(1)}` }))).toEqual(onScreen);
      expect(csv.slice(1).map((r) => r[1])).toEqual([...onScreen.map((r) => r.unit)].sort().reverse()); // the order on screen: by unit, descending
      const json = JSON.parse((await download(page, share, 'json')).bytes.toString('utf8'));
      expect(JSON.stringify(json)).toContain('quan-3-p-vo-thi-sau');
      await page.locator(`${share} .share__button`).click();
      await page.locator(`${share} [data-share="copyEmbed"]`).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(`${site.url}/embed/ranking?peer=ward&amp;top=${onScreen.length}&amp;period=2024-03&amp;lang=en`);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'round3-ranking-share-1280', { selector: '[data-module="overview"] .overview__grid' });
    } finally {
      await context.close();
    }
  });
});

describe('everything of a view in one archive', () => {
  for (const width of [1280, 360]) {
    it(`the footer's button saves every figure of the page (CSV, JSON, SVG) and a README in one ZIP, the same files as each figure's menu (${width} px)`, async () => {
      const { page, problems, close } = await openPage('/?period=2024-03&peer=ward&lang=en', { width, height: width === 360 ? 640 : 900 });
      try {
        const overview = '[data-module="overview"]';
        // every figure of the view, the last one (the top-units chart) rendered a task after the ranking: counted,
        // and the footer's button clicked, once the page has stopped growing above it
        await page.locator(`${overview} [data-figure="top-units"]`).waitFor();
        const figures = await page.locator(`${overview} .share__button`).count();
        expect(figures).toBe(3); // the map, the ranking table, the top-units chart
        const saved = page.waitForEvent('download');
        await page.locator('#download-all').click();
        const archive = await saved;
        expect(archive.suggestedFilename()).toBe('itmap-tong-quan-2024-03.zip');
        const { strFromU8, unzipSync } = await import('fflate');
        const files = unzipSync(new Uint8Array(await readFile((await archive.path())!)));
        const names = Object.keys(files).sort();
        expect(names.filter((name) => name.endsWith('.csv'))).toHaveLength(figures);
        expect(names.filter((name) => name.endsWith('.json'))).toHaveLength(figures);
        expect(names.filter((name) => name.endsWith('.svg'))).toHaveLength(figures);
        expect(names).toContain('README.txt');
        const link = strFromU8(files['README.txt']).split('\r\n')[1];
        expect(new URL(link).origin).toBe(site.url);
        expect(new URL(link).searchParams.get('period')).toBe('2024-03');
        // the ranking table's CSV in the archive is byte for byte its own menu's download
        const own = await download(page, `${overview} .ranking-share`, 'csv');
        const inArchive = names.find((name) => name.endsWith(own.name));
        expect(inArchive, `${own.name} in ${names.join(', ')}`).toBeDefined();
        expect(Buffer.from(files[inArchive!]).equals(own.bytes)).toBe(true);
        await expect(page.locator('#download-all-status').textContent()).resolves.toBe('');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('a page without figures says so instead of saving an empty archive', async () => {
    const { page, problems, close } = await openPage('/no-such-page?lang=en');
    try {
      await page.locator('#not-found').waitFor();
      await page.locator('#download-all').click();
      await expect.poll(() => page.locator('#download-all-status').textContent()).toBe('This page has no chart or table to download yet.');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
