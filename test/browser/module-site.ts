/**
 * What the module tests run on: Chromium, and the real local stack serving a site built of fixture modules
 * (test/support/modules.ts), with a platform key. One set-up for deploy, preview, dev and lifecycles.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { cleanup, launchBrowser, mkdtemp } from './support.ts';

export interface ModuleSite {
  browser: Browser;
  stack: LocalStack;
  /** the site's build (index.html, modules.json, the modules' files) */
  webDir: string;
  /** what the stack publishes (the registry writes accepted versions here) */
  publicDir: string;
  /** a scratch folder for module builds */
  outDir: string;
  stop(): Promise<void>;
}

export async function startModuleSite(moduleDirs: string[], key: string): Promise<ModuleSite> {
  const [webDir, dataDir, outDir] = await Promise.all(['itmap-web-', 'itmap-stack-', 'itmap-module-builds-'].map((prefix) => mkdtemp(join(tmpdir(), prefix))));
  const [browser] = await Promise.all([launchBrowser(), buildWeb({ outDir: webDir, moduleDirs, quiet: true })]);
  delete process.env.CITY; // the default city, whatever an earlier test file set
  const stack = await startLocalStack({ dataDir, webDir, ingestKey: key, tickMs: 2_000, log: (line) => console.error(line) });
  return {
    browser, stack, webDir, outDir, publicDir: join(dataDir, 'public'),
    async stop() {
      await browser.close();
      await stack.stop();
      await cleanup();
    },
  };
}
