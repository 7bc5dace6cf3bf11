/**
 * The module registry (DESIGN.md § Micro-frontends) over real HTTP against the local stack: publish,
 * list, key scope, URL prefix, SRI, immutability, history, rollback, and concurrent publishes.
 * The site build is a minimal stand-in (shell/registry-base.json), so the test needs no web build.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { sri } from '../../functions/src/domain/modules/render.ts';
import { INGEST_KEY, startTestStack } from '../support/local-stack.ts';
import { fixtureModule, stubWebDir, uploadBundle } from '../support/modules.ts';
import { MAX_BYTES, MODULE_ASSET_CSP, STAGING_PREFIX } from '../../functions/src/domain/modules/rules.ts';
import { build, check, deploy, publish as publishBuilt, unstage, upload as uploadBuilt } from '../../scripts/module.ts';

let stack: LocalStack;
let publicDir: string;

/** Uploads a bundle as `npm run module -- deploy` does locally, and returns the version body. */
const upload = (name: string, version: string, source?: string, route?: string) => uploadBundle(publicDir, name, version, source, route);

async function api(method: string, path: string, body?: unknown, key: string | null = INGEST_KEY) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
const publish = (name: string, body: unknown, key?: string | null) => api('POST', `/api/v1/modules/${name}/versions`, body, key);

beforeAll(async () => {
  delete process.env.CITY;
  const dataDir = mkdtempSync(join(tmpdir(), 'bando-modules-'));
  publicDir = join(dataDir, 'public');
  // The build's output the registry renders from: the real shell template, a stand-in shell, one module.
  const webDir = stubWebDir();
  stack = await startTestStack({ dataDir, webDir });
  const { stores } = await import('../../functions/src/commons/runtime.ts');
  const { hashKey } = await import('../../functions/src/services/auth.ts');
  const state = stores().state;
  await state.putKey({ hash: hashKey('overview-team'), name: 'overview team', scopes: [], modules: ['overview'] });
  await state.putKey({ hash: hashKey('profile-team'), name: 'profile team', scopes: [], modules: ['profile'] });
  await state.putKey({ hash: hashKey('health-team'), name: 'Sở Y tế', scopes: [], modules: ['health'] });
  await state.putKey({ hash: hashKey('clinics-team'), name: 'clinics team', scopes: [], modules: ['clinics'] });
});
afterAll(async () => stack?.stop());

