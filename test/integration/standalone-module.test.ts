/**
 * A module built in its own repository (templates/module/README.md): `npm run new-module -- --standalone` writes a
 * repository outside this one with the kit packed into vendor/ (npm pack; the kit is never fetched from a registry),
 * `npm install` installs it, and the CI workflow's steps run in order — npm ci, npm test, npm run build, then the
 * deploy with the team key against the local stack (the variables of the workflow pointed at it). The build's bytes
 * equal this repository's build of the same source, for the scaffold and for a module of this repository (compare).
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { stubWebDir } from '../support/modules.ts';
import { newModule } from '../../scripts/new-module.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** Node 24 (the repository's) first on the PATH, as CI's setup-node gives it. */
// (npm's cache before the registry, as CI's cached setup-node)
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true' };
delete env.INIT_CWD;

/** The `run:` steps of a workflow's job, with their `if:` and `env:` (enough YAML for the template's file). */
export function workflowSteps(yaml: string): { run: string; if?: string; env: Record<string, string> }[] {
  const steps = yaml.split(/\n {6}- /).slice(1);
  return steps.filter((step) => /(^|\n)\s*run: /.test(step)).map((step) => ({
    run: /(?:^|\n)\s*run: (.+)/.exec(step)![1].trim(),
    if: /(?:^|\n)\s*if: (.+)/.exec(step)?.[1].trim(),
    env: Object.fromEntries([.../\n {8}env:\n((?: {10}.+\n?)+)/.exec(step)?.[1].matchAll(/^ {10}([A-Z_]+): (.+)$/gm) ?? []].map((m) => [m[1], m[2].trim()])),
  }));
}
/** Whether a step runs on a push to main (GitHub's expression, for the two forms the template uses). */
const onPush = (condition?: string) => !condition || condition.split('||').some((c) => /github\.event_name == 'push'/.test(c));
const onPullRequest = (condition?: string) => !condition || /github\.event_name == 'pull_request'/.test(condition);

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(dir.length + 1)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

let stack: LocalStack;
let publicDir: string;
let repo: string;

beforeAll(async () => {
  delete process.env.CITY;
  const dataDir = mkdtempSync(join(tmpdir(), 'bando-standalone-'));
  publicDir = join(dataDir, 'public');
  [stack, repo] = await Promise.all([
    startTestStack({ dataDir, webDir: stubWebDir() }),
    (async () => {
      const dir = await newModule({ name: 'health', owner: 'Sở Y tế', titleVi: 'Y tế', titleEn: 'Health', standalone: true, dir: join(mkdtempSync(join(tmpdir(), 'itmap-team-')), 'health') });
      // the lock file the team commits, which npm ci needs (the workflow's npm ci then installs): the kit from vendor/,
      // the rest from npm's cache or registry
      await run('npm', ['install', '--package-lock-only'], { cwd: dir, env });
      return dir;
    })(),
  ]);
  const { stores } = await import('../../functions/src/commons/runtime.ts');
  const { hashKey } = await import('../../functions/src/services/auth.ts');
  await stores().state.putKey({ hash: hashKey('health-team'), name: 'Sở Y tế', scopes: [], modules: ['health'] });
}, 300_000);
afterAll(async () => stack?.stop());

