/**
 * Builds the web front end into dist/web/ with esbuild only.
 *
 *   node scripts/build-web.ts                 everything: shared deps, every module, the shell
 *   node scripts/build-web.ts --module NAME   one module (into an existing dist/web), then the
 *                                             registry files and index.html are rewritten
 *   options: --out DIR (default dist/web), --quiet
 *
 * Layout of the output:
 *   shared/<entry>-<hash>.js, chunk-<hash>.js  svelte runtime, single-spa, @itmap/kit{,/core,/charts}:
 *                                              ONE esbuild build with code splitting, so every
 *                                              svelte/* entry shares one runtime instance
 *   modules/<name>/<version>/<name>-<hash>.js  one ES module per micro-frontend (+ .css of the same
 *                                              name), shared deps external (bare specifiers)
 *   shell/root-config-<hash>.js, shell-<hash>.css, shell.json
 *   index.html   the import map inline, allowed by its sha256 in the CSP meta
 *   csp.txt      the full policy (with frame-ancestors) for the server to send as a header
 *   importmap.json, modules.json (name → {version, url, integrity, …}), sizes.json
 */
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { renderSite, sri, escapeHtml, SITE_ICON, SCOPE, REGISTRY_BASE, PRELOAD, closure, type ImportMap, type ModuleEntry, type ModuleManifest, type ShellInfo } from '../functions/src/domain/modules/render.ts';
import {
  buildModule as buildModuleIn, contentHash, EAGER_COMPILE, EXTERNALS, gz, kitAsExternal, KIT_ENTRIES, moduleBuildOptions as moduleBuildOptionsIn,
  readManifest, SHARED_SPECIFIERS, svelte, urlOf,
} from './lib/module-build.ts';

// The rendering of index.html/importmap.json/modules.json lives with the module registry's domain
// code (one function for the build and the registry); re-exported for existing importers.
export { cspPolicy } from '../functions/src/domain/modules/render.ts';
export type { ImportMap, ModuleEntry, ModuleManifest };
export { readManifest };

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MODULES_DIR = join(ROOT, 'microfrontends');
export const KIT_DIR = join(ROOT, 'packages/kit');
const SHELL_DIR = join(ROOT, 'shell');
/** The monorepo's place for the module build (scripts/lib/module-build.ts): the kit of packages/kit, builds run at the root. */
const PLACE = { kitDir: KIT_DIR, workingDir: ROOT };

/**
 * Import-map specifier → what the shared build bundles for it (SHARED_SPECIFIERS: only what the Svelte compiler
 * emits and the kit needs: every extra svelte/* entry splits the runtime into more chunks (each of reactivity,
 * store, events costs ~1 KB gz on every page). A module that needs another one fails its build with a message
 * saying so; add it there then.
 */
const SHARED_ENTRIES: { specifier: string; input: string }[] = SHARED_SPECIFIERS.map((specifier) => ({
  specifier,
  input: KIT_ENTRIES.includes(specifier) ? join(KIT_DIR, `${specifier.slice(`${SCOPE}/kit`.length).replace(/^\//, '') || 'index'}.ts`) : specifier,
}));

