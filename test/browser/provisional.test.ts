/**
 * Issue 15 in Chromium: an ongoing period. Snapshots taken on 20 March 2024 at noon (support.ts
 * ONGOING): January and February complete, March (and Q1, 2024) provisional. The site, a bare
 * embed and a bare download open on February (defaultPeriod); the selector marks the ongoing
 * periods; every view, image, download and embed of March says "tạm tính" / "provisional" with
 * its asOf; the 1022 view shows open-not-yet-due apart from overdue; a trend draws the ongoing
 * point dashed and hollow. Then the month ends: a live embed becomes final, a pinned one stays
 * provisional. Screenshots of the overview and the 1022 view (provisional and complete, 360 and
 * 1280 px) go to test-results/screenshots/provisional-*.png.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  axe, AXE_SOURCE, buildSite, cleanup, download, launchBrowser, ONGOING, parseCsv, parseSvg, pngSize, overflow, screenshot, SCREENSHOTS_DIR, startSite, waitForChart, writeDashboardSnapshots, writeFixtureSnapshots, type Site,
} from './support.ts';
import { pinId } from '@itmap/kit/share/embed-link';

const NOTE_VI = 'Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến 12:00 20 thg 3, 2024, còn thay đổi cho đến hết kỳ.';
const NOTE_EN = 'Provisional: this period is not over. Figures as of 20 Mar 2024, 12:00; they will change until the period ends.';

let browser: Browser;
let site: Site;
let webDir: string;
let dataDir: string;

beforeAll(async () => {
  [browser, webDir, dataDir] = await Promise.all([launchBrowser(), buildSite(), writeDashboardSnapshots(ONGOING)]);
  site = await startSite({ webDir, dataDir });
});
afterAll(async () => {
  await site?.close();
  await browser?.close();
  await cleanup();
});

async function openPage(s: Site, path: string, width = 1280) {
  // reduced motion: chart.js draws at once (no animation caught half-way in the screenshots)
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 740 : 900 }, acceptDownloads: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(s.url + path);
  return { page, problems, close: () => context.close() };
}
const json = async (path: string) => JSON.parse(await readFile(join(dataDir, path), 'utf8'));
const options = (page: Page) => page.locator('#period-select option').evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}=${o.textContent}`));
/** the provisional note of a module (kit ProvisionalNote) */
const note = (page: Page, module: string) => page.locator(`[data-module="${module}"] .provisional-note`);