describe('a module in its own repository', () => {
  it('runs the CI workflow’s steps on a push to main: tests, builds the same bytes as this repository, deploys with the team key', async () => {
    const steps = workflowSteps(readFileSync(join(repo, '.github/workflows/module.yml'), 'utf8'));
    expect(steps.map((s) => s.run)).toEqual(['npm ci', 'npm test', 'npm run build', 'npx itmap-module deploy --preview', 'npx itmap-module deploy']);
    // the workflow's variables, pointed at the local stack: its URL, its public folder instead of the bucket, the team key
    const ci = { ...env, REGISTRY_URL: stack.url, MODULE_PUBLIC_DIR: publicDir, MODULE_KEY: 'health-team' };
    const outputs: string[] = [];
    for (const step of steps.filter((s) => onPush(s.if))) {
      expect(Object.values(step.env)).toEqual(Object.keys(step.env).length ? ['${{ secrets.MODULE_KEY }}'] : []);
      const { stdout } = await run('bash', ['-c', step.run], { cwd: repo, env: ci, maxBuffer: 16 << 20 });
      outputs.push(stdout);
    }
    expect(outputs[1]).toMatch(/3 passed/);
    // npm ci installed the packed kit, not a workspace link: its own copy, with the bin (JavaScript) and the shared types
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/@itmap/kit']).toMatchObject({ version: '1.0.0', resolved: 'file:vendor/itmap-kit-1.0.0.tgz' });
    expect(lock.packages['node_modules/@itmap/shared-types']).toMatchObject({ version: '1.0.0', resolved: 'file:vendor/itmap-shared-types-1.0.0.tgz' });
    expect(lstatSync(join(repo, 'node_modules/@itmap/kit')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(repo, 'node_modules/@itmap/kit/bin/itmap-module.bundle.js'), 'utf8')).not.toMatch(/\binterface Place\b|: string\b/);
    expect(outputs.at(-1)).toMatch(/^health@0\.1\.0 published; live at revision \d+: \/modules\/health\/0\.1\.0\/health-[0-9a-f]{10}\.js$/m);

    const theirs = files(join(repo, 'dist'));
    const ours = mkdtempSync(join(tmpdir(), 'itmap-mono-'));
    await run(process.execPath, [join(ROOT, 'scripts/module.ts'), 'build', 'health', '--dir', repo, '--out', ours], { cwd: ROOT, env });
    expect(Object.keys(theirs)).toEqual(expect.arrayContaining([expect.stringMatching(/^modules\/health\/0\.1\.0\/health-[0-9a-f]{10}\.js$/)]));
    expect(theirs).toEqual(files(ours));

    const live = await (await fetch(`${stack.url}/api/v1/modules`)).json();
    expect(live.modules.health).toMatchObject({ version: '0.1.0', publishedBy: 'Sở Y tế' });
    const js = Object.keys(theirs).find((f) => f.endsWith('.js'))!;
    expect(live.modules.health.url).toBe(`/${js}`);
    expect(await (await fetch(`${stack.url}/${js}`)).text()).toBe(theirs[js]);
  }, 240_000);

  it('on a pull request publishes a preview of the bumped version, and refuses another module’s key', async () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ ...pkg, version: '0.2.0' }, null, 2));
    const ci = { ...env, REGISTRY_URL: stack.url, MODULE_PUBLIC_DIR: publicDir, MODULE_KEY: 'health-team' };
    const step = workflowSteps(readFileSync(join(repo, '.github/workflows/module.yml'), 'utf8')).filter((s) => s.if && onPullRequest(s.if) && !onPush(s.if));
    expect(step.map((s) => s.run)).toEqual(['npx itmap-module deploy --preview']);
    const { stdout } = await run('bash', ['-c', step[0].run], { cwd: repo, env: ci });
    expect(stdout).toMatch(/^health@0\.2\.0 recorded, not live; preview it at http:\/\/\S+\/\?preview=[A-Za-z0-9_-]{22} /);
    const live = await (await fetch(`${stack.url}/api/v1/modules`)).json();
    expect(live.modules.health.version).toBe('0.1.0');
    await expect(run('bash', ['-c', 'npx itmap-module deploy'], { cwd: repo, env: { ...ci, MODULE_KEY: 'no-such-key' } })).rejects.toMatchObject({ stderr: expect.stringMatching(/401/) });
  }, 120_000);

  it('builds a module of this repository to the same bytes as this repository does', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'itmap-compare-'));
    // the committed source (the working tree may be mid-edit), outside this repository
    await run('bash', ['-c', `git archive HEAD microfrontends/compare | tar -x -C ${elsewhere}`], { cwd: ROOT });
    const source = join(elsewhere, 'microfrontends/compare');
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'itmap-a-')), mkdtempSync(join(tmpdir(), 'itmap-b-'))];
    await run('npx', ['itmap-module', 'build', 'compare', '--dir', source, '--out', theirs], { cwd: repo, env });
    await run(process.execPath, [join(ROOT, 'scripts/module.ts'), 'build', 'compare', '--dir', source, '--out', ours], { cwd: ROOT, env });
    expect(Object.keys(files(theirs))).toHaveLength(2);
    expect(files(theirs)).toEqual(files(ours));
  }, 60_000);
});
