/**
 * A team deploy in Chromium against the real local stack: the site is up, a new version of one module
 * is deployed (`scripts/module.ts` deploy: build, stage under modules/_staging/, publish: the registry copies) and is
 * live on the next page load with the same shell bundle; rollback brings the old one back; a broken
 * version shows an error card in its own slot while the rest of the page keeps working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deploy, history, rollback } from '../../scripts/module.ts';
import type { LocalStack } from '../../local/stack.ts';
import { startModuleSite, type ModuleSite } from './module-site.ts';
import { fixtureModule } from '../support/modules.ts';

const KEY = 'browser-test-key';

let site: ModuleSite;
let browser: Browser;
let stack: LocalStack;
let publicDir: string;
let outDir: string;

beforeAll(async () => {
  site = await startModuleSite([fixtureModule('hello', '1.0.0', { text: 'Xin chào, phiên bản 1' }), fixtureModule('steady', '1.0.0', { text: 'Mục ổn định' })], KEY);
  ({ browser, stack, publicDir, outDir } = site);
});
afterAll(async () => site?.stop());

async function open(page: Page, problems: string[]) {
  page.on('console', (m) => { if (/Content Security Policy|integrity/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(stack.url + '/');
}
const text = (page: Page, name: string) => page.locator(`[data-module="${name}"] .fixture-text`);
const shellScript = (page: Page) => page.locator('script[type="module"][src^="/shell/"]').getAttribute('src');

describe('deploying one module to the running site', () => {
  it('goes live on the next load with the same shell, rolls back, and a broken version stays in its slot', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    const target = { url: stack.url, key: KEY, publicDir, outDir };
    try {
      await open(page, problems);
      await expect.poll(() => text(page, 'hello').textContent(), { timeout: 15_000 }).toBe('Xin chào, phiên bản 1');
      await expect(text(page, 'steady').textContent()).resolves.toBe('Mục ổn định');
      const shell = await shellScript(page);
      expect(shell).toMatch(/^\/shell\/root-config-/);

      // a new version, deployed as a team does it
      const v2 = await deploy('hello', { ...target, dir: fixtureModule('hello', '1.1.0', { text: 'Xin chào, phiên bản 2' }) });
      expect(v2.reply.created).toBe(true);
      await page.reload();
      await expect.poll(() => text(page, 'hello').textContent(), { timeout: 15_000 }).toBe('Xin chào, phiên bản 2');
      expect(await shellScript(page)).toBe(shell);
      const map = await page.evaluate(() => JSON.parse(document.querySelector('script[type="importmap"]')!.textContent!));
      expect(map.imports['@itmap/hello']).toBe(v2.built.body.url);

      // rollback
      await rollback(target, 'hello', '1.0.0');
      expect((await history(target, 'hello')).current).toBe('1.0.0');
      await page.reload();
      await expect.poll(() => text(page, 'hello').textContent(), { timeout: 15_000 }).toBe('Xin chào, phiên bản 1');
      expect(await shellScript(page)).toBe(shell);
      expect(problems).toEqual([]);

      // a broken version: its slot shows an error card with Retry; the rest of the page works
      await deploy('hello', { ...target, dir: fixtureModule('hello', '2.0.0', { text: 'never shown', mount: 'throw' }) });
      await page.reload();
      await page.locator('[data-module="hello"] [role="alert"]').waitFor({ timeout: 15_000 });
      await expect(page.locator('[data-module="hello"]').getByRole('button').count()).resolves.toBeGreaterThan(0);
      await expect(text(page, 'hello').count()).resolves.toBe(0);
      await expect.poll(() => text(page, 'steady').textContent(), { timeout: 15_000 }).toBe('Mục ổn định');
      await expect(page.locator('#site-nav-list a').count()).resolves.toBeGreaterThan(0);
      expect(await shellScript(page)).toBe(shell);
      expect(problems.filter((p) => !p.includes('broken on purpose'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
