/**
 * Record integrity over real HTTP against the local stack (INDEX-766.md § Record types: ownership, deleting,
 * clocks): a record held outside a key's scope is refused naming its holder; tombstones withdraw a record from
 * every score and a later copy brings it back; every stored copy names the key that wrote it; ids are one
 * record in NFC and NFD; keys are revoked, rotated and expire through `npm run keys` (no RECORDS_TABLE needed);
 * replies stay under Lambda's 6 MB; no path or query gives a 500 or an HTML page without its CSP.
 * The attacks at scale are the abuse scenario (test/reliability/scenarios/abuse.ts).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { INGEST_KEY, cspWebDir, getJson, postRecords, startTestStack } from '../support/local-stack.ts';
import { storedRecords } from '../support/verify.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startTestStack({ webDir: cspWebDir() });
  const { stores } = await import('../../functions/src/commons/runtime.ts');
  const { hashKey } = await import('../../functions/src/services/auth.ts');
  await stores().state.putKey({ hash: hashKey('q1-key'), name: 'District 1 system', scopes: ['q1'] });
  await stores().state.putKey({ hash: hashKey('expired-key'), name: 'Old system', scopes: ['q1'], expiresAt: '2026-01-01T00:00:00.000Z' });
});
afterAll(async () => stack?.stop());

const procedure = (id: string, unitId: string, extra: Record<string, unknown> = {}) => ({
  type: 'procedure', id, unitId, name: 'Cấp giấy phép', onlineLevel: 'full', feeRequired: true, onlinePaymentIntegrated: true,
  resultRequired: true, citizenApplicants: true, populationDataConnected: true, announcementDueAt: null, announcedAt: null,
  publicationDueAt: null, publishedAt: null, componentsPublished: 7, updatedAt: '2024-02-01T00:00:00+07:00', ...extra,
});
const dossier = (id: string, unitId: string, extra: Record<string, unknown> = {}) => ({
  type: 'dossier', id, unitId, procedureId: 'ri-p1', receivedAt: '2024-03-05T08:30:00+07:00', channel: 'online', dueAt: '2024-03-10T17:00:00+07:00',
  completedAt: null, supplementRequests: 0, syncedToNationalPortal: true, financialObligation: false, paidOnline: false,
  electronicResult: false, digitized: true, reusedDigitizedData: false, linkedPersonalDataStore: false, usesPopulationData: false,
  citizenComplaint: false, updatedAt: '2024-03-05T09:00:00+07:00', ...extra,
});
const tombstone = (record: { type: string; id: string; unitId: string }, updatedAt: string) => ({ type: record.type, id: record.id, unitId: record.unitId, updatedAt, deleted: true });
const send = (records: unknown[], key?: string) => postRecords(stack, JSON.stringify(records), { key });
const getRecord = async (path: string, key: string | null = INGEST_KEY) => {
  const response = await fetch(`${stack.url}/api/v1/records/${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: response.status, body: await response.json() };
};
/** Dossiers in March 2024 of a unit's subtree (indicator 4.2's denominator), once the stack has scored what it holds. */
const dossiersInMarch = async (unitId: string) => {
  await stack.settle();
  return (await getJson(stack, `/api/v1/scores?period=2024-03&unit=${unitId}`)).body.scores[0].indicators['4.2'].d as number;
};

