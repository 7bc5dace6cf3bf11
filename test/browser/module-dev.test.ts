/**
 * Local development of one module (`npm run module -- dev <name>`) in Chromium against the real local stack in
 * dev mode (ALLOW_IMPORT_MAP_OVERRIDES=true): esbuild serves the module from 127.0.0.1 and rebuilds it on every
 * change; import-map-overrides (as docs/MODULES.md says to use it) points the module's specifier there; the page
 * loads its script and its stylesheet from that origin without a CSP violation, and a change shows on reload.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { dev, siteOrigins } from '../../scripts/module.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { cleanup, launchBrowser, mkdtemp } from './support.ts';
import { fixtureModule } from '../support/modules.ts';

let browser: Browser;
let stack: LocalStack;
let served: Awaited<ReturnType<typeof dev>> | undefined;

/** A module as a team writes it: the kit's adapter (which loads the stylesheet beside the script), a Svelte component with its own style. */
function kitModule(text: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'itmap-dev-')), 'hello');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@itmap/hello', version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'hello', owner: 'hello team', route: '/', title: { vi: 'Xin chào', en: 'Hello' } }));
  writeFileSync(join(dir, 'src/main.ts'), `import { moduleLifecycles } from '@itmap/kit';
import App from './App.svelte';
export const { bootstrap, mount, update, unmount } = moduleLifecycles(App, { name: 'hello', url: import.meta.url });
`);
  setText(dir, text);
  return dir;
}
const setText = (dir: string, text: string) => writeFileSync(join(dir, 'src/App.svelte'), `<p class="dev-text">${text}</p>\n<style>.dev-text { color: rgb(1, 2, 3); }</style>\n`);

beforeAll(async () => {
  const webDir = await mkdtemp(join(tmpdir(), 'itmap-web-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'itmap-stack-'));
  [browser] = await Promise.all([launchBrowser(), buildWeb({ outDir: webDir, moduleDirs: [fixtureModule('hello', '1.0.0', { text: 'Phiên bản đã xuất bản' })], quiet: true })]);
  delete process.env.CITY;
  process.env.ALLOW_IMPORT_MAP_OVERRIDES = 'true';
  stack = await startLocalStack({ dataDir, webDir, ingestKey: 'dev-test-key', tickMs: 2_000, log: (line) => console.error(line) });
});
afterAll(async () => {
  delete process.env.ALLOW_IMPORT_MAP_OVERRIDES;
  await served?.stop();
  await browser?.close();
  await stack?.stop();
  await cleanup();
});

describe('npm run module -- dev', () => {
  it('serves the module with rebuilds; the dev site loads its script and stylesheet through import-map-overrides', async () => {
    const dir = kitModule('Bản đang sửa 1');
    // data of its own (docs/MODULES.md § Data of its own): served beside main.js
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/clinics.json'), '[{"id":"c1"}]');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), data: { 'clinics.json': { type: 'array' } } }));
    served = await dev('hello', { dir, port: 0, origins: siteOrigins(stack.url) });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/main\.js$/);
    expect(await (await fetch(served.url.replace(/main\.js$/, 'data/clinics.json'))).json()).toEqual([{ id: 'c1' }]);
    const css = served.url.replace(/\.js$/, '.css');
    // CORS for the site only
    const origin = new URL(stack.url).origin;
    expect((await fetch(css, { headers: { origin } })).headers.get('access-control-allow-origin')).toBe(origin);
    expect((await fetch(served.url, { headers: { origin: 'https://elsewhere.example' } })).headers.get('access-control-allow-origin')).toBeNull();

    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused|blocked/i.test(m.text())) problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    try {
      await page.goto(stack.url + '/');
      await expect.poll(() => page.locator('[data-module="hello"] .fixture-text').textContent(), { timeout: 15_000 }).toBe('Phiên bản đã xuất bản');
      // as docs/MODULES.md says: in the console, then reload
      await page.evaluate(([specifier, url]) => (window as unknown as { importMapOverrides: { addOverride(s: string, u: string): void } }).importMapOverrides.addOverride(specifier, url), [served.specifier, served.url]);
      await page.reload();
      const text = page.locator('[data-module="hello"] .dev-text');
      await expect.poll(() => text.textContent(), { timeout: 15_000 }).toBe('Bản đang sửa 1');
      await expect.poll(() => text.evaluate((p) => getComputedStyle(p).color), { timeout: 5_000 }).toBe('rgb(1, 2, 3)'); // its CSS, from the dev origin
      expect(await page.locator(`link[rel="stylesheet"][href="${css}"]`).count()).toBe(1);

      // a change: rebuilt, shown on reload
      const before = await (await fetch(served.url)).text();
      setText(dir, 'Bản đang sửa 2');
      await expect.poll(async () => (await fetch(served!.url)).text(), { timeout: 15_000 }).not.toBe(before);
      await page.reload();
      await expect.poll(() => text.textContent(), { timeout: 15_000 }).toBe('Bản đang sửa 2');
      // the overrides panel, when asked for
      await page.evaluate(() => localStorage.setItem('imo-ui', 'true'));
      await page.reload();
      await page.locator('import-map-overrides-full button').first().waitFor({ timeout: 10_000 });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
