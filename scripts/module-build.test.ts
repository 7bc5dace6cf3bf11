/**
 * One build of a module, the same bytes whichever way it is run: `npm run module -- build` from the root, and
 * the same build from the module's own folder (where `npm run build -w microfrontends/<name>` runs it). Svelte's
 * scoped class names once hashed the file name relative to the working directory, so the two differed.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

async function buildFrom(cwd: string): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'itmap-build-'));
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/module.ts'), 'build', 'overview', '--out', out], { cwd, encoding: 'utf8' });
  const folder = join(out, 'modules/overview');
  const [version] = readdirSync(folder);
  return Object.fromEntries(readdirSync(join(folder, version)).sort().map((file) => [file, readFileSync(join(folder, version, file), 'utf8')]));
}

describe('npm run module -- build', () => {
  it('gives the same bytes (so the same file names and SRI) from the root and from the module’s folder', async () => {
    const [fromRoot, fromModule] = await Promise.all([buildFrom(ROOT), buildFrom(join(ROOT, 'microfrontends/overview'))]);
    expect(Object.keys(fromRoot)).toEqual([expect.stringMatching(/^overview-[0-9a-f]{10}\.css$/), expect.stringMatching(/^overview-[0-9a-f]{10}\.js$/)]);
    expect(Object.values(fromRoot)[0]).toMatch(/\.svelte-[a-z0-9]+\{/); // scoped CSS is there to differ
    expect(fromModule).toEqual(fromRoot);
  }, 60_000);
});
