/**
 * The module registry's side of a test stack: a stand-in site build for it to render from, and bundles
 * uploaded as `npm run module -- deploy` does locally. Tests of the registry need no web build.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sri, type ModuleEntry } from '../../functions/src/domain/modules/render.ts';

/** A site build the registry renders from: the real shell template, a stand-in shell, one module (overview). */
export function stubWebDir(): string {
  const webDir = mkdtempSync(join(tmpdir(), 'bando-web-'));
  mkdirSync(join(webDir, 'shell'));
  const baseline: ModuleEntry = {
    version: '0.1.0', url: '/modules/overview/0.1.0/overview-0.js', integrity: sri('baseline'), css: null, cssIntegrity: null,
    specifier: '@itmap/overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' },
  };
  writeFileSync(join(webDir, 'shell/registry-base.json'), JSON.stringify({
    template: readFileSync('shell/index.html', 'utf8'),
    shell: { js: '/shell/root-config-0.js', jsIntegrity: sri('shell'), css: '/shell/shell-0.css', cssIntegrity: sri('css'), shared: {}, sharedGraph: {}, sharedIntegrity: {} },
    modules: { overview: baseline },
  }));
  return webDir;
}

const manifest = (name: string) => ({ name, owner: `${name} team`, route: `/${name === 'overview' ? '' : name}`, title: { vi: `Mục ${name}`, en: `Section ${name}` } });

/** Writes a bundle under the stack's public folder and returns the body that publishes it. */
export function uploadBundle(publicDir: string, name: string, version: string, source = `export const version = ${JSON.stringify(version)};`) {
  const url = `/modules/${name}/${version}/${name}-${createHash('sha256').update(source).digest('hex').slice(0, 10)}.js`;
  mkdirSync(dirname(join(publicDir, url)), { recursive: true });
  writeFileSync(join(publicDir, url), source);
  return { name, version, url, integrity: sri(source), manifest: manifest(name) };
}
