/**
 * The dashboards of issue #8 in Chromium on the fixture snapshots: each module's main path
 * (overview map, profile, the five group modules, 1022 feedback, methodology), unit search
 * without diacritics, keyboard access to the map, 360 px, dark theme, modules loaded only when
 * shown, and axe-core (WCAG 2.x A/AA) with no violations on every page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axe, buildSite, cleanup, launchBrowser, overflow, startSite, waitForChart, writeDashboardSnapshots, type Site } from './support.ts';
import type { FirstViewSizes } from '../../scripts/build-web.ts';


let browser: Browser;
let site: Site;
let webDir: string;

beforeAll(async () => {
  let dataDir: string;
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite(), writeDashboardSnapshots()]);
  site = await startSite({ webDir, dataDir });
});
afterAll(async () => {
  await site?.close();
  await browser?.close();
  await cleanup();
});

interface OpenOptions { width?: number; dark?: boolean }
async function openPage(path: string, o: OpenOptions = {}) {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 }, colorScheme: o.dark ? 'dark' : 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(site.url + path);
  return { page, problems, close: () => context.close() };
}



describe('overview: tile map', () => {
  it('draws the districts by band with a legend, footnote and table; Enter on a district\'s tile shows its wards, on a ward\'s its profile', async () => {
    const firstRequest = site.requests.length;
    const { page, problems, close } = await openPage('/?period=2024-03');
    try {
      const overview = page.locator('[data-module="overview"]');
      const map = overview.getByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' });
      await map.waitFor();
      // the top-units chart is drawn as SVG when it comes on screen, and loads nothing more: the page
      // has loaded exactly the JS that the build's sizes.json counts as the first view (its budget is real)
      await overview.locator('figure.chart').scrollIntoViewIfNeeded();
      await overview.locator('figure.chart .chart__svg svg rect').first().waitFor();
      await page.waitForLoadState('networkidle');
      const { firstView } = JSON.parse(readFileSync(join(webDir, 'sizes.json'), 'utf8')) as { firstView: FirstViewSizes };
      const loadedJs = site.requests.slice(firstRequest).filter((r) => r.endsWith('.js'));
      expect(new Set(loadedJs)).toEqual(new Set(firstView.files.js));
      const tile = map.getByRole('link');
      await expect(tile.count()).resolves.toBe(1);
      await expect(tile.first().getAttribute('aria-label')).resolves.toMatch(/^Q\.3 \d+,\d — Quận 3: \d+,\d\d điểm, \S+/);
      await expect(overview.getByRole('list', { name: 'Chú giải xếp loại' }).textContent()).resolves.toContain('Xuất sắc');
      await expect(overview.textContent()).resolves.toContain('giấy phép mở tương thích');
      expect(await axe(page)).toEqual([]);
      // only the overview's bundle was loaded
      expect(site.requests.some((r) => r.includes('/modules/transparency/'))).toBe(false);

      // keyboard: Tab reaches the tile; Enter on a district drills down to its wards (issue 19), Enter on a ward
      // opens its profile, without a reload
      await page.evaluate(() => { (window as any).__same = true; });
      await tile.first().focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/\?period=2024-03&district=quan-3$/);
      const ward = overview.getByRole('group', { name: 'Phường, xã của Quận 3 theo xếp loại, Tháng 3/2024' }).locator('.tile[data-unit="quan-3-p-14"]');
      await ward.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/units\/quan-3-p-14\?period=2024-03$/);
      await page.locator('[data-module="profile"] h1', { hasText: 'Phường 14' }).waitFor();
      expect(await page.evaluate(() => (window as any).__same)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the wards of a selected district (URL state), in the dark theme, at 360 px', async () => {
    const { page, problems, close } = await openPage('/?district=quan-3', { width: 360, dark: true });
    try {
      const map = page.locator('[data-module="overview"]').getByRole('group', { name: /^Phường, xã của Quận 3/ });
      await map.waitFor();
      await expect(map.getByRole('link').count()).resolves.toBe(2);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await axe(page)).toEqual([]);
      await page.locator('[data-module="overview"]').getByRole('combobox', { name: 'Khu vực' }).selectOption('');
      await page.waitForURL((u) => !u.search.includes('district'));
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('unit search', () => {
  it('finds a ward typed without diacritics and opens its profile', async () => {
    const { page, problems, close } = await openPage('/');
    try {
      await page.locator('[data-module="overview"] table.ranking').waitFor();
      await page.locator('#unit-input').fill('vo thi sau');
      const option = page.getByRole('option', { name: /Phường Võ Thị Sáu/ });
      await option.waitFor();
      await expect(option.textContent()).resolves.toBe('Phường Võ Thị Sáu · Quận 3');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/units\/quan-3-p-vo-thi-sau$/);
      await page.locator('[data-module="profile"] h1', { hasText: 'Phường Võ Thị Sáu' }).waitFor();
      // "đ" typed as "d", submitted with Enter
      await page.locator('#unit-input').fill('so tu phap');
      await page.locator('#unit-input').press('Enter');
      await page.waitForURL(/\/units\/so-tu-phap$/);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('profile', () => {
  it('shows rank of N, the comparison with the peer median and the parent, both charts drawn, and passes axe', async () => {
    const { page, problems, close } = await openPage('/units/quan-3-p-vo-thi-sau?period=2024-03');
    try {
      const profile = page.locator('[data-module="profile"]');
      const compare = profile.getByRole('table', { name: /^So sánh với trung vị nhóm/ });
      await compare.waitFor();
      await expect(profile.getByTestId('rank').textContent()).resolves.toMatch(/^Hạng \d\/2 trong nhóm/);
      await expect(compare.locator('thead').textContent()).resolves.toContain('Cấp trên: Quận 3');
      await expect(profile.locator('table.indicators tbody tr:not(.group-row)').count()).resolves.toBe(19);
      await waitForChart(page, 'profile');
      expect(await axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

const GROUPS = [
  { route: 'transparency', vi: 'Công khai, minh bạch', en: 'Transparency', first: '1.1', count: 4 },
  { route: 'progress', vi: 'Tiến độ giải quyết', en: 'Progress', first: '2.1', count: 1 },
  { route: 'online-services', vi: 'Dịch vụ công trực tuyến', en: 'Online public services', first: '3.1', count: 4 },
  { route: 'digitization', vi: 'Số hóa hồ sơ', en: 'Digitization', first: '4.1', count: 7 },
  { route: 'satisfaction', vi: 'Mức độ hài lòng', en: 'Satisfaction', first: '5.1', count: 3 },
];

describe('group modules', () => {
  for (const g of GROUPS) {
    it(`${g.route}: indicators across units by peer group, sortable, the unit's trend drawn, axe clean (vi, en, 360 px)`, async () => {
      const { page, problems, close } = await openPage(`/${g.route}?period=2024-03`);
      try {
        const mod = page.locator(`[data-module="${g.route}"]`);
        const table = mod.locator('table.group-table');
        await table.waitFor();
        await expect(mod.locator('h1').textContent()).resolves.toBe(g.vi);
        await expect(table.locator('th.ind-head').count()).resolves.toBe(g.count);
        await expect(table.locator('tbody tr').count()).resolves.toBe(1); // Quận 3, the fixture's one district
        // peer group and sort are URL state
        await mod.getByRole('link', { name: 'Phường, xã, thị trấn' }).click();
        await page.waitForURL(/peer=ward/);
        await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
        await table.getByRole('button', { name: new RegExp(`^${g.first.replace('.', '\\.')}`) }).click();
        await page.waitForURL(new RegExp(`sort=${g.first.replace('.', '\\.')}`));
        await expect(table.locator('th[aria-sort="descending"]').count()).resolves.toBe(1);
        await mod.getByRole('combobox', { name: 'Đơn vị trên biểu đồ' }).selectOption('quan-3-p-14');
        await page.waitForURL(/unit=quan-3-p-14/);
        await expect.poll(() => mod.locator('.chart__title').first().textContent()).toContain('Phường 14');
        await waitForChart(page, g.route);
        expect(await axe(page)).toEqual([]);

        // English, at 360 px
        await page.setViewportSize({ width: 360, height: 740 });
        await page.locator('#locale-switch').click();
        await page.waitForURL(/lang=en/);
        await mod.locator('h1', { hasText: g.en }).waitFor();
        await expect(table.locator('caption').textContent()).resolves.toContain('Wards and communes');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await axe(page)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe('1022 feedback', () => {
  it('shows the totals, by field and by handling unit, the trend drawn, axe clean', async () => {
    const { page, problems, close } = await openPage('/feedback-1022?period=2024-03');
    try {
      const mod = page.locator('[data-module="feedback-1022"]');
      const fields = mod.getByRole('table', { name: 'Phản ánh theo lĩnh vực, Tháng 3/2024' });
      await fields.waitFor();
      await expect(fields.locator('tbody tr').count()).resolves.toBe(18);
      await expect(mod.getByTestId('on-time-rate').textContent()).resolves.toMatch(/^\d+,\d\d %$/);
      await waitForChart(page, 'feedback-1022');
      expect(await axe(page)).toEqual([]);
      await mod.getByRole('link', { name: 'Theo đơn vị xử lý' }).click();
      await page.waitForURL(/by=unit/);
      const byUnit = mod.getByRole('table', { name: 'Phản ánh theo đơn vị xử lý, Tháng 3/2024' });
      await byUnit.waitFor();
      await expect(byUnit.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
      expect(await axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('methodology', () => {
  it('is generated from the method table, in Vietnamese and English, axe clean in the dark theme', async () => {
    const { page, problems, close } = await openPage('/methodology?lang=en', { dark: true });
    try {
      const mod = page.locator('[data-module="methodology"]');
      await mod.getByRole('table', { name: 'The groups' }).waitFor();
      await expect(mod.locator('table.method-table tbody tr').count()).resolves.toBe(19);
      await expect(mod.getByRole('table', { name: /^Bands/ }).locator('tbody tr').count()).resolves.toBe(5);
      expect(await axe(page)).toEqual([]);
      await page.locator('#locale-switch').click();
      await mod.getByRole('table', { name: 'Các nhóm chỉ số' }).waitFor();
      expect(await axe(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