// ------------------------------------------------------------------------------------------ shared
async function buildShared(outDir: string) {
  const dir = join(outDir, 'shared');
  await rm(dir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: SHARED_ENTRIES.map((e) => ({ in: e.input, out: e.specifier.replace(/^@/, '').replace(/\//g, '-') })),
    bundle: true, splitting: true, format: 'esm', platform: 'browser', target: 'es2022',
    minify: true, legalComments: 'none', metafile: true, banner: EAGER_COMPILE,
    entryNames: '[name]-[hash]', chunkNames: 'chunk-[hash]', assetNames: '[name]-[hash]',
    outdir: dir,
    plugins: [svelte()],
    logLevel: 'warning',
  });
  const shared: Record<string, string> = {};
  const graph: Record<string, string[]> = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    const url = urlOf(outDir, join(ROOT, file));
    graph[url] = out.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => urlOf(outDir, join(ROOT, i.path)));
    if (!out.entryPoint) continue;
    const entry = SHARED_ENTRIES.find((e) => basename(file).startsWith(e.specifier.replace(/^@/, '').replace(/\//g, '-') + '-')
      && /^[A-Z0-9]{8}\.js$/.test(basename(file).slice(e.specifier.replace(/^@/, '').replace(/\//g, '-').length + 1)));
    if (entry) shared[entry.specifier] = url;
  }
  for (const e of SHARED_ENTRIES) if (!shared[e.specifier]) throw new Error(`shared build: no output for ${e.specifier}`);
  return { shared, graph };
}

// ------------------------------------------------------------------------------------------ modules
export async function listModules(): Promise<string[]> {
  const names = await readdir(MODULES_DIR, { withFileTypes: true });
  return names.filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.')
    && existsSync(join(MODULES_DIR, d.name, 'manifest.json'))).map((d) => d.name).sort();
}

/** The esbuild options of one module in the monorepo (scripts/lib/module-build.ts). */
export const moduleBuildOptions = (dir: string, entryName: string, outdir: string) => moduleBuildOptionsIn(dir, entryName, outdir, PLACE);

/** Builds one module directory to modules/<name>/<version>/<name>-<hash>.{js,css} (scripts/lib/module-build.ts). */
export const buildModule = (dir: string, outDir: string) => buildModuleIn(dir, outDir, PLACE);

// ------------------------------------------------------------------------------------------ shell
async function buildShell(outDir: string, shared: Record<string, string>, sharedGraph: Record<string, string[]>): Promise<ShellInfo> {
  const dir = join(outDir, 'shell');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const js = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { 'root-config': join(SHELL_DIR, 'src/root-config.ts') },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none', banner: EAGER_COMPILE,
    write: false, external: EXTERNALS, outdir: dir, plugins: [kitAsExternal(KIT_DIR)], logLevel: 'warning',
  });
  const css = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { shell: join(SHELL_DIR, 'src/styles.css') },
    bundle: true, minify: true, write: false, outdir: dir, logLevel: 'warning',
  });
  const jsOut = js.outputFiles[0], cssOut = css.outputFiles[0];
  const jsFile = join(dir, `root-config-${contentHash(jsOut.contents)}.js`);
  const cssFile = join(dir, `shell-${contentHash(cssOut.contents)}.css`);
  await writeFile(jsFile, jsOut.contents);
  await writeFile(cssFile, cssOut.contents);
  const sharedIntegrity: Record<string, string> = {};
  for (const url of Object.keys(sharedGraph)) sharedIntegrity[url] = sri(await readFile(join(outDir, url)));
  // import-map-overrides, for the registry's dev variant of index.html only (docs/MODULES.md)
  // (the package's exports hide dist/*: resolve the package, then its browser build beside it)
  const overridesJs = await readFile(join(dirname(createRequire(import.meta.url).resolve('import-map-overrides')), 'import-map-overrides.js'));
  const overridesFile = join(dir, `import-map-overrides-${contentHash(overridesJs)}.js`);
  await writeFile(overridesFile, overridesJs);
  const info: ShellInfo = {
    js: urlOf(outDir, jsFile), jsIntegrity: sri(jsOut.contents),
    css: urlOf(outDir, cssFile), cssIntegrity: sri(cssOut.contents),
    shared, sharedGraph, sharedIntegrity,
    importMapOverrides: { url: urlOf(outDir, overridesFile), integrity: sri(overridesJs) },
  };
  await writeFile(join(dir, 'shell.json'), JSON.stringify(info, null, 2) + '\n');
  return info;
}


/** Renders index.html (import map inline + matching CSP), importmap.json, modules.json and csp.txt. */
export async function writeRegistryFiles(outDir: string, shell: ShellInfo, modules: Record<string, ModuleEntry>) {
  if (!shell.sharedIntegrity) {
    shell.sharedIntegrity = {};
    for (const url of Object.keys(shell.sharedGraph)) shell.sharedIntegrity[url] = sri(await readFile(join(outDir, url)));
  }
  const template = await readFile(join(SHELL_DIR, 'index.html'), 'utf8');
  const site = renderSite({ template, shell, modules });
  for (const [file, body] of Object.entries(site.files)) await writeFile(join(outDir, file), body);
  // What the module registry renders from (it may read shell/* in the bucket; the files above are its own).
  await writeFile(join(outDir, REGISTRY_BASE), JSON.stringify({ template, shell, modules }) + '\n');
  return { importMap: site.importMap, preload: site.preload };
}

// ------------------------------------------------------------------------------------------ embed
const EMBED_DIR = join(ROOT, 'embed');

/** The embed page's policy: its own script and style only; frame-ancestors (header only) lets any site frame it. */
export function embedCspPolicy(opts: { header: boolean }): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (opts.header) directives.push('frame-ancestors *');
  return directives.join('; ');
}

/**
 * /embed: one self-contained page (no import map, no shared runtime: plain TS + the kit's
 * share scene drawing SVG, so an embed never loads chart.js or Svelte), its CSS, and the
 * host-page helper /embed/host.js (stable URL, not hashed).
 *   embed/index.html, embed/embed-<hash>.{js,css}, embed/host.js, embed/csp.txt, embed/sizes.json
 */
export async function buildEmbed(outDir: string) {
  const dir = join(outDir, 'embed');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const common = { absWorkingDir: ROOT, bundle: true, platform: 'browser', target: 'es2022', minify: true, legalComments: 'none', banner: EAGER_COMPILE, write: false, logLevel: 'warning' } as const;
  const [page, host] = await Promise.all([
    esbuild.build({ ...common, entryPoints: { embed: join(EMBED_DIR, 'src/main.ts') }, format: 'esm', outdir: dir }),
    esbuild.build({ ...common, entryPoints: { host: join(EMBED_DIR, 'host.ts') }, format: 'iife', outdir: dir }),
  ]);
  const css = await esbuild.build({ ...common, entryPoints: { embed: join(EMBED_DIR, 'src/embed.css') }, outdir: dir });
  const js = page.outputFiles[0].contents, cssBytes = css.outputFiles[0].contents, hostJs = host.outputFiles[0].contents;
  const jsUrl = `/embed/embed-${contentHash(js)}.js`, cssUrl = `/embed/embed-${contentHash(cssBytes)}.css`;
  await writeFile(join(outDir, jsUrl), js);
  await writeFile(join(outDir, cssUrl), cssBytes);
  await writeFile(join(dir, 'host.js'), hostJs);
  const template = await readFile(join(EMBED_DIR, 'index.html'), 'utf8');
  const html = template
    .replace('<!-- csp -->', `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(embedCspPolicy({ header: false }))}">`)
    .replace('<!-- head -->', [
      SITE_ICON,
      `<link rel="stylesheet" href="${cssUrl}" integrity="${sri(cssBytes)}">`,
      `<link rel="preload" href="/data/units.json" as="fetch" crossorigin="anonymous">`,
      `<script type="module" src="${jsUrl}" integrity="${sri(js)}"></script>`,
    ].join('\n    '));
  if (html.includes('<!-- head -->') || html.includes('<!-- csp -->')) throw new Error('embed/index.html: placeholders missing');
  await writeFile(join(dir, 'index.html'), html);
  await writeFile(join(dir, 'csp.txt'), embedCspPolicy({ header: true }) + '\n');
  const sizes = {
    html: { raw: Buffer.byteLength(html), gzip: gz(html) },
    js: { raw: js.length, gzip: gz(js) },
    css: { raw: cssBytes.length, gzip: gz(cssBytes) },
    host: { raw: hostJs.length, gzip: gz(hostJs) },
  };
  await writeFile(join(dir, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  return sizes;
}

// ------------------------------------------------------------------------------------------ sizes
/** The JS, CSS and HTML of the first view of `/`, by URL, and their gzipped sizes (DESIGN.md § Budgets). */
export interface FirstViewSizes {
  /** every file the first view loads before data (test/browser/dashboards.test.ts checks the browser loads these and no other) */
  files: { js: string[]; css: string[]; html: string };
  js: { raw: number; gzip: number };
  css: { raw: number; gzip: number };
  html: { raw: number; gzip: number };
  /** html + css + js, gzip: the transfer before the /data snapshots (those are measured by bench/lighthouse.bench.ts) */
  totalBeforeData: { raw: number; gzip: number };
}

async function sizeReport(outDir: string, shell: ShellInfo, modules: Record<string, ModuleEntry>) {
  const size = async (url: string) => { const b = await readFile(join(outDir, url)); return { raw: b.length, gzip: gz(b) }; };
  const sum = async (urls: string[]) => {
    let raw = 0, gzip = 0;
    for (const u of new Set(urls)) { const s = await size(u); raw += s.raw; gzip += s.gzip; }
    return { raw, gzip };
  };
  const sharedOf = (specs: string[]) => closure(shell.sharedGraph, specs.map((s) => shell.shared[s]));
  const runtime = sharedOf(PRELOAD);
  // The overview draws its chart as SVG with the kit (no chart.js), so this is the first view
  // whether its chart is on screen (desktop) or below the fold (phone).
  const files = {
    js: [shell.js, ...runtime, ...(modules.overview ? [modules.overview.url] : [])],
    css: [shell.css, ...(modules.overview?.css ? [modules.overview.css] : [])],
    html: '/index.html',
  };
  const chartFiles = sharedOf([`${SCOPE}/kit/charts`]).filter((u) => !runtime.includes(u));
  const [js, css, html] = await Promise.all([sum(files.js), sum(files.css), size(files.html)]);
  const firstView: FirstViewSizes = {
    files, js, css, html,
    totalBeforeData: { raw: js.raw + css.raw + html.raw, gzip: js.gzip + css.gzip + html.gzip },
  };
  const report = {
    firstView,
    shell: await size(shell.js),
    svelteRuntime: await sum(sharedOf(['svelte/internal/client', 'svelte/internal/disclose-version'])),
    singleSpa: await sum(sharedOf(['single-spa'])),
    kit: await sum(sharedOf([`${SCOPE}/kit`]).filter((u) => !sharedOf(['svelte/internal/client']).includes(u))),
    /** chart.js, loaded by the other modules' charts when they scroll into view */
    charts: { files: chartFiles, ...(await sum(chartFiles)) },
    modules: Object.fromEntries(await Promise.all(Object.entries(modules).map(async ([n, m]) => [n, await size(m.url)] as const))),
  };
  await writeFile(join(outDir, 'sizes.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

// ------------------------------------------------------------------------------------------ main
export interface BuildOptions {
  outDir?: string;
  /** build only this module into an existing outDir */
  module?: string;
  /** module directories (default: every microfrontends/<name> with a manifest) */
  moduleDirs?: string[];
  quiet?: boolean;
}

export async function buildWeb(opts: BuildOptions = {}) {
  const outDir = resolve(opts.outDir ?? join(ROOT, 'dist/web'));
  const log = opts.quiet ? () => {} : (s: string) => console.log(s);
  const started = performance.now();
  let shell: ShellInfo;
  let modules: Record<string, ModuleEntry>;

  if (opts.module) {
    const infoFile = join(outDir, 'shell/shell.json');
    if (!existsSync(infoFile)) throw new Error(`${relative(ROOT, outDir)} has no full build yet: run \`npm run build\` first`);
    shell = JSON.parse(await readFile(infoFile, 'utf8'));
    modules = existsSync(join(outDir, 'modules.json')) ? JSON.parse(await readFile(join(outDir, 'modules.json'), 'utf8')) : {};
    const dir = opts.moduleDirs?.find((d) => basename(d) === opts.module) ?? join(MODULES_DIR, opts.module);
    if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no module "${opts.module}" (${relative(ROOT, dir)}/manifest.json)`);
    const built = await buildModule(dir, outDir);
    modules[built.name] = built.entry;
    log(`module ${built.name}@${built.entry.version} → ${built.entry.url} (${(built.gzip / 1024).toFixed(1)} KB gz)`);
  } else {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const { shared, graph } = await buildShared(outDir);
    const dirs = opts.moduleDirs ?? (await listModules()).map((n) => join(MODULES_DIR, n));
    modules = {};
    for (const built of await Promise.all(dirs.map((d) => buildModule(d, outDir)))) modules[built.name] = built.entry;
    shell = await buildShell(outDir, shared, graph);
    const embed = await buildEmbed(outDir);
    log(`  embed page: ${((embed.html.gzip + embed.js.gzip + embed.css.gzip) / 1024).toFixed(1)} KB gz (html+js+css, before data); host.js ${embed.host.gzip} B gz`);
  }
  await rm(join(outDir, 'tmp'), { recursive: true, force: true });
  await writeRegistryFiles(outDir, shell, modules);
  const sizes = await sizeReport(outDir, shell, modules);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  log(`dist → ${relative(process.cwd(), outDir) || '.'} in ${Math.round(performance.now() - started)} ms`);
  const fv = sizes.firstView;
  log(`  first view of / (chart on screen or not): JS ${kb(fv.js.gzip)} gz, CSS ${kb(fv.css.gzip)} gz, HTML ${kb(fv.html.gzip)} gz = ${kb(fv.totalBeforeData.gzip)} gz before data`);
  log(`  svelte ${kb(sizes.svelteRuntime.gzip)} · single-spa ${kb(sizes.singleSpa.gzip)} · kit ${kb(sizes.kit.gzip)} · charts ${kb(sizes.charts.gzip)} · shell ${kb(sizes.shell.gzip)}`);
  for (const [n, s] of Object.entries(sizes.modules)) log(`  module ${n}: ${kb(s.gzip)} gz`);
  return { outDir, modules, shell, sizes };
}

function parseArgs(argv: string[]): BuildOptions {
  const opts: BuildOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--module') opts.module = argv[++i];
    else if (a.startsWith('--module=')) opts.module = a.slice(9);
    else if (a === '--out') opts.outDir = argv[++i];
    else if (a.startsWith('--out=')) opts.outDir = a.slice(6);
    else if (a === '--quiet') opts.quiet = true;
    else throw new Error(`unknown argument ${a} (usage: build-web.ts [--module NAME] [--out DIR] [--quiet])`);
  }
  if (opts.outDir) opts.outDir = resolve(process.env.INIT_CWD ?? process.cwd(), opts.outDir);
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb(parseArgs(process.argv.slice(2))).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
