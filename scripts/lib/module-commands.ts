/**
 * The team commands of one micro-frontend (docs/MODULES.md), the same in the monorepo (`npm run module -- …`,
 * scripts/module.ts) and in a team's own repository (`npx itmap-module …`, the kit's bin: scripts/itmap-module.ts
 * bundled into packages/kit/bin by scripts/kit-bin.ts). Only where things are differs: a `Place` says where the
 * kit is, where a module's folder is by default and how its tests run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildModule, moduleBuildOptions, readManifest, type BuildPlace } from './module-build.ts';
import { SCOPE } from '../../functions/src/domain/modules/render.ts';
import { MODULE_ASSET_TYPES, STAGING_PREFIX, assertSize, stagedKeyOf } from '../../functions/src/domain/modules/rules.ts';

/**
 * Where the commands run. The monorepo: the kit of packages/kit, modules in microfrontends/<name>, builds into
 * dist/module-builds, deploys into the local stack's .data/public. A team's repository: the kit installed in
 * node_modules, the repository itself is the module, builds into dist/.
 */
export interface Place extends BuildPlace {
  /** The module folder of `name` when no --dir is given. */
  moduleDir(name: string): string;
  /** Where `build` writes when no --out is given. */
  outDir: string;
  /** The local stack's public folder, when neither --public-dir nor --bucket is given (none: one must be). */
  publicDir?: string;
  /** Runs a module's unit tests; resolves to the exit code. */
  test(dir: string): number;
}

const ROOT = resolve(import.meta.dirname, '../..');
/** The monorepo's place (scripts/module.ts). */
export const MONOREPO: Place = {
  kitDir: join(ROOT, 'packages/kit'), workingDir: ROOT,
  moduleDir: (name) => join(ROOT, 'microfrontends', name),
  outDir: join(ROOT, 'dist/module-builds'),
  publicDir: join(ROOT, '.data/public'),
  test: (dir) => spawnSync('npx', ['vitest', 'run', relative(ROOT, dir)], { cwd: ROOT, stdio: 'inherit' }).status ?? 1,
};

export interface Target { url: string; key?: string }
export interface BuiltModule { name: string; version: string; outDir: string; files: string[]; body: Record<string, unknown> }

/** Builds one module into `outDir` (its own folder, never the site build) and returns the version to publish. */
export async function build(name: string, options: { dir?: string; outDir?: string; place?: Place } = {}): Promise<BuiltModule> {
  const place = options.place ?? MONOREPO;
  const dir = resolve(options.dir ?? place.moduleDir(name));
  const outDir = resolve(options.outDir ?? place.outDir);
  const built = await buildModule(dir, outDir, place);
  if (built.name !== name) throw new Error(`${dir} is the module "${built.name}", not "${name}"`);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const { entry } = built;
  const prefix = `modules/${name}/${entry.version}`;
  const files = [
    ...(await readdir(join(outDir, prefix))).map((file) => `${prefix}/${file}`).filter((file) => [entry.url, entry.css].includes('/' + file)),
    ...built.data.map((file) => file.url.slice(1)),
  ];
  const body = {
    name, version: entry.version, url: entry.url, integrity: entry.integrity,
    ...(entry.css ? { css: entry.css, cssIntegrity: entry.cssIntegrity } : {}),
    ...(built.data.length ? { data: built.data } : {}),
    manifest: { name, owner: manifest.owner, route: manifest.route, title: manifest.title, ...(manifest.data ? { data: manifest.data } : {}) },
  };
  return { name, version: entry.version, outDir, files, body };
}

/** The registry's size limits, checked before anything is uploaded. */
async function checkSizes(built: BuiltModule): Promise<void> {
  // (data files were checked by the build: size and schema, as the registry checks them)
  const { url, css } = built.body as { url: string; css?: string };
  for (const [field, path] of [['url', url], ...(css ? [['css', css]] : [])] as ['url' | 'css', string][]) {
    assertSize(field, path, (await stat(join(built.outDir, path))).size);
  }
}

