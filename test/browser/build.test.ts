/**
 * The web build's contract (no browser needed): the inline import map and the CSP hash agree,
 * every shared file and module is pinned by SRI, modules keep the shared dependencies external,
 * a single-module build updates the registry files, and a scaffolded module builds.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, listModules, type FirstViewSizes, type ImportMap, type ModuleEntry } from '../../scripts/build-web.ts';
import { newModule } from '../../scripts/new-module.ts';
import { buildSite, cleanup, mkdtemp } from './support.ts';

let out: string;
const read = (p: string) => readFile(join(out, p), 'utf8');

beforeAll(async () => { out = await buildSite(); });
afterAll(cleanup);

describe('build-web', () => {
  it('inlines the import map allowed by its sha256, and writes the header policy', async () => {
    const html = await read('index.html');
    const map = /<script type="importmap">([^<]*)<\/script>/.exec(html)![1];
    const hash = createHash('sha256').update(map).digest('base64');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(meta).toContain(`'sha256-${hash}'`);
    expect(meta).not.toContain('unsafe-inline');
    expect(meta).not.toContain('frame-ancestors');
    const header = (await read('csp.txt')).trim();
    expect(header).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(header).toContain("frame-ancestors 'none'");
    // no other inline script: besides the map, only the registry as a JSON data block (never run)
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toEqual(['<script type="importmap">', '<script type="application/json" id="itmap-modules">']);
    // the nav is in the page before any script runs (nothing moves when the shell starts)
    const modules = JSON.parse(await read('modules.json')) as Record<string, ModuleEntry>;
    expect(html).toContain(`<li><a href="/">${modules.overview.title.vi}</a></li>`);
    expect(JSON.parse(/<script type="application\/json" id="itmap-modules">([^<]*)<\/script>/.exec(html)![1])).toEqual(modules);
    expect(JSON.parse(map)).toEqual(JSON.parse(await read('importmap.json')));
  });

  it('pins every shared file and module by SRI', async () => {
    const map = JSON.parse(await read('importmap.json')) as ImportMap;
    for (const spec of ['svelte', 'svelte/internal/client', 'svelte/internal/disclose-version', 'single-spa', '@itmap/kit', '@itmap/kit/core', '@itmap/kit/charts', '@itmap/overview', '@itmap/profile']) {
      expect(map.imports[spec], spec).toMatch(/^\/(shared|modules)\//);
    }
    for (const [url, integrity] of Object.entries(map.integrity)) {
      const body = await readFile(join(out, url));
      expect(integrity, url).toBe(`sha384-${createHash('sha384').update(body).digest('base64')}`);
    }
    expect(Object.keys(map.integrity)).toEqual(expect.arrayContaining(Object.values(map.imports)));
  });

  it('starts every script with the compile hint (its functions compiled as it streams in, off the main thread), and preloads the landing page\'s module', async () => {
    const map = JSON.parse(await read('importmap.json')) as ImportMap;
    const html = await read('index.html');
    const shell = /<script type="module" src="([^"]+)"/.exec(html)![1];
    for (const url of [...Object.keys(map.integrity), shell]) expect((await read(url)).split('\n')[0], url).toBe('//# allFunctionsCalledOnLoad');
    const modules = JSON.parse(await read('modules.json')) as Record<string, ModuleEntry>;
    expect(html).toContain(`<link rel="modulepreload" href="${modules.overview.url}" integrity="${modules.overview.integrity}">`);
    expect(html).not.toContain(`<link rel="modulepreload" href="${modules.profile.url}"`);
  });

  it('builds each module to one hashed ES module (+ CSS of the same name) with the shared deps external', async () => {
    const modules = JSON.parse(await read('modules.json')) as Record<string, ModuleEntry>;
    expect(Object.keys(modules).sort()).toEqual((await listModules()).sort());
    for (const [name, m] of Object.entries(modules)) {
      expect(m.url).toMatch(new RegExp(`^/modules/${name}/${m.version.replace(/\./g, '\\.')}/${name}-[0-9a-f]{10}\\.js$`));
      expect(m.css).toBe(m.url.replace(/\.js$/, '.css'));
      expect(existsSync(join(out, m.css!))).toBe(true);
      const js = await read(m.url);
      expect(js).toMatch(/from"svelte\/internal\/client"/);
      expect(js).toMatch(/from"@itmap\/kit"/);
      expect(js.length).toBeLessThan(60_000); // the svelte runtime (~120 KB) is not in it (the overview is ~31 KB; the first view's budget is checked below)
      expect(m.title.vi && m.title.en && m.owner && m.route).toBeTruthy();
    }
  });

  it('keeps the first view of / (its chart on screen, drawn as SVG) within 100 KB gz JS and 150 KB total', async () => {
    const { firstView, charts } = JSON.parse(await read('sizes.json')) as { firstView: FirstViewSizes; charts: { files: string[] } };
    expect(charts.files.length).toBeGreaterThan(0);
    expect(firstView.files.js.filter((u) => charts.files.includes(u))).toEqual([]); // no chart.js
    expect(firstView.js.gzip).toBeLessThanOrEqual(100 * 1024);
    expect(firstView.totalBeforeData.gzip).toBeLessThanOrEqual(150 * 1024);
    expect(firstView.totalBeforeData.gzip).toBe(firstView.js.gzip + firstView.css.gzip + firstView.html.gzip);
  });

  it('rebuilds one module into an existing build and rewrites the registry files', async () => {
    const before = JSON.parse(await read('modules.json')) as Record<string, ModuleEntry>;
    await buildWeb({ outDir: out, module: 'profile', quiet: true });
    const after = JSON.parse(await read('modules.json')) as Record<string, ModuleEntry>;
    expect(after.overview).toEqual(before.overview);
    expect(after.profile.url).toBe(before.profile.url); // same source, same content hash
    const html = await read('index.html');
    const map = /<script type="importmap">([^<]*)<\/script>/.exec(html)![1];
    expect(html).toContain(`'sha256-${createHash('sha256').update(map).digest('base64')}'`);
  });

  it('scaffolds a module that builds, and refuses a module that bundles chart.js', async () => {
    // a scratch folder outside the repository: the kit is a package, resolved through the import map
    const root = await mkdtemp(join(tmpdir(), 'itmap-mf-'));
    const dir = await newModule({ name: 'scratch', owner: 'test', titleVi: 'Nháp', titleEn: 'Scratch', dir: join(root, 'scratch') });
    const scratchOut = await mkdtemp(join(tmpdir(), 'itmap-web-'));
    const built = await buildWeb({ outDir: scratchOut, moduleDirs: [dir], quiet: true });
    expect(built.modules.scratch.route).toBe('/scratch');

    await mkdir(join(root, 'bad/src'), { recursive: true });
    await writeFile(join(root, 'bad/package.json'), JSON.stringify({ name: '@itmap/bad', version: '1.0.0' }));
    await writeFile(join(root, 'bad/manifest.json'), JSON.stringify({ name: 'bad', owner: 't', route: '/bad', title: { vi: 'x', en: 'x' } }));
    await writeFile(join(root, 'bad/src/main.ts'), "import { Chart } from 'chart.js';\nexport const mount = async () => Chart;\nexport const unmount = mount;\n");
    await expect(buildWeb({ outDir: scratchOut, module: 'bad', moduleDirs: [join(root, 'bad')], quiet: true })).rejects.toThrow(/chart\.js is shared/);
    // the kit's insides are not an API: only its entries, which the import map serves once
    await writeFile(join(root, 'bad/src/main.ts'), "import { layout } from '@itmap/kit/share/scene';\nexport const mount = async () => layout;\nexport const unmount = mount;\n");
    await expect(buildWeb({ outDir: scratchOut, module: 'bad', moduleDirs: [join(root, 'bad')], quiet: true })).rejects.toThrow(/through its entries only/);
  });
});