describe('ownership', () => {
  it('refuses a copy of a record held outside the key’s scope, naming the holder, whatever its updatedAt: never unchanged', async () => {
    expect((await send([procedure('ri-held', 'q3', { updatedAt: '2024-06-01T00:00:00+07:00' })])).body.accepted).toBe(1);
    const held = [{ field: 'id', message: 'held by unit "q3" (outside this key\'s scope)' }];
    for (const updatedAt of ['2024-01-01T00:00:00+07:00', '2024-06-01T00:00:00+07:00', '2024-07-01T00:00:00+07:00']) {
      const reply = await send([procedure('ri-held', 'q1', { updatedAt })], 'q1-key');
      expect(reply.body).toMatchObject({ accepted: 0, unchanged: 0, rejected: [{ index: 0, id: 'ri-held', errors: held }] });
    }
    // The city's key repairs it: a later copy in the right unit.
    expect((await send([procedure('ri-held', 'q1', { updatedAt: '2024-07-01T00:00:00+07:00' })])).body.accepted).toBe(1);
    expect((await send([procedure('ri-held', 'q1', { updatedAt: '2024-08-01T00:00:00+07:00' })], 'q1-key')).body.accepted).toBe(1);
  });

  it('lets no copy stored with an impossible updatedAt (year 9999, from before the clock rule) freeze its record', async () => {
    const { stores } = await import('../../functions/src/commons/runtime.ts');
    const { toStoredRecord } = await import('../../functions/src/domain/ingest/classify.ts');
    const legacy = procedure('ri-frozen', 'q1', { updatedAt: '9999-12-31T00:00:00+07:00' });
    await stores().records.putIfNewer([toStoredRecord(legacy as never)], { writtenBy: { keyId: 'legacy', keyName: 'before the clock rule', at: '2025-01-01T00:00:00Z' } });
    const repair = procedure('ri-frozen', 'q1', { updatedAt: '2024-09-01T00:00:00+07:00' });
    expect((await send([repair], 'q1-key')).body).toMatchObject({ accepted: 1, unchanged: 0 });
    expect((await getRecord('procedure/ri-frozen')).body).toMatchObject({ record: repair, writtenBy: { keyName: 'District 1 system' } });
    expect((await send([{ ...repair, updatedAt: '2024-08-01T00:00:00+07:00' }], 'q1-key')).body).toMatchObject({ accepted: 0, unchanged: 1 });
  });
});

describe('tombstones', () => {
  it('withdraw a record from every score; a still later full copy brings it back', async () => {
    const record = dossier('ri-d1', 'q1-ben-nghe');
    expect((await send([procedure('ri-p1', 'q1-ben-nghe'), record], 'q1-key')).body.accepted).toBe(2);
    const before = await dossiersInMarch('q1-ben-nghe');
    expect(before).toBeGreaterThan(0);
    const withdraw = await send([tombstone(record, '2024-03-06T09:00:00+07:00')], 'q1-key');
    expect(withdraw.body).toEqual({ accepted: 1, unchanged: 0, rejected: [], pending: [] });
    expect(await dossiersInMarch('q1-ben-nghe')).toBe(before - 1);
    // The tombstone is the stored copy; an older full copy changes nothing; a later one brings the record back.
    expect((await getRecord('dossier/ri-d1')).body.record).toEqual(tombstone(record, '2024-03-06T09:00:00+07:00'));
    expect((await send([record], 'q1-key')).body).toMatchObject({ accepted: 0, unchanged: 1 });
    expect((await send([{ ...record, updatedAt: '2024-03-07T09:00:00+07:00' }], 'q1-key')).body.accepted).toBe(1);
    expect(await dossiersInMarch('q1-ben-nghe')).toBe(before);
  });

  it('a scoped key deletes only in its scope; a city-scoped key deletes anything', async () => {
    const record = procedure('ri-p3', 'q3');
    expect((await send([record])).body.accepted).toBe(1);
    const withdraw = tombstone(record, '2024-02-02T00:00:00+07:00');
    expect((await send([withdraw], 'q1-key')).body.rejected[0].errors).toEqual([{ field: 'unitId', message: 'unit "q3" is outside this key\'s scope (q1)' }]);
    expect((await send([{ ...withdraw, unitId: 'q1' }], 'q1-key')).body.rejected[0].errors).toEqual([{ field: 'id', message: 'held by unit "q3" (outside this key\'s scope)' }]);
    expect((await getRecord('procedure/ri-p3')).body.record).toEqual(record);
    expect((await send([withdraw])).body.accepted).toBe(1);
    expect((await getRecord('procedure/ri-p3')).body.record).toEqual(withdraw);
  });
});

