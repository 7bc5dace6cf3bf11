/**
 * A module's own data (docs/MODULES.md § Data of its own) on the local stack: `npm run module -- deploy` of a module
 * with data/ publishes its files with the version, served under /modules/<name>/<version>/data/ and read by the kit's
 * moduleData; bad data is refused with the file and field named — by the CLI before anything is uploaded, and by the
 * registry itself (the API, whoever calls it) with nothing written to the version folder; too large is 413.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { sri } from '../../functions/src/domain/modules/render.ts';
import { MAX_DATA_BYTES, MODULE_ASSET_CSP, stagedKeyOf } from '../../functions/src/domain/modules/rules.ts';
import { moduleData } from '../../packages/kit/module-data.ts';
import { startTestStack } from '../support/local-stack.ts';
import { fixtureModule, stubWebDir, uploadBundle } from '../support/modules.ts';

let stack: LocalStack;
let publicDir: string;
const run = promisify(execFile);

const schemas = {
  'clinics.csv': {
    type: 'array', maxItems: 500,
    items: {
      type: 'object', required: ['id', 'name', 'beds'], additionalProperties: false,
      properties: { id: { type: 'string', pattern: '^c[0-9]+$' }, name: { type: 'string', minLength: 1 }, beds: { type: ['integer', 'null'], minimum: 0 }, unitId: { type: 'string' } },
    },
  },
  'summary.json': { type: 'object', required: ['updated'], properties: { updated: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } } },
};
const CLINICS = 'id,name,beds,unitId\nc1,"Trạm y tế Phường Bến Nghé, Quận 1",12,q1-ben-nghe\nc2,Trạm y tế Phường 2,,q3-p2\n';

/** A module folder with data/ and manifest.data, as a team has it. */
function moduleWithData(version: string, clinics = CLINICS) {
  const dir = fixtureModule('clinics', version, { route: '/clinics' });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, data: schemas }, null, 2));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/clinics.csv'), clinics);
  writeFileSync(join(dir, 'data/summary.json'), JSON.stringify({ updated: '2026-12-01' }));
  return dir;
}
const deploy = (dir: string) => run(process.execPath, ['scripts/module.ts', 'deploy', 'clinics', '--dir', dir, '--url', stack.url, '--key', 'clinics-team', '--public-dir', publicDir], { encoding: 'utf8' });