/**
 * Uploads the built files to the staging area (`modules/_staging/<name>/<version>/`, `stagedKeyOf`): a folder
 * locally, an S3 prefix on AWS. The registry copies them into the immutable `modules/<name>/<version>/` only when
 * it accepts the publish, so a refused deploy never writes the version's folder. Returns the keys it staged.
 */
export async function upload(built: BuiltModule, destination: { publicDir?: string; bucket?: string }): Promise<string[]> {
  const staged = built.files.map((file) => ({ file, key: stagedKeyOf(`/${file}`) }));
  if (destination.bucket) {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({});
    for (const { file, key } of staged) {
      await s3.send(new PutObjectCommand({
        Bucket: destination.bucket, Key: key, Body: await readFile(join(built.outDir, file)),
        ContentType: MODULE_ASSET_TYPES[extname(file)], // build() lists only .js, .css and data/*.json, data/*.csv
        CacheControl: 'no-store',
      }));
    }
  } else {
    const root = publicRoot(destination);
    for (const { file, key } of staged) {
      await mkdir(join(root, key, '..'), { recursive: true });
      await copyFile(join(built.outDir, file), join(root, key));
    }
  }
  return staged.map(({ key }) => key);
}

function publicRoot(destination: { publicDir?: string }): string {
  if (!destination.publicDir) throw new Error('where to upload: --bucket BUCKET (AWS) or --public-dir DIR (a local stack\'s public folder)');
  return resolve(destination.publicDir);
}