describe('GET /api/v1/records/{type}/{id}', () => {
  it('shows the stored copy and the key that wrote it (its id and name, never the secret)', async () => {
    const { hashKey, keyIdOf } = await import('../../functions/src/services/auth.ts');
    const record = procedure('ri-w1', 'q1-ben-nghe');
    await send([record], 'q1-key');
    const reply = await getRecord('procedure/ri-w1', 'q1-key');
    expect(reply).toEqual({
      status: 200,
      body: { record, writtenBy: { keyId: keyIdOf({ hash: hashKey('q1-key') }), keyName: 'District 1 system', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
    });
    expect(JSON.stringify(reply.body)).not.toContain('q1-key');
    // The city's key repairs it; the writer changes with the copy.
    await send([{ ...record, componentsPublished: 5, updatedAt: '2024-02-03T00:00:00+07:00' }]);
    expect((await getRecord('procedure/ri-w1')).body.writtenBy.keyName).toBe('local development');
  });

  it('shows a scoped key only records its scope holds; needs a live key; never a 500', async () => {
    await send([procedure('ri-w3', 'q3'), procedure('HS/2024/17', 'q1')]);
    expect((await getRecord('procedure/ri-w3')).status).toBe(200);
    expect(await getRecord('procedure/ri-w3', 'q1-key')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await getRecord('procedure/HS%2F2024%2F17', 'q1-key')).body.record.id).toBe('HS/2024/17');
    expect((await getRecord('procedure/ri-w3', null)).status).toBe(401);
    expect((await getRecord('procedure/ri-w3', 'not-a-key')).status).toBe(401);
    for (const path of ['__proto__/ri-w3', 'constructor/x', 'unit/q1', 'procedure/__proto__', 'procedure/', 'procedure', `procedure/${'x'.repeat(3000)}`]) {
      expect((await getRecord(path)).status, path).toBe(404);
    }
    expect((await getRecord('procedure/%E0%A4%A')).status).toBe(400);
  });
});

describe('ids and codes', () => {
  it('the NFC and NFD spellings of an id are one record, stored in NFC', async () => {
    const nfc = 'hồ-sơ-phường-bến-nghé';
    await send([procedure(nfc.normalize('NFD'), 'q1', { updatedAt: '2024-02-05T00:00:00+07:00' })], 'q1-key');
    expect((await send([procedure(nfc, 'q1')], 'q1-key')).body).toMatchObject({ accepted: 0, unchanged: 1 });
    const stored = [];
    for await (const body of storedRecords()) if (String(body.id).normalize('NFC') === nfc) stored.push(body.id);
    expect(stored).toEqual([nfc]);
    expect((await getRecord(`procedure/${encodeURIComponent(nfc.normalize('NFD'))}`)).body.record.id).toBe(nfc);
  });

  it('checks the feedback field against the city’s list and the ward against the key’s scope', async () => {
    const feedback = (id: string, extra: Record<string, unknown>) => ({
      type: 'feedback', id, unitId: 'q1', field: 'land', category: 'procedure', receivedAt: '2024-03-05T08:30:00+07:00', dueAt: '2024-03-15T08:30:00+07:00',
      resolvedAt: null, likes: 0, dislikes: 0, reComplained: false, wardId: 'q1-ben-nghe', updatedAt: '2024-03-05T09:00:00+07:00', ...extra,
    });
    const reply = await send([feedback('ri-f1', {}), feedback('ri-f2', { field: 'parking' }), feedback('ri-f3', { wardId: 'q3-p1' }), feedback('ri-f4', { field: 'constructor' })], 'q1-key');
    expect(reply.body.accepted).toBe(1);
    expect(reply.body.rejected.map((r: { errors: unknown[] }) => r.errors)).toEqual([
      [{ field: 'field', message: '"parking" is not in the city\'s list of 1022 fields' }],
      [{ field: 'wardId', message: 'ward "q3-p1" is outside this key\'s scope (q1)' }],
      [{ field: 'field', message: 'is a reserved name' }],
    ]);
  });
});

describe('keys through npm run keys', () => {
  /** The key tool as an operator runs it: against the stack's DynamoDB Local, with no table names in the environment. */
  const keys = (...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> => {
    const { RECORDS_TABLE: _r, STATE_TABLE: _s, DYNAMODB_ENDPOINT: _e, ...env } = process.env;
    const child = spawn(process.execPath, ['scripts/keys.ts', ...args, '--endpoint', stack.endpoint], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  };

  it('add, list, rotate and revoke work without RECORDS_TABLE; a revoked or expired key gets 401', async () => {
    const added = await keys('add', '--name', 'Quận 3 system', '--scope', 'q3', '--expires', '2099-12-31');
    expect(added.stderr).not.toMatch(/is not set/);
    expect(added.status).toBe(0);
    const secret = added.stdout.trim();
    const id = /Key ([0-9a-f]{12}) for/.exec(added.stderr)![1];
    expect((await send([procedure('ri-k1', 'q3')], secret)).status).toBe(200);
    expect((await keys('list')).stdout).toMatch(new RegExp(`${id}  active   Quận 3 system  \\(units q3\\)  created \\d{4}-\\d\\d-\\d\\d  expires 2099-12-31`));

    const rotated = await keys('rotate', id);
    expect(rotated.status).toBe(0);
    const next = rotated.stdout.trim();
    expect((await send([procedure('ri-k2', 'q3')], next)).status).toBe(200);
    expect((await send([procedure('ri-k3', 'q3')], secret)).body.error.message).toMatch(/revoked/);

    expect((await keys('revoke', /Key ([0-9a-f]{12}) for/.exec(rotated.stderr)![1])).status).toBe(0);
    const revoked = await send([procedure('ri-k4', 'q3')], next);
    expect(revoked).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: expect.stringMatching(/^This key was revoked on /) } } });
    expect((await getRecord('procedure/ri-k2', next)).status).toBe(401);
    const expired = await send([procedure('ri-k5', 'q1')], 'expired-key');
    expect(expired).toMatchObject({ status: 401, body: { error: { message: 'This key expired on 2026-01-01T00:00:00.000Z.' } } });
    expect((await keys('revoke', 'ffffffffffff')).stderr).toMatch(/no key with id/);
  });
});

