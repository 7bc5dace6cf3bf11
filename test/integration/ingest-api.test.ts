/** The ingest contract of DESIGN.md § API, over real HTTP against the local stack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { getJson, postRecords, startTestStack } from '../support/local-stack.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY_REGISTRY_FILE;
  stack = await startTestStack();
  const { stores } = await import('../../functions/src/commons/runtime.ts');
  const { hashKey } = await import('../../functions/src/services/auth.ts');
  await stores().state.putKey({ hash: hashKey('q1-key'), name: 'District 1 system', scopes: ['q1'] });
});
afterAll(async () => stack?.stop());

const procedure = (id: string, unitId: string, extra: Record<string, unknown> = {}) => ({
  type: 'procedure', id, unitId, name: '<script>alert(1)</script> Cấp giấy phép', onlineLevel: 'full', feeRequired: true,
  onlinePaymentIntegrated: true, resultRequired: true, citizenApplicants: true, populationDataConnected: true,
  announcementDueAt: '2024-03-01T00:00:00+07:00', announcedAt: '2024-02-28T10:00:00+07:00', publicationDueAt: null, publishedAt: null,
  componentsPublished: 7, updatedAt: '2024-02-01T00:00:00+07:00', ...extra,
});

describe('POST /api/v1/records', () => {
  it('needs a known key', async () => {
    expect((await postRecords(stack, '[]', { key: null })).status).toBe(401);
    const unknown = await postRecords(stack, '[]', { key: 'wrong' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('unauthorized');
  });

  it('answers 415 to other media types, 400 to an unreadable body, 413 past the limit', async () => {
    expect((await postRecords(stack, '<a/>', { contentType: 'application/xml' })).status).toBe(415);
    const broken = await postRecords(stack, '[{"type":', {});
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    const big = await postRecords(stack, JSON.stringify([{ type: 'procedure', name: 'x'.repeat(5_100_000) }]));
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/5000000 bytes/);
  });

  it('stores the valid records of a batch and names what is wrong with the others', async () => {
    const reply = await postRecords(stack, JSON.stringify([procedure('api-p1', 'q1'), procedure('api-p2', 'q1', { componentsPublished: 9 }), { type: 'dossier', id: 'x' }]));
    expect(reply.status).toBe(200);
    expect(reply.body.accepted).toBe(1);
    expect(reply.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
    expect(reply.body.rejected[0]).toMatchObject({ type: 'procedure', id: 'api-p2', errors: [{ field: 'componentsPublished' }] });
    expect(reply.body.rejected[1].errors.length).toBeGreaterThan(3);
  });

  it('takes NDJSON and CSV', async () => {
    const ndjson = [procedure('api-p3', 'q3'), procedure('api-p4', 'q3')].map((r) => JSON.stringify(r)).join('\n');
    expect((await postRecords(stack, ndjson, { contentType: 'application/x-ndjson' })).body).toMatchObject({ accepted: 2, rejected: [] });
    const csv = [
      'id,unitId,procedureId,receivedAt,channel,dueAt,completedAt,supplementRequests,syncedToNationalPortal,financialObligation,paidOnline,electronicResult,digitized,reusedDigitizedData,linkedPersonalDataStore,usesPopulationData,citizenComplaint,updatedAt',
      'api-d1,q3,api-p3,2024-03-05T08:30:00+07:00,online,2024-03-10T17:00:00+07:00,,0,true,true,true,false,true,false,false,true,false,2024-03-05T09:00:00+07:00',
      'api-d2,q3,api-p3,2024-03-05T08:30:00+07:00,fax,2024-03-10T17:00:00+07:00,,0,true,true,true,false,true,false,false,true,false,2024-03-05T09:00:00+07:00',
    ].join('\n');
    const reply = await postRecords(stack, csv, { contentType: 'text/csv', query: '?type=dossier' });
    expect(reply.status).toBe(200);
    expect(reply.body.accepted).toBe(1);
    expect(reply.body.rejected).toEqual([{ index: 1, type: 'dossier', id: 'api-d2', errors: [expect.objectContaining({ field: 'channel' })] }]);
  });

  it('limits a key to its subtree: District 1’s key cannot write District 3', async () => {
    const reply = await postRecords(stack, JSON.stringify([procedure('api-p5', 'q1-ben-nghe'), procedure('api-p6', 'q3')]), { key: 'q1-key' });
    expect(reply.body.accepted).toBe(1);
    expect(reply.body.rejected[0]).toMatchObject({ index: 1, errors: [{ field: 'unitId', message: expect.stringContaining('outside') }] });
  });

  it('cannot take over another district’s record by sending its id with a unit of its own', async () => {
    expect((await postRecords(stack, JSON.stringify([procedure('api-p8', 'q3')]))).body.accepted).toBe(1);
    const takeover = procedure('api-p8', 'q1', { updatedAt: '2024-02-05T00:00:00+07:00' });
    const reply = await postRecords(stack, JSON.stringify([procedure('api-p9', 'q1'), takeover]), { key: 'q1-key' });
    expect(reply.body).toMatchObject({ accepted: 1, unchanged: 0 });
    expect(reply.body.rejected).toEqual([
      { index: 1, type: 'procedure', id: 'api-p8', errors: [{ field: 'id', message: expect.stringMatching(/stored under unit "q3", outside this key's scope/) }] },
    ]);
    // The city's key may move it.
    expect((await postRecords(stack, JSON.stringify([takeover]))).body.accepted).toBe(1);
  });

  it('is safe to retry: same copy unchanged, later copy replaces, same updatedAt with other content is a conflict', async () => {
    const body = JSON.stringify([procedure('api-p7', 'q1')]);
    expect((await postRecords(stack, body)).body.accepted).toBe(1);
    expect((await postRecords(stack, body)).body).toMatchObject({ accepted: 0, unchanged: 1 });
    const conflict = await postRecords(stack, JSON.stringify([procedure('api-p7', 'q1', { componentsPublished: 3 })]));
    expect(conflict.body.rejected[0].errors[0].field).toBe('updatedAt');
    const newer = await postRecords(stack, JSON.stringify([procedure('api-p7', 'q1', { componentsPublished: 3, updatedAt: '2024-02-02T00:00:00+07:00' })]));
    expect(newer.body.accepted).toBe(1);
  });
});

describe('read API', () => {
  it('gives JSON errors with the right status, never a 500', async () => {
    for (const [path, status] of [
      ['/api/v1/scores', 400], ['/api/v1/scores?period=2024-13', 400], ['/api/v1/scores?period=2024&format=xml', 400],
      ['/api/v1/units/nowhere/scores', 404], ['/api/v1/nothing', 404], ['/api/v1/feedback?period=nope', 400],
    ] as const) {
      const reply = await getJson(stack, path);
      expect({ path, status: reply.status }).toEqual({ path, status });
      expect(reply.body.error.message.length).toBeGreaterThan(5);
    }
  });

  it('serves scores as JSON and CSV, histories, the registry, the method and the OpenAPI document', async () => {
    await stack.settle();
    const scores = await getJson(stack, '/api/v1/scores?period=2024-03&peerGroup=district-urban');
    expect(scores.status).toBe(200);
    expect(scores.body.scores.length).toBeGreaterThan(10);
    expect(scores.body.scores.every((s: { peerGroup: string }) => s.peerGroup === 'district-urban')).toBe(true);
    const csv = await fetch(`${stack.url}/api/v1/scores?period=2024-03&unit=q1&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^period,unit_id,/);
    const history = await getJson(stack, '/api/v1/units/q1/scores?from=2024-01&to=2024-03');
    expect(history.body.scores.map((s: { period: string }) => s.period)).toEqual(['2024-Q1', '2024-01', '2024-02', '2024-03']);
    expect((await getJson(stack, '/api/v1/units')).body.units.length).toBeGreaterThan(300);
    expect((await getJson(stack, '/api/v1/method')).body.id).toBe('766-v1');
    const openapi = (await getJson(stack, '/api/v1/openapi.json')).body;
    for (const path of ['/api/v1/records', '/api/v1/status', '/api/v1/units', '/api/v1/scores', '/api/v1/units/{id}/scores', '/api/v1/feedback', '/api/v1/method']) {
      expect(openapi.paths[path], path).toBeDefined();
    }
  });
});