describe('an ongoing period (20 March 2024)', () => {
  it('the site opens on the last complete month; the selector marks provisional periods; the ongoing month, one click away, says so', async () => {
    const { page, problems, close } = await openPage(site, '/');
    try {
      const overview = page.locator('[data-module="overview"]');
      await overview.getByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 2/2024' }).waitFor();
      await expect(note(page, 'overview').count()).resolves.toBe(0);
      await expect.poll(() => options(page)).toEqual([
        '=Tháng đã kết thúc gần nhất: Tháng 2/2024',
        '2024-03=Tháng 3/2024 (tạm tính)', '2024-02=Tháng 2/2024', '2024-01=Tháng 1/2024',
        '2024-Q1=Quý 1/2024 (tạm tính)', '2024=Năm 2024 (tạm tính)',
      ]);
      await overview.locator('table.ranking').waitFor();
      await screenshot(page, 'provisional-overview-complete-1280');

      await page.selectOption('#period-select', '2024-03');
      await page.waitForURL(/period=2024-03/);
      await overview.getByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' }).waitFor();
      await expect(note(page, 'overview').textContent()).resolves.toBe(NOTE_VI);
      await expect(note(page, 'overview').isVisible()).resolves.toBe(true);
      await expect(note(page, 'overview').getAttribute('role')).resolves.toBe('note');
      await expect(overview.locator('.module-head').textContent()).resolves.toContain('Tháng 3/2024 (tạm tính) · Dữ liệu đến 12:00 20 thg 3, 2024');
      await overview.locator('table.ranking').waitFor();
      await screenshot(page, 'provisional-overview-provisional-1280');
      expect(await axe(page)).toEqual([]);

      // English
      await page.locator('#locale-switch').click();
      await page.waitForURL(/lang=en/);
      await expect.poll(() => note(page, 'overview').textContent()).toBe(NOTE_EN);
      await expect.poll(() => options(page)).toContain('2024-03=March 2024 (provisional)');
      await expect(page.locator('#period-select option[value=""]').textContent()).resolves.toBe('Last complete month: February 2024');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('at 360 px: the note and the map fit a phone, provisional and complete', async () => {
    for (const [path, name, provisional] of [['/?period=2024-03', 'provisional', true], ['/', 'complete', false]] as const) {
      const { page, problems, close } = await openPage(site, path, 360);
      try {
        const overview = page.locator('[data-module="overview"]');
        await overview.getByRole('group', { name: /^Quận, huyện theo xếp loại/ }).waitFor();
        await expect(note(page, 'overview').count()).resolves.toBe(provisional ? 1 : 0);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        // the selector's longer first option does not push the header's controls past its padding
        const padding = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.site-header')!).paddingRight));
        for (const control of ['#period-select', '#unit-form']) {
          await expect(page.locator(control).evaluate((e) => e.getBoundingClientRect().right)).resolves.toBeLessThanOrEqual(360 - padding);
        }
        await screenshot(page, `provisional-overview-${name}-360`, { height: 1100 });
        expect(await axe(page)).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('1022: open-not-yet-due apart from overdue, for the complete and the ongoing month; the ongoing one says it is provisional', async () => {
    for (const width of [1280, 360]) {
      for (const [period, name] of [['', 'complete'], ['2024-03', 'provisional']] as const) {
        const { page, problems, close } = await openPage(site, `/feedback-1022${period ? `?period=${period}` : ''}`, width);
        try {
          const mod = page.locator('[data-module="feedback-1022"]');
          const shown = period || ONGOING.defaultPeriod;
          const label = shown === '2024-03' ? 'Tháng 3/2024' : 'Tháng 2/2024';
          await mod.getByRole('table', { name: `Phản ánh theo lĩnh vực, ${label}` }).waitFor();
          const total = (await json(`feedback/${shown}.json`)).total;
          for (const key of ['overdue', 'openNotDue', 'openOverdue'] as const) {
            await expect(mod.locator(`[data-stat="${key}"] dd`).textContent()).resolves.toBe(String(total[key]));
            await expect(mod.locator(`[data-stat="${key}"] dd`).isVisible()).resolves.toBe(true);
          }
          const heads = await mod.locator('table.feedback-table thead th').allTextContents();
          expect(heads).toEqual(expect.arrayContaining(['Quá hạn', 'Đang xử lý, chưa đến hạn', 'Đang xử lý, đã quá hạn']));
          expect(heads).not.toContain('Đang xử lý');
          if (name === 'provisional') {
            expect(total.openNotDue).toBeGreaterThan(0); // open on 20 March and due later: on time, not overdue
            await expect(note(page, 'feedback-1022').textContent()).resolves.toBe(NOTE_VI);
            await expect(mod.locator('.module-head').textContent()).resolves.toContain('Tháng 3/2024 (tạm tính)');
          } else {
            await expect(note(page, 'feedback-1022').count()).resolves.toBe(0);
          }
          if (width === 360) expect(await overflow(page)).toBeLessThanOrEqual(0);
          await screenshot(page, `provisional-1022-${name}-${width}`, width === 360 ? { height: 1100 } : {});
          const charts = mod.locator('figure.chart');
          await charts.last().scrollIntoViewIfNeeded();
          await expect.poll(() => charts.locator('canvas').evaluateAll((cs) => cs.every((c) => (c as HTMLCanvasElement).width > 0))).toBe(true);
          await screenshot(page, `provisional-1022-${name}-${width}-charts`, { selector: '[data-module="feedback-1022"] figure.chart >> nth=0' });
          await screenshot(page, `provisional-1022-${name}-${width}-status-chart`, { selector: '[data-module="feedback-1022"] figure.chart >> nth=1' });
          expect(await axe(page)).toEqual([]);
          expect(problems).toEqual([]);
        } finally {
          await close();
        }
      }
    }
  });

  it('1022: the chart of overdue and open-not-yet-due downloads both, with the status of each period', async () => {
    const { page, problems, close } = await openPage(site, '/feedback-1022?period=2024-03');
    try {
      const fig = '[data-module="feedback-1022"] figure.chart:has(figcaption:has-text("Quá hạn và đang xử lý chưa đến hạn"))';
      await page.locator(`${fig} .share__button`).waitFor();
      const rows = parseCsv((await download(page, fig, 'csv')).bytes.toString('utf8'));
      // the figure's table as on screen (issue 19), its periods' ids first
      const head = await page.locator(`${fig} table thead th`).allTextContents();
      expect(head).toContain('Đang xử lý, chưa đến hạn');
      expect(rows[0]).toEqual(['Mã', ...head, 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
      const march = (await json('feedback/2024-03.json')).total;
      expect(rows.at(-1)).toEqual(['2024-03', 'Tháng 3/2024 (tạm tính)', String(march.inPeriod), String(march.overdue), String(march.openOverdue), String(march.openNotDue), '766-v1', ONGOING.asOf, 'tạm tính']);
      expect(rows.slice(1, -1).every((r) => r.at(-1) === 'chính thức')).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('profile of the ongoing month: the note, the trend\'s last point dashed and hollow, PNG/SVG/CSV/JSON say provisional', async () => {
    const { page, problems, close } = await openPage(site, '/units/so-tu-phap?period=2024-03');
    try {
      await expect.poll(() => note(page, 'profile').textContent()).toBe(NOTE_VI);
      const fig = '[data-module="profile"] figure.chart:has(figcaption:has-text("Tổng điểm theo"))';
      await page.locator(`${fig} .share__button`).waitFor();
      await expect(page.locator(`${fig} [data-testid="provisional-legend"]`).isVisible()).resolves.toBe(true);
      await expect(page.locator(`${fig} table tbody tr`).last().locator('th').textContent()).resolves.toBe('Tháng 3/2024 (tạm tính)');
      await waitForChart(page, 'profile');
      // the chart.js line (the same kit module the page drew with): dashed into March, March's point hollow
      // (a string: vitest would rewrite an import() in a function)
      await page.locator(`${fig} canvas`).evaluate((c) => c.setAttribute('data-probe', 'history'));
      const line = await page.evaluate(`(async () => {
        const { Chart } = await import('@itmap/kit/charts');
        const chart = Chart.getChart(document.querySelector('canvas[data-probe="history"]'));
        const ds = chart.data.datasets[0];
        const n = chart.data.labels.length;
        return { n, dash: [1, n - 1].map((i) => ds.segment.borderDash({ p1DataIndex: i }) ?? null), fill: ds.pointBackgroundColor, line: ds.borderColor };
      })()`) as { n: number; dash: (number[] | null)[]; fill: string[]; line: string };
      expect(line.n).toBe(3);
      expect(line.dash).toEqual([null, [5, 4]]);
      expect(line.fill.slice(0, 2)).toEqual([line.line, line.line]);
      expect(line.fill[2]).not.toBe(line.line);
      await screenshot(page, 'provisional-profile-provisional-1280');
      await screenshot(page, 'provisional-profile-history-chart', { selector: fig });

      const svg = await parseSvg(page, (await download(page, fig, 'svg')).bytes.toString('utf8'));
      expect(svg.error).toBeNull();
      const drawn = svg.texts.join('\n');
      expect(drawn).toContain('Sở Tư pháp · Tháng 3/2024 (tạm tính)');
      expect(drawn).toContain('Tạm tính: kỳ này chưa kết thúc.');
      expect(drawn).toContain('Nét đứt, chấm rỗng: kỳ tạm tính');
      expect(svg.dashed).toBe(2); // the legend's sample and February → March
      expect(svg.hollow).toBe(2); // the legend's sample and March
      const pngBytes = (await download(page, fig, 'png')).bytes;
      expect(pngSize(pngBytes)).toEqual({ width: 800, height: svg.height }); // the same scene, note and legend drawn in
      await writeFile(join(SCREENSHOTS_DIR, 'provisional-profile-download.png'), pngBytes);

      const rows = parseCsv((await download(page, fig, 'csv')).bytes.toString('utf8'));
      expect(rows[0].at(-1)).toBe('Trạng thái số liệu');
      expect(rows.slice(1).map((r) => `${r[0]}:${r.at(-1)}`)).toEqual(['2024-01:chính thức', '2024-02:chính thức', '2024-03:tạm tính']);
      const j = JSON.parse((await download(page, fig, 'json')).bytes.toString('utf8'));
      expect(j).toMatchObject({ period: '2024-03', asOf: ONGOING.asOf, provisional: true, provisionalNote: NOTE_VI });
      expect(await axe(page)).toEqual([]);

      // a group module of the ongoing month says so too
      await page.goto(`${site.url}/progress?period=2024-03&lang=en`);
      await expect.poll(() => note(page, 'progress').textContent()).toBe(NOTE_EN);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a bare download opens on the last complete month; the ongoing month\'s download says provisional', async () => {
    const { page, problems, close } = await openPage(site, '/?peer=department');
    try {
      const fig = '[data-module="overview"] figure.chart';
      await page.locator(`${fig} .share__button`).waitFor();
      let rows = parseCsv((await download(page, fig, 'csv')).bytes.toString('utf8'));
      expect(rows[0]).toEqual(['Mã', 'Đơn vị', 'Hạng', 'Điểm', 'Kỳ', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
      expect(rows.slice(1).map((r) => `${r[4]}:${r[7]}`)).toEqual(['2024-02:chính thức', '2024-02:chính thức']);
      await page.selectOption('#period-select', '2024-03');
      await page.waitForURL(/period=2024-03/);
      await page.locator('[data-module="overview"] .provisional-note').waitFor();
      rows = parseCsv((await download(page, fig, 'csv')).bytes.toString('utf8'));
      expect(rows.slice(1).map((r) => `${r[4]}:${r[7]}`)).toEqual(['2024-03:tạm tính', '2024-03:tạm tính']);
      const svg = await parseSvg(page, (await download(page, fig, 'svg')).bytes.toString('utf8'));
      expect(svg.texts).toContain('Tháng 3/2024 (tạm tính)');
      expect(svg.texts.join('\n')).toContain('Tạm tính: kỳ này chưa kết thúc.');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('embeds: a bare one shows the last complete month; the ongoing month says provisional (vi, en) and its history point is dashed', async () => {
    const bare = await openPage(site, '/embed/ranking?peer=department');
    try {
      await expect(bare.page.locator('.embed__title').textContent()).resolves.toBe('2 đơn vị điểm cao nhất — Sở, ban, ngành, Tháng 2/2024');
      await expect(bare.page.locator('.embed__note').count()).resolves.toBe(0);
      await expect(bare.page.locator('.embed__cite').textContent()).resolves.toContain(' · Tháng 2/2024 · Dữ liệu đến');
    } finally {
      await bare.close();
    }
    for (const [lang, text, tag] of [['vi', NOTE_VI, 'Tháng 3/2024 (tạm tính)'], ['en', NOTE_EN, 'March 2024 (provisional)']] as const) {
      const e = await openPage(site, `/embed/ranking?peer=department&period=2024-03&lang=${lang}`);
      try {
        await expect(e.page.locator('.embed__note--provisional').textContent()).resolves.toBe(text);
        await expect(e.page.locator('.embed__cite').textContent()).resolves.toContain(` · ${tag} · `);
        expect(e.problems).toEqual([]);
      } finally {
        await e.close();
      }
    }
    const h = await openPage(site, '/embed/history?unit=so-tu-phap&period=2024-03');
    try {
      await h.page.locator('.embed__chart svg').waitFor();
      await expect(h.page.locator('.embed__note--provisional').textContent()).resolves.toBe(NOTE_VI);
      await expect(h.page.locator('.embed__chart svg polyline[stroke-dasharray]').count()).resolves.toBe(2); // legend + Feb → Mar
      await expect(h.page.locator('.embed__chart svg circle[stroke]').count()).resolves.toBe(2);
      await expect(h.page.locator('.embed__table tbody tr').last().locator('th').textContent()).resolves.toBe('Tháng 3/2024 (tạm tính)');
      await screenshot(h.page, 'provisional-embed-history');
      await h.page.evaluate(AXE_SOURCE);
      const violations = await h.page.evaluate(async () => (await (globalThis as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] })).violations.map((v: { id: string }) => v.id));
      expect(violations).toEqual([]);
      expect(h.problems).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('when the month has ended (2 April 2024)', () => {
  let ended: Site;
  const pin = pinId(ONGOING.asOf)!;
  beforeAll(async () => {
    const dir = await writeFixtureSnapshots({ asOf: '2024-04-02T00:00:00+07:00', months: ['2024-01', '2024-03'], latestPeriod: '2024-03', defaultPeriod: '2024-03' });
    // the copy pinned while March was ongoing (the publisher's immutable pins/<asOf>/…)
    await mkdir(join(dir, `pins/${pin}/rankings`), { recursive: true });
    await writeFile(join(dir, `pins/${pin}/rankings/2024-03.json`), await readFile(join(dataDir, 'rankings/2024-03.json')));
    ended = await startSite({ webDir, dataDir: dir });
  });
  afterAll(async () => { await ended?.close(); });

  it('a live embed is final, an embed pinned during the month stays provisional and says so; the site opens on March, final', async () => {
    const live = await openPage(ended, '/embed/ranking?peer=department&period=2024-03');
    try {
      await live.page.locator('.embed__title').waitFor();
      await expect(live.page.locator('.embed__note').count()).resolves.toBe(0);
      await expect(live.page.locator('.embed__cite').textContent()).resolves.toContain(' · Tháng 3/2024 · Dữ liệu đến 00:00 2 thg 4, 2024');
    } finally {
      await live.close();
    }
    const pinned = await openPage(ended, `/embed/ranking?peer=department&period=2024-03&pin=${pin}`);
    try {
      await expect(pinned.page.locator('.embed__note--provisional').textContent()).resolves.toBe(NOTE_VI);
      await expect(pinned.page.locator('.embed__cite').textContent()).resolves.toContain(' · Tháng 3/2024 (tạm tính) · Dữ liệu đến 12:00 20 thg 3, 2024');
    } finally {
      await pinned.close();
    }
    const home = await openPage(ended, '/');
    try {
      await home.page.locator('[data-module="overview"]').getByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' }).waitFor();
      await expect(home.page.locator('.provisional-note').count()).resolves.toBe(0);
      await expect.poll(() => options(home.page)).toContain('2024-03=Tháng 3/2024');
      expect(home.problems).toEqual([]);
    } finally {
      await home.close();
    }
  });
});
