/**
 * The module template (scripts/new-module.ts) runs its own tests here: a scaffold is written to a
 * scratch folder (under test-results/), where `@itmap/kit` resolves as in any module, and its src/App.test.ts is
 * imported, which registers its tests in this file (build.test.ts only checks that a scaffold builds).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { afterAll } from 'vitest';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

const repo = resolve(import.meta.dirname, '../..');
// inside the repository (test-results/ is ignored), so that vite transforms it and finds node_modules
await mkdir(join(repo, 'test-results'), { recursive: true });
const root = await mkdtemp(join(repo, 'test-results', 'scaffold-'));
// the template's text from scripts/new-module.ts, in a Node of its own (it imports esbuild, which jsdom upsets)
const script = `const m = await import(${JSON.stringify(pathToFileURL(join(repo, 'scripts/new-module.ts')).href)});
process.stdout.write(JSON.stringify(m.moduleFiles({ name: 'scratch', owner: 'test', route: '/scratch', titleVi: 'Nháp', titleEn: 'Scratch' })));`;
const files = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as Record<string, string>;
for (const [path, text] of Object.entries(files)) {
  await mkdir(dirname(join(root, 'scratch', path)), { recursive: true });
  await writeFile(join(root, 'scratch', path), text);
}
afterAll(() => rm(root, { recursive: true, force: true }));
await import(/* @vite-ignore */ join(root, 'scratch/src/App.test.ts'));
