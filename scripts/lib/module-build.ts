/**
 * The build of one module, the only one: the site build (`scripts/build-web.ts`), `npm run module -- build|dev|deploy`
 * in the monorepo, and the kit's `itmap-module` bin in a team's own repository (this file bundled into it by
 * `scripts/kit-bin.ts`) all call it, so the same source gives the same bytes, the same file names and the same SRI
 * wherever it is built (`test/integration/standalone-module.test.ts`).
 *
 * A module is its `src/main.ts` as one minified ES module (+ CSS), with the shared dependencies and the kit left as
 * bare import-map specifiers. The output depends on esbuild, esbuild-svelte and the Svelte compiler: the kit pins the
 * versions the platform builds with (packages/kit/package.json, checked against the monorepo's by
 * `scripts/kit-bin.test.ts`).
 */
import * as esbuild from 'esbuild';
import esbuildSvelte from 'esbuild-svelte';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { sri, SCOPE, type ModuleEntry, type ModuleManifest } from '../../functions/src/domain/modules/render.ts';
import { assertDataSize, assertDataValid, moduleNameProblem, routeProblem, type ModuleDataFile } from '../../functions/src/domain/modules/rules.ts';

/**
 * The first line of every script the site builds: Chrome (136+) then compiles all of a file's functions while it
 * streams in, off the main thread, instead of each on its first call, on the main thread, while the page renders
 * (V8's explicit compile hints; other browsers read a comment). Most of a first view's code runs at once.
 */
export const EAGER_COMPILE = { js: '//# allFunctionsCalledOnLoad' };

/** The kit's entries a module or the shell may import: each is one shared build, resolved through the import map. */
export const KIT_ENTRIES: readonly string[] = [`${SCOPE}/kit`, `${SCOPE}/kit/core`, `${SCOPE}/kit/charts`];
/**
 * What the import map shares (the site build's shared build makes exactly these): only what the Svelte compiler
 * emits and the kit. A module importing anything else external fails its build with a message saying so.
 */
export const SHARED_SPECIFIERS: readonly string[] = [
  'svelte', 'svelte/internal/client', 'svelte/internal/disclose-version', 'svelte/internal/flags/legacy', 'svelte/internal/flags/async',
  'single-spa', ...KIT_ENTRIES,
];
export const EXTERNALS = ['svelte', 'svelte/*', 'single-spa', `${SCOPE}/*`];

export const contentHash = (...parts: (Uint8Array | string)[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 10);
};
export const gz = (bytes: Uint8Array | string) => gzipSync(bytes, { level: 9 }).length;
export const urlOf = (outDir: string, file: string) => '/' + relative(outDir, file).split('\\').join('/');

// esbuild-svelte is CommonJS whose types declare an ES default export: the import is the function itself
const sveltePlugin = esbuildSvelte as unknown as (opts: { compilerOptions?: Record<string, unknown> }) => esbuild.Plugin;
/**
 * Svelte scopes a component's CSS by a hash of its file name, which esbuild-svelte gives relative to the working
 * directory: the same source built from another folder (`npm run build -w microfrontends/x` runs in the module's
 * folder, a team's repository is elsewhere) would get other class names, so other bytes and another SRI. The hash is
 * of the component's name and CSS instead: the same source gives the same bytes wherever it is built from.
 */
const cssHash = ({ name, css, hash }: { name: string; css: string; hash: (input: string) => string }) => `svelte-${hash(`${name}\n${css}`)}`;
export const svelte = () => sveltePlugin({ compilerOptions: { css: 'external', cssHash } });

/**
 * Keeps the kit out of modules and the shell: its entries stay bare specifiers (the import map serves the one
 * shared build); any other kit path, by package subpath or by relative path into the kit's folder, fails the build.
 */
export function kitAsExternal(kitDir: string): esbuild.Plugin {
  const refuse = (what: string) => ({ errors: [{ text: `import the kit through its entries only (${KIT_ENTRIES.join(', ')}), not ${what}` }] });
  return {
    name: 'kit-as-external',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${SCOPE}/kit(/|$)`) }, (args) => (KIT_ENTRIES.includes(args.path) ? { path: args.path, external: true } : refuse(args.path)));
      build.onResolve({ filter: /\/kit\// }, (args) => {
        if (!args.path.startsWith('.')) return undefined;
        const abs = resolve(args.resolveDir, args.path);
        return abs.startsWith(kitDir + '/') ? refuse(`${SCOPE}/kit/${relative(kitDir, abs)}`) : undefined;
      });
      build.onResolve({ filter: /^chart\.js(\/|$)/ }, () => ({
        errors: [{ text: `chart.js is shared: use the kit's ChartFigure (or ${SCOPE}/kit/charts), never import chart.js in a module` }],
      }));
    },
  };
}

/** A module folder's manifest and version, checked by the registry's own rules (name, route) before anything is built. */
export async function readManifest(dir: string): Promise<{ manifest: ModuleManifest; version: string; packageName: string }> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModuleManifest;
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  const problems: string[] = [];
  const nameError = moduleNameProblem(manifest.name);
  if (nameError) problems.push(nameError);
  if (basename(dir) !== manifest.name) problems.push(`name "${manifest.name}" must match its folder "${basename(dir)}"`);
  if (!manifest.owner) problems.push('owner is required');
  const routeError = routeProblem(manifest.route);
  if (routeError) problems.push(`route ${routeError}`);
  if (!manifest.title?.vi || !manifest.title?.en) problems.push('title needs vi and en');
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version ?? '')) problems.push('package.json version must be semver');
  if (problems.length) throw new Error(`${dir}: ${problems.join('; ')}`);
  return { manifest, version: pkg.version, packageName: pkg.name };
}