/** Stages a data file as a deploy would and returns its {url, integrity}. */
function stage(version: string, file: string, text: string) {
  const url = `/modules/clinics/${version}/data/${file}`;
  const key = join(publicDir, stagedKeyOf(url));
  mkdirSync(dirname(key), { recursive: true });
  writeFileSync(key, text);
  return { url, integrity: sri(text) };
}
async function publish(body: unknown) {
  const response = await fetch(`${stack.url}/api/v1/modules/clinics/versions`, { method: 'POST', headers: { authorization: 'Bearer clinics-team', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}
/** A version body with a bundle and the given data (the bundle uploaded into its folder as the registry's tests do). */
function versionWith(version: string, data: { url: string; integrity: string }[], declared: Record<string, unknown> = schemas) {
  const bundle = uploadBundle(publicDir, 'clinics', version, undefined, '/clinics');
  return { ...bundle, data, manifest: { ...bundle.manifest, data: declared } };
}

beforeAll(async () => {
  delete process.env.CITY;
  const dataDir = mkdtempSync(join(tmpdir(), 'bando-module-data-'));
  publicDir = join(dataDir, 'public');
  stack = await startTestStack({ dataDir, webDir: stubWebDir() });
  const { stores } = await import('../../functions/src/commons/runtime.ts');
  const { hashKey } = await import('../../functions/src/services/auth.ts');
  await stores().state.putKey({ hash: hashKey('clinics-team'), name: 'clinics team', scopes: [], modules: ['clinics'] });
});
afterAll(async () => stack?.stop());

describe('a module’s own data', () => {
  it('is published with the version, served beside it as data, recorded, and read by the kit as typed rows', async () => {
    const { stdout } = await deploy(moduleWithData('1.0.0'));
    expect(stdout).toMatch(/^clinics@1\.0\.0 published/m);

    const csv = await fetch(`${stack.url}/modules/clinics/1.0.0/data/clinics.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('x-content-type-options')).toBe('nosniff');
    expect(csv.headers.get('content-security-policy')).toBe(MODULE_ASSET_CSP);
    expect(await csv.text()).toBe(CLINICS);
    expect((await fetch(`${stack.url}/modules/clinics/1.0.0/data/summary.json`)).headers.get('content-type')).toBe('application/json; charset=utf-8');

    const history = await (await fetch(`${stack.url}/api/v1/modules/clinics/versions`)).json();
    const version = history.versions.find((v: { version: string }) => v.version === '1.0.0');
    expect(version.data).toEqual([
      { url: '/modules/clinics/1.0.0/data/clinics.csv', integrity: sri(CLINICS) },
      { url: '/modules/clinics/1.0.0/data/summary.json', integrity: sri(JSON.stringify({ updated: '2026-12-01' })) },
    ]);
    expect(version.manifest.data).toEqual(schemas);

    // the module reads it beside its bundle (its import.meta.url), same origin
    const moduleUrl = `${stack.url}${version.url}`;
    expect(await moduleData(moduleUrl, 'clinics.csv', { schema: schemas['clinics.csv'] as never })).toEqual([
      { id: 'c1', name: 'Trạm y tế Phường Bến Nghé, Quận 1', beds: 12, unitId: 'q1-ben-nghe' },
      { id: 'c2', name: 'Trạm y tế Phường 2', beds: null, unitId: 'q3-p2' },
    ]);
    expect(await moduleData(moduleUrl, 'summary.json')).toEqual({ updated: '2026-12-01' });
    // a file of another extension is still not served from a module's folder
    expect((await fetch(`${stack.url}/modules/clinics/1.0.0/data/page.html`)).status).toBe(404);
  });

  it('bad data: the deploy names the file and the field, and uploads nothing', async () => {
    const dir = moduleWithData('1.0.1', `${CLINICS}c3,Trạm 3,many,q1\n`);
    const failed = await deploy(dir).catch((error) => error);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('data/clinics.csv does not match its schema (manifest.data): data/clinics.csv /2/beds must be integer or null, not a string ("many")');
    expect(existsSync(join(publicDir, 'modules/clinics/1.0.1'))).toBe(false);
    expect(existsSync(join(publicDir, 'modules/_staging/clinics/1.0.1'))).toBe(false);
  });

  it('bad data sent to the registry itself: 400 invalid_data naming the file and each field; the version folder untouched', async () => {
    const body = versionWith('1.0.2', [
      stage('1.0.2', 'clinics.csv', 'id,name,beds\nc1,,3\nx2,Trạm 2,-1\n'),
      stage('1.0.2', 'summary.json', '{"updated":"2026-12-01"}'),
    ]);
    const reply = await publish(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('invalid_data');
    expect(reply.body.error.message).toBe('data/clinics.csv does not match its schema (manifest.data): data/clinics.csv /0/name must have at least 1 characters (and 2 more).');
    expect(reply.body.error.details).toEqual([
      { field: 'data/clinics.csv /0/name', message: 'must have at least 1 characters' },
      { field: 'data/clinics.csv /1/id', message: 'must match ^c[0-9]+$' },
      { field: 'data/clinics.csv /1/beds', message: 'must be at least 0' },
    ]);
    expect(existsSync(join(publicDir, 'modules/clinics/1.0.2/data'))).toBe(false);

    const notJson = await publish(versionWith('1.0.3', [stage('1.0.3', 'clinics.csv', CLINICS), stage('1.0.3', 'summary.json', '{"updated":')]));
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.details[0].field).toBe('data/summary.json /');
    expect(notJson.body.error.details[0].message).toMatch(/^is not JSON/);
  });

  it('past the size limit: 413 naming the file; files and schemas must agree (400)', async () => {
    const big = JSON.stringify({ updated: '2026-12-01', pad: 'x'.repeat(MAX_DATA_BYTES.file) });
    const tooLarge = await publish(versionWith('1.0.4', [stage('1.0.4', 'clinics.csv', CLINICS), stage('1.0.4', 'summary.json', big)]));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 'too_large', details: [{ field: 'data/summary.json', message: `at most ${MAX_DATA_BYTES.file} bytes` }] });

    const undeclared = await publish(versionWith('1.0.5', [stage('1.0.5', 'clinics.csv', CLINICS), stage('1.0.5', 'other.json', '{}')]));
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error.details).toEqual(expect.arrayContaining([
      { field: 'data.1.url', message: 'must be /modules/clinics/1.0.5/data/<a file of manifest.data>' },
      { field: 'data', message: 'summary.json is in manifest.data but not sent' },
    ]));
    const badSchema = await publish(versionWith('1.0.6', [stage('1.0.6', 'clinics.csv', CLINICS)], { 'clinics.csv': { type: 'array', items: { type: 'object', properties: { at: { type: 'date' } } } } }));
    expect(badSchema.status).toBe(400);
    expect(badSchema.body.error.details).toEqual([{ field: 'manifest.data.clinics.csv/items/properties/at/type', message: 'one of object, array, string, number, integer, boolean, null (or a list of them)' }]);
  });

  it('is part of the version: the same version with other data is refused (409)', async () => {
    const body = versionWith('1.0.0', [stage('1.0.0', 'clinics.csv', CLINICS.replace('12', '13')), stage('1.0.0', 'summary.json', JSON.stringify({ updated: '2026-12-01' }))]);
    const history = await (await fetch(`${stack.url}/api/v1/modules/clinics/versions`)).json();
    const published = history.versions.find((v: { version: string }) => v.version === '1.0.0');
    const reply = await publish({ ...body, url: published.url, integrity: published.integrity });
    expect(reply.status).toBe(409);
  });
});
