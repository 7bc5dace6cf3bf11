/**
 * Preview before live, in Chromium against the real local stack: `npm run module -- deploy <name> --preview`
 * records a version without making it current and prints a link (/?preview=<token>); that link, and then its
 * cookie, show the site with the version (its import map, its CSP, no violation) while everyone else still gets
 * the live one; ?preview=off leaves it; deploying the same version without --preview makes it current.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deploy, history } from '../../scripts/module.ts';
import type { LocalStack } from '../../local/stack.ts';
import { PREVIEW_TOKEN, previewPageKey } from '../../functions/src/domain/modules/rules.ts';
import { startModuleSite, type ModuleSite } from './module-site.ts';
import { fixtureModule } from '../support/modules.ts';

const KEY = 'browser-test-key';

let site: ModuleSite;
let browser: Browser;
let stack: LocalStack;
let publicDir: string;
let outDir: string;

beforeAll(async () => {
  site = await startModuleSite([fixtureModule('hello', '1.0.0', { text: 'Phiên bản đang chạy' }), fixtureModule('steady', '1.0.0', { text: 'Mục ổn định' })], KEY);
  ({ browser, stack, publicDir, outDir } = site);
});
afterAll(async () => site?.stop());

const text = (page: Page, name: string) => page.locator(`[data-module="${name}"] .fixture-text`);
const shows = (page: Page, expected: string) => expect.poll(() => text(page, 'hello').textContent(), { timeout: 15_000 }).toBe(expected);
const mapped = (page: Page) => page.evaluate(() => JSON.parse(document.querySelector('script[type="importmap"]')!.textContent!).imports['@itmap/hello'] as string);

describe('deploy --preview', () => {
  it('shows the version only through its link (then its cookie), until ?preview=off; deploying it makes it current', async () => {
    const target = { url: stack.url, key: KEY, publicDir, outDir };
    const live = await history(target, 'hello');
    const { built, reply } = await deploy('hello', { ...target, preview: true, dir: fixtureModule('hello', '1.1.0', { text: 'Phiên bản xem trước' }) });
    expect(reply).toMatchObject({ created: true, link: `/?preview=${reply.token}`, version: { version: '1.1.0', url: built.body.url } });
    expect(reply.token).toMatch(PREVIEW_TOKEN);
    // recorded, not current; its files are in its folder (the registry copied them), the staged copies gone
    const after = await history(target, 'hello');
    expect([after.current, after.versions.map((v: { version: string }) => v.version)]).toEqual([live.current, ['1.0.0', '1.1.0']]);
    expect(existsSync(join(publicDir, built.body.url as string))).toBe(true);

    const problems: string[] = [];
    const reviewer = await browser.newContext();
    const visitor = await browser.newContext();
    try {
      const page = await reviewer.newPage();
      page.on('console', (m) => { if (/Content Security Policy|integrity/i.test(m.text())) problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      const other = await visitor.newPage();

      await page.goto(stack.url + '/');
      await shows(page, 'Phiên bản đang chạy');
      const liveUrl = await mapped(page);

      await page.goto(stack.url + reply.link);
      await shows(page, 'Phiên bản xem trước');
      expect(await mapped(page)).toBe(built.body.url);
      await expect(text(page, 'steady').textContent()).resolves.toBe('Mục ổn định'); // the rest of the site as it is live
      // the cookie keeps the preview on the site's other addresses
      await page.goto(stack.url + '/?period=2024-03');
      await shows(page, 'Phiên bản xem trước');

      // anyone else: the live site, with or without a guessed token
      await other.goto(stack.url + '/');
      await shows(other, 'Phiên bản đang chạy');
      await other.goto(stack.url + '/?preview=AAAAAAAAAAAAAAAAAAAAAA');
      await shows(other, 'Phiên bản đang chạy');
      expect((await fetch(`${stack.url}/${previewPageKey(reply.token)}`)).status).toBe(404); // never a page without its CSP

      await page.goto(stack.url + '/?preview=off');
      await shows(page, 'Phiên bản đang chạy');
      await page.goto(stack.url + '/');
      await shows(page, 'Phiên bản đang chạy');
      expect(await mapped(page)).toBe(liveUrl);
      expect(problems).toEqual([]);

      // deploying the same version makes it current, for everyone
      const current = await deploy('hello', { ...target, dir: fixtureModule('hello', '1.1.0', { text: 'Phiên bản xem trước' }) });
      expect(current.reply).toMatchObject({ created: false, version: { version: '1.1.0' } });
      await other.goto(stack.url + '/');
      await shows(other, 'Phiên bản xem trước');
    } finally {
      await reviewer.close();
      await visitor.close();
    }
  });

  it('is refused as a publish would be: another team\'s key, no files written', async () => {
    const target = { url: stack.url, key: 'nobody', publicDir, outDir };
    await expect(deploy('hello', { ...target, preview: true, dir: fixtureModule('hello', '1.2.0', { text: 'x' }) })).rejects.toMatchObject({ status: 401 });
    expect(existsSync(join(publicDir, 'modules/hello/1.2.0'))).toBe(false);
  });
});
