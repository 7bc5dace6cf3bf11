/**
 * The team workflow for one micro-frontend (docs/MODULES.md):
 *
 *   npm run module -- build <name> [--dir DIR]              build to dist/module-builds/modules/<name>/<version>/
 *   npm run module -- test <name>                           its unit tests
 *   npm run module -- deploy <name> [--url URL] [--key KEY] [--public-dir DIR | --bucket BUCKET] [--dir DIR]
 *                                                           build, upload the files under modules/<name>/<version>/,
 *                                                           then publish the version to the registry (makes it live)
 *   npm run module -- rollback <name> <version> [--url URL] [--key KEY]
 *   npm run module -- history <name> [--url URL]
 *
 * Defaults: --url $REGISTRY_URL or http://localhost:8080, --key $MODULE_KEY or dev-ingest-key (the local
 * stack's key, which may publish every module locally), --public-dir .data/public (the local stack's public folder).
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildModule, MODULES_DIR, ROOT } from './build-web.ts';

export interface Target { url: string; key?: string }
export interface BuiltModule { name: string; version: string; outDir: string; files: string[]; body: Record<string, unknown> }

const contentTypes: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

/** Builds one module into `outDir` (its own folder, never the site build) and returns the version to publish. */
export async function build(name: string, options: { dir?: string; outDir?: string } = {}): Promise<BuiltModule> {
  const dir = resolve(options.dir ?? join(MODULES_DIR, name));
  const outDir = resolve(options.outDir ?? join(ROOT, 'dist/module-builds'));
  const built = await buildModule(dir, outDir);
  if (built.name !== name) throw new Error(`${relative(ROOT, dir)} is the module "${built.name}", not "${name}"`);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const { entry } = built;
  const prefix = `modules/${name}/${entry.version}`;
  const files = (await readdir(join(outDir, prefix))).map((file) => `${prefix}/${file}`)
    .filter((file) => [entry.url, entry.css].includes('/' + file));
  const body = {
    name, version: entry.version, url: entry.url, integrity: entry.integrity,
    ...(entry.css ? { css: entry.css, cssIntegrity: entry.cssIntegrity } : {}),
    manifest: { name, owner: manifest.owner, route: manifest.route, title: manifest.title },
  };
  return { name, version: entry.version, outDir, files, body };
}

/** Copies the built files under the site's modules/<name>/<version>/: a folder locally, an S3 prefix on AWS. */
export async function upload(built: BuiltModule, destination: { publicDir?: string; bucket?: string }): Promise<void> {
  if (destination.bucket) {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({});
    for (const file of built.files) {
      await s3.send(new PutObjectCommand({
        Bucket: destination.bucket, Key: file, Body: await readFile(join(built.outDir, file)),
        ContentType: contentTypes[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream',
        CacheControl: 'public, max-age=31536000, immutable',
      }));
    }
    return;
  }
  const root = resolve(destination.publicDir ?? join(ROOT, '.data/public'));
  for (const file of built.files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await copyFile(join(built.outDir, file), join(root, file));
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

export const publish = (target: Target, built: Pick<BuiltModule, 'name' | 'body'>) => call(target, 'POST', `/api/v1/modules/${built.name}/versions`, built.body);
export const rollback = (target: Target, name: string, version: string) => call(target, 'POST', `/api/v1/modules/${name}/rollback`, { version });
export const history = (target: Target, name: string) => call(target, 'GET', `/api/v1/modules/${name}/versions`);

export async function deploy(name: string, options: Target & { dir?: string; publicDir?: string; bucket?: string; outDir?: string }) {
  const built = await build(name, options);
  await upload(built, options);
  return { built, reply: await publish(options, built) };
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.REGISTRY_URL ?? 'http://localhost:8080' },
      key: { type: 'string', default: process.env.MODULE_KEY ?? 'dev-ingest-key' },
      dir: { type: 'string' }, 'public-dir': { type: 'string' }, bucket: { type: 'string' },
    },
  });
  const [command, name, version] = positionals;
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const dir = values.dir ? resolve(cwd, values.dir) : undefined;
  const target = { url: values.url!, key: values.key };
  if (!name || !['build', 'test', 'deploy', 'rollback', 'history'].includes(command)) {
    throw new Error('usage: npm run module -- build|test|deploy|history <name> | rollback <name> <version> [--url URL --key KEY --bucket B --public-dir D --dir D]');
  }
  if (command === 'build') {
    const built = await build(name, { dir });
    console.log(`${name}@${built.version}: ${built.files.join(', ')} in ${relative(ROOT, built.outDir)}`);
    console.log(JSON.stringify(built.body, null, 2));
  } else if (command === 'test') {
    const run = spawnSync('npx', ['vitest', 'run', relative(ROOT, dir ?? join(MODULES_DIR, name))], { cwd: ROOT, stdio: 'inherit' });
    process.exitCode = run.status ?? 1;
  } else if (command === 'deploy') {
    const publicDir = values['public-dir'] ? resolve(cwd, values['public-dir']) : undefined;
    const { built, reply } = await deploy(name, { ...target, dir, publicDir, bucket: values.bucket });
    console.log(`${name}@${built.version} ${reply.created ? 'published' : 'was already published'}; live at revision ${reply.revision}: ${reply.version.url}`);
  } else if (command === 'rollback') {
    if (!version) throw new Error('usage: npm run module -- rollback <name> <version>');
    const reply = await rollback(target, name, version);
    console.log(`${name} is back at ${reply.version.version} (revision ${reply.revision})`);
  } else {
    const reply = await history(target, name);
    for (const v of reply.versions) console.log(`${v.version === reply.current ? '*' : ' '} ${v.version.padEnd(12)} ${v.publishedAt.padEnd(26)} ${v.publishedBy.padEnd(20)} ${v.url}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
