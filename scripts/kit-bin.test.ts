/**
 * A module built in its own repository gives the bytes of the platform's build only with the same builder: the kit
 * pins esbuild and esbuild-svelte, and names the Svelte it is built with; the template pins Svelte and the test tools.
 * These must be the versions this repository builds with (so a dependency update here that forgets the kit fails).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standaloneFiles, tarballOf } from './new-module.ts';

const ROOT = resolve(import.meta.dirname, '..');
const json = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const installed = (name: string) => json(`node_modules/${name}/package.json`).version as string;

describe('the kit and the module template pin what the platform builds with', () => {
  const kit = json('packages/kit/package.json');

  it('the kit: esbuild and esbuild-svelte exactly, svelte as its peer, the shared types at their version', () => {
    expect(kit.dependencies.esbuild).toBe(installed('esbuild'));
    expect(kit.dependencies['esbuild-svelte']).toBe(installed('esbuild-svelte'));
    expect(kit.peerDependencies.svelte).toBe(installed('svelte'));
    expect(kit.dependencies['@itmap/shared-types']).toBe(json('shared-types/package.json').version);
    expect(kit.bin).toEqual({ 'itmap-module': './bin/itmap-module.js' });
  });

  it('the template: svelte and the test tools exactly, the kit and shared types from vendor/ at this checkout’s versions', async () => {
    const pkg = JSON.parse((await standaloneFiles('health', 'Health'))['package.json']);
    expect(pkg.name).toBe('@itmap/health');
    for (const name of ['svelte', 'vitest', '@sveltejs/vite-plugin-svelte', '@testing-library/svelte', 'jsdom']) expect([name, pkg.devDependencies[name]]).toEqual([name, installed(name)]);
    expect(pkg.devDependencies['@itmap/kit']).toBe(`file:vendor/${tarballOf('@itmap/kit', kit.version)}`);
    expect(pkg.devDependencies['@itmap/shared-types']).toBe('file:vendor/itmap-shared-types-1.0.0.tgz');
  });
});
