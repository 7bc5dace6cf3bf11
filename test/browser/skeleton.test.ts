/**
 * The walking skeleton in Chromium: the shell, the import map (inline, allowed by its hash in the
 * CSP), the shared runtime, two independently built modules, a chart drawn, navigation, locale,
 * and error isolation (a module that throws in mount; a module that 404s, then Retry).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildSite, cleanup, FIXTURE_MODULES, launchBrowser, startSite, waitForChart, writeFixtureSnapshots, type Site } from './support.ts';
import { rankingsOf } from '../../shared-types/src/snapshots.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let webDir: string;
let dataDir: string;

beforeAll(async () => {
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite([join(FIXTURE_MODULES, 'broken')]), writeFixtureSnapshots()]);
});
afterAll(async () => {
  await browser?.close();
  await cleanup();
});

async function openPage(site: Site, path: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|integrity/i.test(text)) problems.push(text);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(site.url + path);
  return { page, problems, close: () => context.close() };
}


describe('walking skeleton in Chromium', () => {
  let site: Site;
  beforeAll(async () => { site = await startSite({ webDir, dataDir }); });
  afterAll(async () => { await site?.close(); });

  it('shows the rankings and a drawn chart on /, and isolates a module that throws in mount', async () => {
    const { page, problems, close } = await openPage(site, '/');
    try {
      const overview = page.locator('[data-module="overview"]');
      await overview.locator('table.ranking').waitFor();
      await expect(overview.locator('h1').textContent()).resolves.toContain('Xếp hạng');
      // the peer groups are links in the URL state
      await overview.getByRole('link', { name: 'Sở, ban, ngành' }).click();
      await page.waitForURL(/\?peer=department$/);
      const rows = overview.locator('table.ranking tbody tr');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
      await expect(rows.first().textContent()).resolves.toContain('Sở Tư pháp');
      // the top-units chart is inline SVG (chart.js stays out of the first view): a bar per unit
      await expect.poll(() => overview.locator('.chart__svg svg rect').count(), { timeout: 10_000 }).toBe(2);

      // the broken module shows its error card; the overview keeps working
      const broken = page.locator('[data-module="broken"]');
      await broken.locator('.error-card').waitFor();
      await expect(broken.locator('.error-card').textContent()).resolves.toContain('broken on purpose');
      await expect(broken.getByRole('button', { name: 'Thử lại' }).isVisible()).resolves.toBe(true);
      await broken.getByRole('button', { name: 'Thử lại' }).click();
      await broken.locator('.error-card button:not([disabled])').waitFor();
      await expect(overview.locator('table.ranking tbody tr').count()).resolves.toBe(2);

      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('navigates to a profile and back, keeps locale and period in the URL', async () => {
    const { page, problems, close } = await openPage(site, '/?period=2024-03&peer=department');
    try {
      const overview = page.locator('[data-module="overview"]');
      await overview.getByRole('link', { name: 'Sở Tư pháp' }).click();
      await page.waitForURL(/\/units\/so-tu-phap\?period=2024-03$/);
      const profile = page.locator('[data-module="profile"]');
      await profile.locator('h1', { hasText: 'Sở Tư pháp' }).waitFor();
      await expect(profile.getByTestId('total').textContent()).resolves.toBe('74,58');
      await expect(profile.locator('.band').first().textContent()).resolves.toBe('Khá');
      await expect(profile.locator('table.indicators tbody tr:not(.group-row)').count()).resolves.toBe(19);
      expect(await waitForChart(page, 'profile')).toBeGreaterThan(100);
      await expect(overview.isHidden()).resolves.toBe(true);
      await expect(page.locator('[data-module="broken"]').isHidden()).resolves.toBe(true);

      // English, one click away, in the URL
      await page.locator('#locale-switch').click();
      await page.waitForURL(/lang=en/);
      await profile.locator('.band', { hasText: 'Fair' }).first().waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await expect(profile.getByTestId('total').textContent()).resolves.toBe('74.58');

      // back, back: Vietnamese profile, then the overview with its peer group
      await page.goBack();
      await profile.locator('.band', { hasText: 'Khá' }).first().waitFor();
      await page.goBack();
      await overview.locator('table.ranking').waitFor();
      expect(new URL(page.url()).search).toBe('?period=2024-03&peer=department');
      await expect(overview.locator('a[aria-current="page"]').textContent()).resolves.toBe('Sở, ban, ngành');

      // the period selector writes the URL
      await page.selectOption('#period-select', '2024-Q1');
      await page.waitForURL(/period=2024-Q1/);
      await overview.locator('table.ranking caption', { hasText: 'Quý 1/2024' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('works at 360 px and passes axe', async () => {
    const { page, problems, close } = await openPage(site, '/units/quan-3-p-vo-thi-sau?period=2024', { width: 360, height: 740 });
    try {
      await page.locator('[data-module="profile"] table.indicators').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.evaluate(AXE_SOURCE); // evaluated through the DevTools protocol, not subject to the page's CSP
      const violations = await page.evaluate(async () => {
        const r = await (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] });
        return r.violations.map((v: any) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target}`);
      });
      expect(violations).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('a module that fails to load', () => {
  let site: Site;
  let failures = 0;
  beforeAll(async () => {
    const modules = JSON.parse(readFileSync(join(webDir, 'modules.json'), 'utf8')) as Record<string, { url: string }>;
    const profileUrl = modules.profile.url;
    site = await startSite({
      webDir, dataDir,
      // the profile bundle 404s once (a deploy in progress); the Retry then finds it
      fault: (path) => (path === profileUrl && failures++ === 0 ? 404 : undefined),
    });
  });
  afterAll(async () => { await site?.close(); });

  it('shows an error card with Retry, the shell keeps working, and Retry loads it', async () => {
    const { page, close } = await openPage(site, '/units/so-tu-phap?period=2024-03');
    try {
      const profile = page.locator('[data-module="profile"]');
      await profile.locator('.error-card').waitFor();
      await expect(profile.locator('.error-card__title').textContent()).resolves.toContain('Hồ sơ đơn vị');
      // the rest of the page works: the shell switches to English, the card follows
      await page.locator('#locale-switch').click();
      await page.waitForURL(/lang=en/);
      await profile.locator('.error-card__title', { hasText: 'Unit profile' }).waitFor();
      await profile.getByRole('button', { name: 'Retry' }).click();
      await profile.locator('h1', { hasText: 'Department of Justice' }).waitFor();
      await expect(profile.locator('.error-card').count()).resolves.toBe(0);
      expect(failures).toBe(2);
    } finally {
      await close();
    }
  });
});

describe('live updates', () => {
  let site: Site;
  let liveData: string;
  beforeAll(async () => {
    liveData = await writeFixtureSnapshots();
    site = await startSite({ webDir, dataDir: liveData });
  });
  afterAll(async () => { await site?.close(); });

  it('refreshes the open view when /data/latest.json announces new data, without a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.clock.install();
      await page.goto(site.url + '/?period=2024-03&peer=department');
      // the score as shown, without the change since the previous period beside it (the kit's Change)
      const firstScore = page.locator('[data-module="overview"] table.ranking tbody tr').first().locator('td.num').nth(1);
      const scoreText = () => firstScore.evaluate((td) => td.firstChild?.textContent ?? '');
      await expect.poll(scoreText, { timeout: 10_000 }).toBe('74,58');
      await page.evaluate(() => { (window as any).__sameDocument = true; });

      // the publisher writes new snapshots, then latest.json
      const scoresFile = join(liveData, 'scores/2024-03.json');
      const snapshot = JSON.parse(readFileSync(scoresFile, 'utf8'));
      snapshot.scores.find((x: { unitId: string }) => x.unitId === 'so-tu-phap').total = 99.5;
      snapshot.asOf = '2025-01-02T00:00:00+07:00';
      writeFileSync(scoresFile, JSON.stringify(snapshot));
      writeFileSync(join(liveData, 'rankings/2024-03.json'), JSON.stringify(rankingsOf(snapshot)));
      const latestFile = join(liveData, 'latest.json');
      writeFileSync(latestFile, JSON.stringify({ ...JSON.parse(readFileSync(latestFile, 'utf8')), asOf: '2025-01-02T00:00:00+07:00', changed: ['scores/2024-03.json'] }));

      await page.clock.fastForward('03:01');
      await expect.poll(scoreText, { timeout: 10_000 }).toBe('99,50');
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
      expect(new URL(page.url()).search).toBe('?period=2024-03&peer=department');
    } finally {
      await context.close();
    }
  });
});
