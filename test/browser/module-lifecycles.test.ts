/**
 * A module that misbehaves stays in its own slot, in Chromium against the local stack: one whose mount
 * or unmount never settles is given up by single-spa's own timeouts (shell/src/root-config.ts
 * LIFECYCLE_MAX_MS, dieOnTimeout) and shows the error card with Retry; one that throws, whose bundle is
 * gone (404) or does not parse shows the card at once. Navigation and the other modules keep working.
 * A stylesheet changed in place after publishing is refused (the shell loads it with its integrity).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LocalStack } from '../../local/stack.ts';
import { LIFECYCLE_MAX_MS } from '../../shell/src/slot.ts';
import { fixtureModule, uploadBundle } from '../support/modules.ts';
import { startModuleSite, type ModuleSite } from './module-site.ts';

const KEY = 'browser-test-key';
let site: ModuleSite;
let browser: Browser;
let stack: LocalStack;
let webDir: string;

beforeAll(async () => {
  const modules = [
    fixtureModule('steady', '1.0.0', { route: '/', text: 'Mục ổn định' }),
    fixtureModule('hang-mount', '1.0.0', { route: '/hang-mount', mount: 'hang' }),
    fixtureModule('hang-unmount', '1.0.0', { route: '/hang-unmount', unmount: 'hang' }),
    fixtureModule('throws', '1.0.0', { route: '/throws', mount: 'throw' }),
    fixtureModule('styled', '1.0.0', { route: '/styled', css: '.fixture-text { color: rgb(1, 2, 3); }' }),
  ];
  site = await startModuleSite(modules, KEY);
  ({ browser, stack, webDir } = site);
  // published through the registry, so the import map carries their true SRI: one whose file is then
  // deleted (404), one that does not parse
  const { publicDir } = site;
  const missing = uploadBundle(publicDir, 'missing', '1.0.0', 'export async function mount() {}', '/missing');
  const badSyntax = uploadBundle(publicDir, 'bad-syntax', '1.0.0', 'export const = ;', '/bad-syntax');
  for (const body of [missing, badSyntax]) {
    const reply = await fetch(`${stack.url}/api/v1/modules/${body.name}/versions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify(body),
    });
    expect(reply.status).toBe(201);
  }
  rmSync(join(publicDir, missing.url));
});
afterAll(async () => site?.stop());

const card = (page: Page, name: string) => page.locator(`[data-module="${name}"] .error-card`);
const steadyText = (page: Page) => page.locator('[data-module="steady"] .fixture-text');
const fixtureText = (page: Page, name: string) => page.locator(`[data-module="${name}"] .fixture-text`);

async function withPage(run: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await run(page);
  } finally {
    await context.close();
  }
}

/** The rest of the site works: the navigation leads home, where the steady module renders. */
async function siteStillWorks(page: Page) {
  await expect(page.locator('#site-nav-list a').count()).resolves.toBeGreaterThan(0);
  await page.locator('#site-nav-list a[href="/"]').click();
  await steadyText(page).waitFor({ timeout: LIFECYCLE_MAX_MS.unmount + 5_000 });
  expect(new URL(page.url()).pathname).toBe('/');
}