/** Removes what upload() staged (the registry has copied what it accepted); on S3 a lifecycle rule also expires leftovers. */
export async function unstage(keys: string[], destination: { publicDir?: string; bucket?: string }): Promise<void> {
  if (destination.bucket) {
    const { S3Client, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({});
    await Promise.all(keys.map((key) => s3.send(new DeleteObjectCommand({ Bucket: destination.bucket, Key: key }))));
    return;
  }
  const root = publicRoot(destination);
  for (const key of keys) {
    await rm(join(root, key), { force: true });
    // empty folders up to the staging area go too
    for (let folder = join(root, key, '..'); folder.startsWith(join(root, STAGING_PREFIX)) && folder !== join(root, STAGING_PREFIX); folder = join(folder, '..')) {
      if ((await readdir(folder).catch(() => ['?'])).length) break;
      await rm(folder, { recursive: true, force: true });
    }
  }
}

async function call(target: Target, method: string, path: string, body?: unknown) {
  const response = await fetch(`${target.url.replace(/\/$/, '')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(target.key ? { authorization: `Bearer ${target.key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = (await response.json().catch(() => ({}))) as Record<string, any>;
  if (!response.ok) {
    const error = new Error(`${method} ${path}: ${response.status} ${reply.error?.code ?? ''}: ${reply.error?.message ?? response.statusText}`) as Error & { status: number; reply: unknown };
    error.status = response.status;
    error.reply = reply;
    throw error;
  }
  return reply;
}

export const check = (target: Target, built: Pick<BuiltModule, 'name' | 'body'>) => call(target, 'POST', `/api/v1/modules/${built.name}/check`, built.body);
export const publish = (target: Target, built: Pick<BuiltModule, 'name' | 'body'>) => call(target, 'POST', `/api/v1/modules/${built.name}/versions`, built.body);
export const preview = (target: Target, built: Pick<BuiltModule, 'name' | 'body'>) => call(target, 'POST', `/api/v1/modules/${built.name}/preview`, built.body);
export const retire = (target: Target, name: string) => call(target, 'POST', `/api/v1/modules/${name}/retire`);
export const rollback = (target: Target, name: string, version: string) => call(target, 'POST', `/api/v1/modules/${name}/rollback`, { version });
export const history = (target: Target, name: string) => call(target, 'GET', `/api/v1/modules/${name}/versions`);
export const errors = (target: Target, name: string) => call(target, 'GET', `/api/v1/modules/${name}/errors`);

/**
 * A version folder is written only when its publish succeeds: the registry checks the key, the rules and
 * immutability before anything is uploaded (a 403 or 409 uploads nothing), the files go to the staging area,
 * and the registry itself copies them into `modules/<name>/<version>/` once it accepts the publish. The staged
 * copies are removed afterwards, whatever the outcome.
 */
export async function deploy(name: string, options: Target & { dir?: string; publicDir?: string; bucket?: string; outDir?: string; preview?: boolean; place?: Place }) {
  const place = options.place ?? MONOREPO;
  if (!options.bucket && !options.publicDir && !place.publicDir) publicRoot(options); // says where to upload, before building
  const destination = { bucket: options.bucket, publicDir: options.bucket ? undefined : options.publicDir ?? place.publicDir };
  const built = await build(name, options);
  await checkSizes(built);
  await check(options, built);
  const staged = await upload(built, destination);
  try {
    return { built, reply: await (options.preview ? preview : publish)(options, built) };
  } finally {
    await unstage(staged, destination);
  }
}

/**
 * Local development of one module against a running site (`npm run module -- dev <name>`): esbuild rebuilds it
 * on every change (watch) and serves it at `http://127.0.0.1:<port>/main.js` (+ `main.css`), with CORS for the
 * site's origins only. The site, started with ALLOW_IMPORT_MAP_OVERRIDES=true, loads it instead of the published
 * version through import-map-overrides (its dev page allows scripts, styles and connections from localhost).
 */
export async function dev(name: string, options: { dir?: string; port?: number; origins: string[]; place?: Place }) {
  const place = options.place ?? MONOREPO;
  const dir = resolve(options.dir ?? place.moduleDir(name));
  const { manifest } = await readManifest(dir);
  if (manifest.name !== name) throw new Error(`${dir} is the module "${manifest.name}", not "${name}"`);
  const esbuild = await import('esbuild');
  const outdir = await mkdtemp(join(tmpdir(), `itmap-dev-${name}-`));
  const context = await esbuild.context({
    ...moduleBuildOptions(dir, 'main', outdir, place), minify: false, metafile: false, sourcemap: 'linked', write: true, logLevel: 'info',
  });
  await context.watch();
  // its own data (data/*.json, *.csv) beside main.js, where moduleData(import.meta.url, …) looks (copied at start)
  if (existsSync(join(dir, 'data'))) await cp(join(dir, 'data'), join(outdir, 'data'), { recursive: true });
  const served = await context.serve({ host: '127.0.0.1', port: options.port ?? 5173, servedir: outdir, cors: { origin: options.origins } });
  const url = `http://127.0.0.1:${served.port}/main.js`;
  return { url, specifier: `${SCOPE}/${name}`, stop: () => context.dispose() };
}

/** The site's origin, and its twin on the other loopback name (a browser treats localhost and 127.0.0.1 as two origins). */
export function siteOrigins(siteUrl: string): string[] {
  const origin = new URL(siteUrl).origin;
  const twin = origin.replace('//localhost', '//127.0.0.1') === origin ? origin.replace('//127.0.0.1', '//localhost') : origin.replace('//localhost', '//127.0.0.1');
  return [...new Set([origin, twin])];
}

/**
 * The command line (`npm run module -- …` in the monorepo, `npx itmap-module …` in a team's repository). In a team's
 * repository the module's name may be left out (`place.defaultName`: the manifest's), so `itmap-module deploy`.
 */
export async function main(argv: string[], place: Place, defaultName?: string) {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.REGISTRY_URL ?? 'http://localhost:8080' },
      key: { type: 'string', default: process.env.MODULE_KEY ?? 'dev-ingest-key' },
      dir: { type: 'string' }, 'public-dir': { type: 'string', default: process.env.MODULE_PUBLIC_DIR }, bucket: { type: 'string', default: process.env.MODULE_BUCKET }, out: { type: 'string' }, preview: { type: 'boolean' }, port: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  // a module name starts with a letter, a version with a digit: `itmap-module rollback 1.2.0` names no module
  if (defaultName && (rest.length === 0 || /^\d/.test(rest[0]))) rest.unshift(defaultName);
  const [name, version] = rest;
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const dir = values.dir ? resolve(cwd, values.dir) : undefined;
  const target = { url: values.url!, key: values.key };
  if (!name || !['build', 'test', 'dev', 'deploy', 'rollback', 'retire', 'history', 'errors'].includes(command)) {
    throw new Error('usage: npm run module -- build|test|dev|deploy|retire|history|errors <name> | rollback <name> <version> [--url URL --key KEY --bucket B --public-dir D --dir D --out D --preview]');
  }
  if (command === 'build') {
    const built = await build(name, { dir, outDir: values.out ? resolve(cwd, values.out) : undefined, place });
    console.log(`${name}@${built.version}: ${built.files.join(', ')} in ${relative(cwd, built.outDir) || '.'}`);
    console.log(JSON.stringify(built.body, null, 2));
  } else if (command === 'dev') {
    const served = await dev(name, { dir, port: values.port === undefined ? undefined : Number(values.port), origins: siteOrigins(target.url), place });
    console.log(`${name}: rebuilt on every change, served at ${served.url} (CORS: ${siteOrigins(target.url).join(', ')})`);
    console.log(`On the site started with ALLOW_IMPORT_MAP_OVERRIDES=true npm start, in the browser's console:`);
    console.log(`  importMapOverrides.addOverride(${JSON.stringify(served.specifier)}, ${JSON.stringify(served.url)}); location.reload()`);
    console.log('(or the overrides panel: localStorage.setItem("imo-ui", true) and reload; Ctrl+C stops)');
  } else if (command === 'test') {
    process.exitCode = place.test(dir ?? place.moduleDir(name));
  } else if (command === 'deploy') {
    const publicDir = values['public-dir'] ? resolve(cwd, values['public-dir']) : undefined;
    const { built, reply } = await deploy(name, { ...target, dir, publicDir, bucket: values.bucket, preview: values.preview, place });
    if (values.preview) {
      console.log(`${name}@${built.version} ${reply.created ? 'recorded' : 'was already recorded'}, not live; preview it at ${target.url.replace(/\/$/, '')}${reply.link} (?preview=off to leave); npm run module -- deploy ${name} makes it current`);
      return;
    }
    console.log(`${name}@${built.version} ${reply.created ? 'published' : 'was already published'}; live at revision ${reply.revision}: ${reply.version.url}`);
  } else if (command === 'errors') {
    const reply = await errors(target, name);
    if (!reply.days.length) console.log(`${name}: no error reported since ${reply.since}`);
    for (const day of reply.days) {
      const versions = Object.entries(day.byVersion as Record<string, Record<string, number>>).map(([v, kinds]) => `${v} ${Object.entries(kinds).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
      console.log(`${day.day}  ${String(day.total).padStart(5)}${day.capped ? ' (capped)' : ''}  ${versions.join('; ')}`);
    }
  } else if (command === 'rollback') {
    if (!version) throw new Error('usage: npm run module -- rollback <name> <version>');
    const reply = await rollback(target, name, version);
    console.log(`${name} is back at ${reply.version.version} (revision ${reply.revision})`);
  } else if (command === 'retire') {
    const reply = await retire(target, name);
    console.log(`${name} is retired since ${reply.retired.at} (revision ${reply.revision}); its history is kept: deploy or rollback brings it back`);
  } else {
    const reply = await history(target, name);
    if (reply.retired) console.log(`${name} is retired since ${reply.retired.at} by ${reply.retired.by}`);
    for (const v of reply.versions) console.log(`${v.version === reply.current ? '*' : ' '} ${v.version.padEnd(12)} ${v.publishedAt.padEnd(26)} ${v.publishedBy.padEnd(20)} ${v.url}`);
  }
}