/** Where the kit's files are, so a relative path into them can be refused; and the folder builds run in. */
export interface BuildPlace { kitDir: string; workingDir: string }

/**
 * The esbuild options of one module: its `src/main.ts` as one ES module (+ CSS), shared dependencies and the
 * kit external (import-map specifiers). The build and `module dev` (watch) use the same.
 */
export function moduleBuildOptions(dir: string, entryName: string, outdir: string, place: BuildPlace) {
  return {
    absWorkingDir: place.workingDir,
    entryPoints: { [entryName]: join(dir, 'src/main.ts') },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    minify: true, legalComments: 'none', metafile: true, banner: EAGER_COMPILE,
    external: EXTERNALS,
    outdir,
    plugins: [kitAsExternal(place.kitDir), svelte()],
    logLevel: 'warning',
  } satisfies esbuild.BuildOptions;
}

/**
 * A module's own data (docs/MODULES.md § Data of its own): every file of its `data/` folder, each declared in
 * `manifest.data` with its schema, checked as the registry checks it at publish (size, schema), copied to
 * `<outDir>/modules/<name>/<version>/data/`. Returns their URLs and SRI (none: a module without data).
 */
export async function buildModuleData(dir: string, outDir: string, manifest: ModuleManifest, version: string): Promise<ModuleDataFile[]> {
  const declared = manifest.data ?? {};
  const present = existsSync(join(dir, 'data')) ? (await readdir(join(dir, 'data'))).sort() : [];
  const undeclared = present.filter((file) => !(file in declared));
  if (undeclared.length) throw new Error(`${manifest.name}: data/${undeclared[0]} is not declared in manifest.json's "data" (file → its schema)`);
  const missing = Object.keys(declared).filter((file) => !present.includes(file));
  if (missing.length) throw new Error(`${manifest.name}: manifest.json's "data" declares ${missing[0]}, which is not in data/`);
  const files: ModuleDataFile[] = [];
  let total = 0;
  for (const file of Object.keys(declared).sort()) {
    const bytes = await readFile(join(dir, 'data', file));
    const url = `/modules/${manifest.name}/${version}/data/${file}`;
    assertDataSize(url, bytes.length, total += bytes.length);
    assertDataValid(url, bytes, declared[file]);
    await mkdir(join(outDir, 'modules', manifest.name, version, 'data'), { recursive: true });
    await writeFile(join(outDir, url), bytes);
    files.push({ url, integrity: sri(bytes) });
  }
  return files;
}

/** Builds one module directory to `<outDir>/modules/<name>/<version>/<name>-<hash>.{js,css}` (+ its data/). */
export async function buildModule(dir: string, outDir: string, place: BuildPlace): Promise<{ name: string; entry: ModuleEntry; gzip: number; data: ModuleDataFile[] }> {
  const { manifest, version } = await readManifest(dir);
  const result = await esbuild.build({ ...moduleBuildOptions(dir, manifest.name, join(outDir, 'tmp'), place), write: false });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js) throw new Error(`${manifest.name}: no JS output`);
  const inputs = Object.keys(result.metafile.inputs);
  const bundledDeps = inputs.filter((i) => /node_modules\/(svelte|single-spa|chart\.js)\//.test(i));
  if (bundledDeps.length) throw new Error(`${manifest.name}: shared dependencies were bundled: ${bundledDeps.slice(0, 3).join(', ')}`);
  const unknown = Object.values(result.metafile.outputs).flatMap((o) => o.imports)
    .filter((i) => i.external && !SHARED_SPECIFIERS.includes(i.path)).map((i) => i.path);
  if (unknown.length) {
    throw new Error(`${manifest.name}: imports ${[...new Set(unknown)].join(', ')}, which the import map does not share (scripts/lib/module-build.ts SHARED_SPECIFIERS)`);
  }
  const hash = contentHash(js.contents, css?.contents ?? '');
  const dest = join(outDir, 'modules', manifest.name, version);
  await mkdir(dest, { recursive: true });
  const jsFile = join(dest, `${manifest.name}-${hash}.js`);
  await writeFile(jsFile, js.contents);
  let cssUrl: string | null = null, cssIntegrity: string | null = null;
  if (css) {
    const cssFile = join(dest, `${manifest.name}-${hash}.css`);
    await writeFile(cssFile, css.contents);
    cssUrl = urlOf(outDir, cssFile);
    cssIntegrity = sri(css.contents);
  }
  const data = await buildModuleData(dir, outDir, manifest, version);
  return {
    name: manifest.name,
    data,
    gzip: gz(js.contents),
    entry: {
      version, url: urlOf(outDir, jsFile), integrity: sri(js.contents), css: cssUrl, cssIntegrity,
      specifier: `${SCOPE}/${manifest.name}`, owner: manifest.owner, route: manifest.route, title: manifest.title,
    },
  };
}