describe('a module that misbehaves stays in its slot', () => {
  it('a mount that never settles: single-spa gives it up, the card offers Retry, navigation goes on', async () => {
    await withPage(async (page) => {
      const started = Date.now();
      await page.goto(`${stack.url}/hang-mount`);
      await card(page, 'hang-mount').waitFor({ timeout: LIFECYCLE_MAX_MS.mount + 10_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(LIFECYCLE_MAX_MS.mount - 1_000);
      await expect(card(page, 'hang-mount').getByRole('button').textContent()).resolves.toBe('Thử lại');
      await expect(card(page, 'hang-mount').textContent()).resolves.toMatch(/31|did not resolve/);
      await expect(fixtureText(page, 'hang-mount').count()).resolves.toBe(0);
      await siteStillWorks(page);
      // back on its page: the card again (single-spa no longer mounts it), and Retry registers it anew
      await page.goBack();
      await card(page, 'hang-mount').waitFor({ timeout: 5_000 });
      await card(page, 'hang-mount').getByRole('button').click();
      await fixtureText(page, 'hang-mount').waitFor({ timeout: 5_000 }); // mounting again (it hangs again, so the card comes back)
      await card(page, 'hang-mount').waitFor({ timeout: LIFECYCLE_MAX_MS.mount + 10_000 });
    });
  });

  it('an unmount that never settles cannot block navigation; its page shows the card and Retry mounts it again', async () => {
    await withPage(async (page) => {
      await page.goto(`${stack.url}/hang-unmount`);
      await fixtureText(page, 'hang-unmount').waitFor({ timeout: 15_000 });
      const left = Date.now();
      await siteStillWorks(page);
      expect(Date.now() - left).toBeLessThan(LIFECYCLE_MAX_MS.unmount + 5_000);
      await expect(page.locator('[data-module="hang-unmount"]').isHidden()).resolves.toBe(true);
      await page.goBack();
      await card(page, 'hang-unmount').waitFor({ timeout: 5_000 });
      await card(page, 'hang-unmount').getByRole('button').click();
      await fixtureText(page, 'hang-unmount').waitFor({ timeout: 5_000 });
      await expect(card(page, 'hang-unmount').count()).resolves.toBe(0);
    });
  });

  it.each([
    ['throws', /broken on purpose/],
    ['missing', /Failed to fetch|dynamically imported module|404/i],
    ['bad-syntax', /SyntaxError|Unexpected token|Failed to fetch|dynamically imported module/i],
  ])('%s: the card at once, with Retry; the rest of the page works', async (name, detail) => {
    await withPage(async (page) => {
      const started = Date.now();
      await page.goto(`${stack.url}/${name}`);
      await card(page, name).waitFor({ timeout: 15_000 });
      expect(Date.now() - started).toBeLessThan(LIFECYCLE_MAX_MS.mount);
      await expect(card(page, name).textContent()).resolves.toMatch(detail);
      await expect(card(page, name).getByRole('button').count()).resolves.toBe(1);
      await siteStillWorks(page);
    });
  });

  it('each failure the shell saw reached its module\'s team, once per kind and page: load (404, syntax), mount (threw), timeout (hung)', async () => {
    const kinds = async (name: string) => {
      const reply = await fetch(`${stack.url}/api/v1/modules/${name}/errors`, { headers: { authorization: `Bearer ${KEY}` } });
      const body = (await reply.json()) as { days: { byVersion: Record<string, Record<string, number>> }[] };
      return body.days.reduce((all, day) => ({ ...all, ...day.byVersion['1.0.0'] }), {} as Record<string, number>);
    };
    // each test above opened the page once (hang-mount twice: its Retry in the same page is not counted again)
    await expect.poll(() => kinds('missing'), { timeout: 10_000 }).toEqual({ load: 1 });
    await expect.poll(() => kinds('bad-syntax'), { timeout: 10_000 }).toEqual({ load: 1 });
    await expect.poll(() => kinds('throws'), { timeout: 10_000 }).toEqual({ mount: 1 });
    await expect.poll(() => kinds('hang-mount'), { timeout: 10_000 }).toEqual({ timeout: 1 });
    await expect.poll(() => kinds('steady'), { timeout: 1_000 }).toEqual({});
  });

  it('a stylesheet changed in place after publishing is refused: the module renders, unstyled, and the site keeps its navigation', async () => {
    const entry = JSON.parse(readFileSync(join(webDir, 'modules.json'), 'utf8')).styled;
    const color = (page: Page) => fixtureText(page, 'styled').evaluate((el) => getComputedStyle(el).color);
    await withPage(async (page) => {
      await page.goto(`${stack.url}/styled`);
      await fixtureText(page, 'styled').waitFor({ timeout: 15_000 });
      await expect(color(page)).resolves.toBe('rgb(1, 2, 3)');
      const links = page.locator(`link[rel="stylesheet"][href$="${entry.css}"]`);
      await expect(links.count()).resolves.toBe(1);
      await expect(links.getAttribute('integrity')).resolves.toBe(entry.cssIntegrity);
    });
    writeFileSync(join(webDir, entry.css), '.fixture-text { color: rgb(9, 9, 9); } #site-nav { display: none; }');
    await withPage(async (page) => {
      const refused: string[] = [];
      page.on('console', (m) => { if (/integrity/i.test(m.text())) refused.push(m.text()); });
      await page.goto(`${stack.url}/styled`);
      await fixtureText(page, 'styled').waitFor({ timeout: 15_000 });
      await expect(color(page)).resolves.not.toBe('rgb(9, 9, 9)');
      await expect(page.locator('#site-nav').isVisible()).resolves.toBe(true);
      expect(refused.length).toBeGreaterThan(0);
    });
  });
});