describe('limits and odd requests', () => {
  it('keeps the reply under Lambda’s 6 MB whatever is sent: past 1,000 entries it counts the rest', async () => {
    const { MAX_LISTED } = await import('../../functions/src/domain/ingest/reply.ts');
    const broken = Array.from({ length: 10_000 }, (_, i) => ({ type: 'dossier', id: `ri-x${i}`, unitId: `nowhere-${'u'.repeat(150)}`, channel: 'fax', [`${'k'.repeat(150)}${i}`]: 1 }));
    const response = await fetch(`${stack.url}/api/v1/records`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(broken) });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(Buffer.byteLength(text)).toBeLessThan(6 * 1024 * 1024);
    const reply = JSON.parse(text);
    expect(reply.rejected).toHaveLength(MAX_LISTED);
    expect(reply.omitted).toEqual({ rejected: 10_000 - MAX_LISTED, pending: 0, message: expect.stringMatching(/first 1000 rejected and pending records; 9000 more were rejected/) });
    // One record with 60,000 unknown fields: its errors are listed up to a bound, then counted.
    const wide = { type: 'procedure', id: 'ri-wide', ...Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`f${'x'.repeat(60)}${i}`, 0])) };
    const one = await send([wide]);
    expect(JSON.stringify(one.body).length).toBeLessThan(10_000);
    expect(one.body.rejected[0].errors.at(-1)).toEqual({ field: '(record)', message: expect.stringMatching(/^… and \d+ more errors$/) });
  });

  it('never answers a 500 to a prototype name or a %-encoded path, and never serves a page without its CSP', async () => {
    const ingestKey = { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'text/csv' };
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const response = await fetch(`${stack.url}/api/v1/records?type=${type}`, { method: 'POST', headers: ingestKey, body: 'id\n1\n' });
      expect({ type, status: response.status }).toEqual({ type, status: 400 });
    }
    for (const path of ['/api/v1/units/%E0%A4%A/scores', '/%E0%A4%A', '/embed/%E0%A4%A', '/api/v1/scores?period=%E0%A4%A', '/api/v1/units/__proto__/scores', '/api/v1/scores?unit=constructor&period=2024']) {
      expect((await fetch(`${stack.url}${path}`)).status, path).toBeLessThan(500);
    }
    for (const path of ['/embed/..%2f', '/embed/..%2findex.html', '/embed/..%2F..%2Findex.html', '/embed/index.html', '/embed/overview', '/x/..%2findex.html', '/embed/.%2fcsp.txt', '/index.html']) {
      const response = await fetch(`${stack.url}${path}`);
      const html = (response.headers.get('content-type') ?? '').startsWith('text/html');
      expect({ path, status: response.status, csp: !html || !!response.headers.get('content-security-policy') }).toEqual({ path, status: response.status < 500 ? response.status : 'no 5xx', csp: true });
    }
  });
});
