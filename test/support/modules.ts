/**
 * The module registry's side of a test stack: a stand-in site build for it to render from, bundles
 * uploaded as `npm run module -- deploy` does locally, and module folders to build and deploy
 * (well-behaved or not). Tests of the registry need no web build.
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

const manifest = (name: string, route = `/${name === 'overview' ? '' : name}`) => ({ name, owner: `${name} team`, route, title: { vi: `Mục ${name}`, en: `Section ${name}` } });

/** Writes a bundle under the stack's public folder and returns the body that publishes it. */
export function uploadBundle(publicDir: string, name: string, version: string, source = `export const version = ${JSON.stringify(version)};`, route?: string) {
  const url = `/modules/${name}/${version}/${name}-${createHash('sha256').update(source).digest('hex').slice(0, 10)}.js`;
  mkdirSync(dirname(join(publicDir, url)), { recursive: true });
  writeFileSync(join(publicDir, url), source);
  return { name, version, url, integrity: sri(source), manifest: manifest(name, route) };
}

/**
 * A module folder as a team has it (package.json, manifest.json, src/main.ts, src/style.css if `css`), for
 * `scripts/module.ts` to build and deploy: its mount shows `text` (or throws, or never settles), its unmount
 * clears the slot (or never settles). No shared dependency, so it builds without the site.
 */
export function fixtureModule(name: string, version: string, options: { text?: string; route?: string; css?: string; mount?: 'ok' | 'throw' | 'hang'; unmount?: 'ok' | 'hang' } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), `itmap-${name}-`)), name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `@itmap/${name}`, version, private: true, type: 'module' }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest(name, options.route ?? '/')));
  const never = 'await new Promise(() => {});';
  if (options.css) writeFileSync(join(dir, 'src/style.css'), options.css);
  writeFileSync(join(dir, 'src/main.ts'), `${options.css ? "import './style.css';" : ''}
const target = (props: { name?: string; domElement?: HTMLElement }) =>
  props.domElement ?? document.getElementById('single-spa-application:' + (props.name ?? ${JSON.stringify(name)}))!;
export async function bootstrap() {}
export async function mount(props: { name?: string; domElement?: HTMLElement }) {
  ${options.mount === 'throw' ? "throw new Error('broken on purpose');" : ''}
  const p = document.createElement('p');
  p.className = 'fixture-text';
  p.textContent = ${JSON.stringify(options.text ?? `${name} ${version}`)};
  target(props).replaceChildren(p);
  ${options.mount === 'hang' ? never : ''}
}
export async function unmount(props: { name?: string; domElement?: HTMLElement }) {
  ${options.unmount === 'hang' ? never : ''}
  target(props).replaceChildren();
}
export async function update() {}
`);
  return dir;
}