describe('module registry', () => {
  it('publishes a version with the team key and serves it: map, modules.json, index.html with the matching CSP', async () => {
    const v1 = upload('overview', '1.0.0');
    const reply = await publish('overview', v1, 'overview-team');
    expect(reply.status).toBe(201);
    expect(reply.body.version).toMatchObject({ ...v1, publishedBy: 'overview team' });

    const list = await api('GET', '/api/v1/modules', undefined, null);
    expect(list.status).toBe(200);
    expect(list.body.modules.overview.version).toBe('1.0.0');
    expect(list.body.importMap.imports['@itmap/overview']).toBe(v1.url);
    expect(list.body.importMap.integrity[v1.url]).toBe(v1.integrity);

    const modulesJson = await (await fetch(`${stack.url}/modules.json`)).json();
    expect(modulesJson.overview).toMatchObject({ version: '1.0.0', url: v1.url, specifier: '@itmap/overview' });
    const page = await fetch(`${stack.url}/`);
    const html = await page.text();
    const inline = /<script type="importmap">(.*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(inline).imports['@itmap/overview']).toBe(v1.url);
    const hash = createHash('sha256').update(inline).digest('base64');
    expect(page.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`);
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it('answers 401 without a key, 403 to another team’s key', async () => {
    const v = upload('overview', '1.0.1');
    expect((await publish('overview', v, null)).status).toBe(401);
    expect((await publish('overview', v, 'nobody')).status).toBe(401);
    const other = await publish('overview', v, 'profile-team');
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    expect((await api('POST', '/api/v1/modules/overview/rollback', { version: '1.0.0' }, 'profile-team')).status).toBe(403);
  });

  it('answers 400 to a URL outside the module’s prefix, a bad SRI, a bundle not uploaded, and bad JSON', async () => {
    const profileBundle = upload('profile', '1.0.0');
    const outside = await publish('overview', { ...upload('overview', '1.0.2'), url: profileBundle.url, integrity: profileBundle.integrity }, 'overview-team');
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/under \/modules\/overview\/1\.0\.2\//);
    const wrongSri = await publish('overview', { ...upload('overview', '1.0.3'), integrity: sri('something else') }, 'overview-team');
    expect([wrongSri.status, wrongSri.body.error.code]).toEqual([400, 'integrity_mismatch']);
    const missing = await publish('overview', { ...upload('overview', '1.0.4'), url: '/modules/overview/1.0.4/not-there.js' }, 'overview-team');
    expect([missing.status, missing.body.error.code]).toEqual([400, 'bundle_not_found']);
    expect((await publish('overview', '{"version":', 'overview-team')).status).toBe(400);
    expect((await publish('overview', { ...upload('overview', '1.0.5'), integrity: 'sha256-abc' }, 'overview-team')).status).toBe(400);
  });

  it('keeps versions immutable: the identical one again is a no-op, other files under it 409', async () => {
    const v = upload('overview', '1.1.0');
    expect((await publish('overview', v, 'overview-team')).status).toBe(201);
    const again = await publish('overview', v, 'overview-team');
    expect([again.status, again.body.created]).toEqual([200, false]);
    const changed = await publish('overview', upload('overview', '1.1.0', 'export const changed = true;'), 'overview-team');
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('conflict');
    // the conflict changed nothing
    expect((await api('GET', '/api/v1/modules', undefined, null)).body.modules.overview.url).toBe(v.url);
  });

  it('keeps every version in history and rolls back to an earlier one', async () => {
    const history = await api('GET', '/api/v1/modules/overview/versions', undefined, null);
    expect(history.status).toBe(200);
    expect(history.body.versions.map((v: { version: string }) => v.version)).toEqual(['0.1.0', '1.0.0', '1.1.0']);
    expect(history.body.current).toBe('1.1.0');

    const back = await api('POST', '/api/v1/modules/overview/rollback', { version: '1.0.0' }, 'overview-team');
    expect(back.status).toBe(200);
    expect(back.body.version.version).toBe('1.0.0');
    const modulesJson = await (await fetch(`${stack.url}/modules.json`)).json();
    expect(modulesJson.overview.version).toBe('1.0.0');
    expect((await api('GET', '/api/v1/modules/overview/versions', undefined, null)).body.current).toBe('1.0.0');
    // even to the build's own version
    expect((await api('POST', '/api/v1/modules/overview/rollback', { version: '0.1.0' }, 'overview-team')).status).toBe(200);
    expect((await api('GET', '/api/v1/modules', undefined, null)).body.modules.overview.version).toBe('0.1.0');

    expect((await api('POST', '/api/v1/modules/overview/rollback', { version: '9.9.9' }, 'overview-team')).status).toBe(404);
    expect((await api('GET', '/api/v1/modules/nothing-here/versions', undefined, null)).status).toBe(404);
    expect((await api('DELETE', '/api/v1/modules/overview/versions', undefined, null)).status).toBe(405);
  });

  it('loses no update under concurrent publishes of different modules', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const bodies = names.map((name) => upload(name, '1.0.0'));
    const before = (await api('GET', '/api/v1/modules', undefined, null)).body.revision;
    const replies = await Promise.all(bodies.map((body) => publish(body.name, body)));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const after = await api('GET', '/api/v1/modules', undefined, null);
    expect(after.body.revision).toBe(before + names.length);
    for (const body of bodies) expect(after.body.importMap.imports[`@itmap/${body.name}`]).toBe(body.url);
    // and the files on the site are the final state, not an intermediate render
    const served = await (await fetch(`${stack.url}/importmap.json`)).json();
    for (const body of bodies) expect(served.imports[`@itmap/${body.name}`]).toBe(body.url);
    const modulesJson = await (await fetch(`${stack.url}/modules.json`)).json();
    expect(Object.keys(modulesJson).sort()).toEqual(['alpha', 'beta', 'delta', 'gamma', 'overview']);
  });
});

describe('publish policy (functions/src/domain/modules/rules.ts)', () => {
  const errorFields = (reply: { body: { error: { details?: { field: string }[] } } }) => reply.body.error.details?.map((d) => d.field);

  it('keeps a team off the platform’s routes, off the site’s origin, and off another team’s route', async () => {
    for (const route of ['/', '/units/:unitId', '/:page', '/api', '/data/x', '/embed', '/modules', '/shared', '/units']) {
      const reply = await publish('health', upload('health', '0.0.1', undefined, route), 'health-team');
      expect([route, reply.status, reply.body.error.code]).toEqual([route, 403, 'forbidden']);
      expect(errorFields(reply)).toEqual(['manifest.route']);
    }
    for (const route of ['//134744072/x', '/\\evil.example', 'https://evil.example/', '/Health', '/health/', '/a/../b']) {
      const reply = await publish('health', upload('health', '0.0.1', undefined, route), 'health-team');
      expect([route, reply.status, reply.body.error.code]).toEqual([route, 400, 'invalid_version']);
      expect(errorFields(reply)).toEqual(['manifest.route']);
    }
    expect((await publish('health', upload('health', '0.0.1', undefined, '/health'), 'health-team')).status).toBe(201);
    const taken = await publish('clinics', upload('clinics', '1.0.0', undefined, '/health'), 'clinics-team');
    expect([taken.status, taken.body.error.code, errorFields(taken)]).toEqual([409, 'conflict', ['manifest.route']]);
    expect(taken.body.error.message).toContain('"health"');
    // nothing of it went live
    const list = (await api('GET', '/api/v1/modules', undefined, null)).body;
    expect(list.modules.health.manifest.route).toBe('/health');
    expect(list.modules.clinics).toBeUndefined();
    expect(Object.values(list.modules).filter((m: any) => m.manifest.route === '/').map((m: any) => m.name)).toEqual(['overview']);
  });

  it('takes the owner from the key, not the manifest', async () => {
    const body = upload('health', '0.0.2', undefined, '/health');
    const reply = await publish('health', { ...body, manifest: { ...body.manifest, owner: 'Sở Tài chính' } }, 'health-team');
    expect(reply.status).toBe(201);
    expect(reply.body.version.manifest.owner).toBe('Sở Y tế');
    expect((await (await fetch(`${stack.url}/modules.json`)).json()).health.owner).toBe('Sở Y tế');
  });

  it('refuses a bundle past the stated size limit with 413, naming the field', async () => {
    const big = upload('health', '0.0.3', `export const pad = "${'x'.repeat(MAX_BYTES.js)}";`, '/health');
    const reply = await publish('health', big, 'health-team');
    expect([reply.status, reply.body.error.code, errorFields(reply)]).toEqual([413, 'too_large', ['url']]);
    const cssPath = `/modules/health/0.0.4/health.css`;
    const js = upload('health', '0.0.4', undefined, '/health');
    writeFileSync(join(publicDir, cssPath), 'a{}'.repeat(MAX_BYTES.css));
    const css = await publish('health', { ...js, css: cssPath, cssIntegrity: sri('a{}'.repeat(MAX_BYTES.css)) }, 'health-team');
    expect([css.status, errorFields(css)]).toEqual([413, ['css']]);
    expect((await api('GET', '/api/v1/modules/health/versions', undefined, null)).body.current).toBe('0.0.2');
  });

  it('check answers what publish would, before anything is uploaded', async () => {
    const body = { ...upload('health', '0.0.2', undefined, '/health') };
    const fresh = { ...body, version: '0.1.0', url: '/modules/health/0.1.0/health-not-yet.js' };
    expect(await api('POST', '/api/v1/modules/health/check', fresh, 'health-team')).toMatchObject({ status: 200, body: { ok: true, uploaded: false, prefix: '/modules/health/0.1.0/' } });
    expect((await api('POST', '/api/v1/modules/health/check', fresh, 'clinics-team')).status).toBe(403);
    expect((await api('POST', '/api/v1/modules/health/check', { ...fresh, version: '0.0.2', url: '/modules/health/0.0.2/other.js' }, 'health-team')).status).toBe(409);
    expect((await api('POST', '/api/v1/modules/health/check', { ...fresh, manifest: { ...fresh.manifest, route: '/' } }, 'health-team')).status).toBe(403);
    expect((await api('GET', '/api/v1/modules/health/versions', undefined, null)).body.versions.map((v: { version: string }) => v.version)).not.toContain('0.1.0');
  });

  it('npm run module -- deploy writes a version folder only when its publish succeeds (none after 403 or 409)', async () => {
    const target = { url: stack.url, publicDir, outDir: mkdtempSync(join(tmpdir(), 'bando-builds-')) };
    const folder = (version: string) => join(publicDir, 'modules/dental', version);
    await expect(deploy('dental', { ...target, key: 'health-team', dir: fixtureModule('dental', '1.0.0', { route: '/dental' }) })).rejects.toMatchObject({ status: 403 });
    expect(existsSync(join(publicDir, 'modules/dental'))).toBe(false);

    const first = await deploy('dental', { ...target, key: INGEST_KEY, dir: fixtureModule('dental', '1.0.0', { route: '/dental' }) });
    expect(first.reply.created).toBe(true);
    const files = readdirSync(folder('1.0.0'));
    await expect(deploy('dental', { ...target, key: INGEST_KEY, dir: fixtureModule('dental', '1.0.0', { route: '/dental', text: 'other bytes' }) })).rejects.toMatchObject({ status: 409 });
    expect(readdirSync(folder('1.0.0'))).toEqual(files);
    await expect(deploy('dental', { ...target, key: INGEST_KEY, dir: fixtureModule('dental', '1.1.0', { route: '/health' }) })).rejects.toMatchObject({ status: 409 });
    expect(existsSync(folder('1.1.0'))).toBe(false);
    expect(existsSync(join(publicDir, STAGING_PREFIX, 'dental'))).toBe(false); // the staged copies are gone too
  });

  it('the registry copies staged files into the version folder only when it accepts the publish (a route taken after check: 409, no folder)', async () => {
    const target = { url: stack.url, key: 'clinics-team', publicDir };
    const built = await build('clinics', { dir: fixtureModule('clinics', '2.0.0', { route: '/clinics-late' }), outDir: mkdtempSync(join(tmpdir(), 'bando-builds-')) });
    expect(await check(target, built)).toMatchObject({ ok: true, uploaded: false });
    const staged = await uploadBuilt(built, target);
    expect(staged).toEqual(built.files.map((file) => `${STAGING_PREFIX}${file.replace(/^modules\//, '')}`));
    expect(existsSync(join(publicDir, 'modules/clinics/2.0.0'))).toBe(false); // uploading wrote no version folder
    // meanwhile another module takes the route
    expect((await publish('dental', upload('dental', '1.2.0', undefined, '/clinics-late'), INGEST_KEY)).status).toBe(201);
    await expect(publishBuilt(target, built)).rejects.toMatchObject({ status: 409 });
    expect(existsSync(join(publicDir, 'modules/clinics/2.0.0'))).toBe(false);
    // staged bytes that do not match the integrity sent: 400, no folder either
    const tampered = { ...built, body: { ...built.body, manifest: { ...(built.body.manifest as object), route: '/clinics' } } };
    writeFileSync(join(publicDir, staged[0]), 'export const tampered = true;');
    expect((await publish('clinics', tampered.body, 'clinics-team')).body.error.code).toBe('integrity_mismatch');
    expect(existsSync(join(publicDir, 'modules/clinics/2.0.0'))).toBe(false);
    // the right bytes staged again: accepted, copied with the allow-listed type, served from the version folder
    await uploadBuilt(built, target);
    const accepted = await publishBuilt(target, tampered);
    expect(accepted).toMatchObject({ created: true, version: { url: built.body.url } });
    await unstage(staged, target);
    expect(readdirSync(join(publicDir, 'modules/clinics/2.0.0')).sort()).toEqual(built.files.map((file) => file.split('/').pop()).sort());
    expect(existsSync(join(publicDir, STAGING_PREFIX, 'clinics'))).toBe(false);
    const served = await fetch(`${stack.url}${built.body.url}`);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('a publish that fails after the upload (a route taken in between) leaves neither a version folder nor staged files', async () => {
    // a registry whose check says yes and whose publish then says 409, as when another module takes the route meanwhile
    const registry = createServer((request, response) => {
      const taken = request.url!.endsWith('/versions');
      response.writeHead(taken ? 409 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(taken ? { error: { code: 'conflict', message: 'The route /late belongs to the module "other"' } } : { ok: true }));
    });
    await new Promise<void>((ready) => registry.listen(0, '127.0.0.1', ready));
    try {
      const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
      const target = { url, key: INGEST_KEY, publicDir, outDir: mkdtempSync(join(tmpdir(), 'bando-builds-')) };
      await expect(deploy('late', { ...target, dir: fixtureModule('late', '1.0.0', { route: '/late' }) })).rejects.toMatchObject({ status: 409 });
      expect(existsSync(join(publicDir, 'modules/late'))).toBe(false);
      expect(existsSync(join(publicDir, STAGING_PREFIX, 'late'))).toBe(false);
      // a version folder that existed keeps what it had
      const dental = readdirSync(join(publicDir, 'modules/dental/1.0.0'));
      await expect(deploy('dental', { ...target, dir: fixtureModule('dental', '1.0.0', { route: '/dental', text: 'late bytes' }) })).rejects.toMatchObject({ status: 409 });
      expect(readdirSync(join(publicDir, 'modules/dental/1.0.0'))).toEqual(dental);
    } finally {
      registry.close();
    }
  });
});

describe('retire', () => {
  const served = async (path: string) => (await fetch(`${stack.url}${path}`)).text();

  it('takes a module out of the import map, the navigation and index.html, keeps its history, and a publish brings it back', async () => {
    expect((await api('POST', '/api/v1/modules/health/retire', undefined, 'clinics-team')).status).toBe(403);
    expect((await api('POST', '/api/v1/modules/health/retire', undefined, null)).status).toBe(401);
    expect((await api('POST', '/api/v1/modules/nothing-here/retire')).status).toBe(404);
    expect((await api('GET', '/api/v1/modules/health/retire', undefined, null)).status).toBe(405);
    const retired = await api('POST', '/api/v1/modules/health/retire', undefined, 'health-team');
    expect(retired.status).toBe(200);
    expect(retired.body.retired).toMatchObject({ by: 'Sở Y tế' });

    const list = (await api('GET', '/api/v1/modules', undefined, null)).body;
    expect(list.modules.health).toBeUndefined();
    expect(list.importMap.imports['@itmap/health']).toBeUndefined();
    expect(list.retired.health).toMatchObject({ version: '0.0.2', retired: { by: 'Sở Y tế' } });
    expect(JSON.parse(await served('/importmap.json')).imports['@itmap/health']).toBeUndefined();
    expect(JSON.parse(await served('/modules.json')).health).toBeUndefined();
    const page = await served('/');
    expect(page).not.toContain('href="/health"');
    expect(page).not.toContain('@itmap/health');
    const history = (await api('GET', '/api/v1/modules/health/versions', undefined, null)).body;
    expect([history.current, history.retired?.by, history.versions.map((v: { version: string }) => v.version)]).toEqual([null, 'Sở Y tế', ['0.0.1', '0.0.2']]);
    // retiring again changes nothing
    const again = await api('POST', '/api/v1/modules/health/retire', undefined, 'health-team');
    expect([again.status, again.body.revision]).toEqual([200, retired.body.revision]);

    // its route is free: another module takes it, and then holds it
    expect((await publish('clinics', upload('clinics', '1.0.0', undefined, '/health'), 'clinics-team')).status).toBe(201);
    const health = upload('health', '0.0.2', undefined, '/health');
    expect((await publish('health', health, 'health-team')).status).toBe(409);

    // npm run module -- retire, then publishing health again makes it live where it was
    // (a child process: the stack answers from this one)
    const cli = await promisify(execFile)(process.execPath, ['scripts/module.ts', 'retire', 'clinics', '--url', stack.url, '--key', 'clinics-team'], { encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^clinics is retired since .* its history is kept/);
    const back = await publish('health', health, 'health-team');
    expect([back.status, back.body.created]).toEqual([200, false]);
    expect(JSON.parse(await served('/modules.json')).health).toMatchObject({ version: '0.0.2', route: '/health' });
    expect(await served('/')).toContain('href="/health"');
    expect((await api('GET', '/api/v1/modules/health/versions', undefined, null)).body.current).toBe('0.0.2');
  });
});

describe('team keys through npm run keys (the CLI against the stack\'s DynamoDB Local)', () => {
  /** `npm run keys -- …` as a team's operator runs it: a child process, no table names in the environment. */
  const keys = async (...args: string[]) => {
    const { RECORDS_TABLE: _r, STATE_TABLE: _s, DYNAMODB_ENDPOINT: _e, ...env } = process.env;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/keys.ts', ...args, '--endpoint', stack.endpoint], { encoding: 'utf8', env });
      return { status: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const idOf = (stderr: string) => /Key ([0-9a-f]{12}) for/.exec(stderr)![1];
  const target = () => ({ url: stack.url, publicDir, outDir: mkdtempSync(join(tmpdir(), 'bando-builds-')) });

  it('add (known modules only), list, rotate with --expires, revoke: the registry refuses a revoked or expired team key', async () => {
    const unknown = await keys('add', '--name', 'Sở Nha khoa', '--module', 'orthodontics');
    expect([unknown.status, unknown.stdout]).toEqual([1, '']);
    expect(unknown.stderr).toMatch(/no module "orthodontics": neither published to the registry nor in microfrontends\//);
    expect((await keys('add', '--name', 'x', '--module', 'Bad_Name')).stderr).toMatch(/not a module name: 1 to 40 characters/);

    const added = await keys('add', '--name', 'Sở Nha khoa', '--module', 'orthodontics', '--new-module');
    expect(added.status).toBe(0);
    const first = added.stdout.trim();
    const firstId = idOf(added.stderr);
    const v1 = await deploy('orthodontics', { ...target(), key: first, dir: fixtureModule('orthodontics', '1.0.0', { route: '/orthodontics' }) });
    expect(v1.reply).toMatchObject({ created: true, version: { publishedBy: 'Sở Nha khoa' } });
    expect((await keys('list')).stdout).toMatch(new RegExp(`${firstId}  active   Sở Nha khoa  \\(module orthodontics\\)  created \\d{4}-\\d\\d-\\d\\d  expires –`));
    expect((await keys('add', '--name', 'again', '--module', 'orthodontics', '--new-module')).stderr).toMatch(/exists already/);

    // rotate: a new secret that expires in a few seconds; the old one is refused at once
    const expiresAt = new Date(Date.now() + 10_000).toISOString();
    const rotated = await keys('rotate', firstId, '--expires', expiresAt);
    expect(rotated.status).toBe(0);
    const second = rotated.stdout.trim();
    const secondId = idOf(rotated.stderr);
    const body = (await deploy('orthodontics', { ...target(), key: second, dir: fixtureModule('orthodontics', '1.1.0', { route: '/orthodontics' }) })).built.body;
    expect((await publish('orthodontics', body, first)).body.error.message).toMatch(/^This key was revoked on /);
    expect((await publish('orthodontics', body, second)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    const expired = await publish('orthodontics', body, second);
    expect(expired).toMatchObject({ status: 401, body: { error: { message: `This key expired on ${expiresAt}.` } } });
    expect((await api('POST', '/api/v1/modules/orthodontics/check', body, second)).status).toBe(401);
    const listed = (await keys('list')).stdout;
    expect(listed).toMatch(new RegExp(`${secondId}  expired  Sở Nha khoa  \\(module orthodontics\\)`));
    expect(listed).toMatch(new RegExp(`${firstId}  revoked  Sở Nha khoa`));

    // a fresh key for the module, then revoked
    const third = await keys('add', '--name', 'Sở Nha khoa', '--module', 'orthodontics');
    expect((await publish('orthodontics', body, third.stdout.trim())).status).toBe(200);
    expect((await keys('revoke', idOf(third.stderr).slice(0, 6))).status).toBe(0);
    expect((await publish('orthodontics', body, third.stdout.trim())).status).toBe(401);
  });
});

describe('error reports (the kit\'s beacon, counted per module and version for its team)', () => {
  const report = (name: string, body: unknown) => api('POST', `/api/v1/modules/${name}/errors`, body, null);

  it('counts reports of a live module per version and kind, shows them to its team only, and refuses the rest', async () => {
    const live = (await api('GET', '/api/v1/modules', undefined, null)).body.modules.overview.version;
    for (let i = 0; i < 3; i++) expect(await report('overview', { version: live, kind: 'mount' })).toEqual({ status: 202, body: { counted: true } });
    expect((await report('overview', { version: '0.0.9', kind: 'render' })).status).toBe(202); // an older version still open in a tab
    expect((await report('overview', { version: live, kind: 'crash' })).body.error.details).toEqual([{ field: 'kind', message: 'one of load, bootstrap, mount, update, unmount, render, timeout' }]);
    expect((await report('overview', { version: 'latest', kind: 'mount' })).status).toBe(400);
    expect((await report('overview', '{"version":')).status).toBe(400);
    expect((await report('nothing-here', { version: '1.0.0', kind: 'mount' })).status).toBe(404);

    expect((await api('GET', '/api/v1/modules/overview/errors', undefined, null)).status).toBe(401);
    expect((await api('GET', '/api/v1/modules/overview/errors', undefined, 'profile-team')).status).toBe(403);
    const seen = await api('GET', '/api/v1/modules/overview/errors', undefined, 'overview-team');
    expect(seen.status).toBe(200);
    expect(seen.body.days).toEqual([{ day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), total: 4, byVersion: { [live]: { mount: 3 }, '0.0.9': { render: 1 } }, capped: false }]);
    expect(seen.body.since < seen.body.days[0].day).toBe(true);
    // npm run module -- errors, as a team reads them (a child process: the stack answers from this one)
    const cli = await promisify(execFile)(process.execPath, ['scripts/module.ts', 'errors', 'overview', '--url', stack.url, '--key', 'overview-team'], { encoding: 'utf8' });
    const versions = Object.keys(seen.body.days[0].byVersion).map((version) => (version === live ? `${live} mount 3` : '0.0.9 render 1'));
    expect([...versions].sort()).toEqual([`${live} mount 3`, '0.0.9 render 1'].sort());
    expect(cli.stdout).toBe(`${seen.body.days[0].day}      4  ${versions.join('; ')}\n`);
  });

  it('stops counting a module\'s day at its cap (the conditional update on DynamoDB Local)', async () => {
    const { stores } = await import('../../functions/src/commons/runtime.ts');
    const state = stores().state;
    const counted = [];
    for (let i = 0; i < 4; i++) counted.push(await state.countModuleError('capped', '2026-01-02', '1.0.0 mount', 3));
    expect(counted).toEqual([true, true, true, false]);
    expect(await state.listModuleErrors('capped', '2026-01-01')).toEqual([{ day: '2026-01-02', total: 3, counts: { '1.0.0 mount': 3 } }]);
    expect(await state.listModuleErrors('capped', '2026-01-03')).toEqual([]);
  });
});

describe('module assets (local/stack.ts serves /modules/ as CloudFront should)', () => {
  it('serves only allow-listed types, never sniffed, under a sandboxing CSP; HTML or SVG put there is not served', async () => {
    const bundle = upload('assets', '1.0.0');
    const folder = join(publicDir, 'modules/assets/1.0.0');
    writeFileSync(join(folder, 'assets.css'), 'a{}');
    writeFileSync(join(folder, 'page.html'), '<script>alert(document.domain)</script>');
    writeFileSync(join(folder, 'image.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    mkdirSync(join(folder, 'sub'));
    writeFileSync(join(folder, 'sub/noext'), '<script>alert(1)</script>');
    const get = (file: string) => fetch(`${stack.url}/modules/assets/1.0.0/${file}`);
    for (const [file, type] of [[bundle.url.split('/').pop()!, 'text/javascript; charset=utf-8'], ['assets.css', 'text/css; charset=utf-8']]) {
      const reply = await get(file);
      expect([file, reply.status, reply.headers.get('content-type')]).toEqual([file, 200, type]);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('content-security-policy')).toBe(MODULE_ASSET_CSP);
    }
    for (const file of ['page.html', 'image.svg', 'sub/noext', 'missing.js']) {
      const reply = await get(file);
      expect([file, reply.status, reply.headers.get('content-type')]).toEqual([file, 404, 'application/json']);
      expect(reply.headers.get('content-security-policy')).toBe(MODULE_ASSET_CSP);
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await reply.text()).not.toContain('<script>');
    }
    expect(MODULE_ASSET_CSP).toMatch(/default-src 'none'.*sandbox/);
  });
});
