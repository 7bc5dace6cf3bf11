/** The ingest contract of DESIGN.md § API, over real HTTP against the local stack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import type { SourceRecord } from '../../shared-types/src/records.ts';
import type { IngestResponse } from '../../shared-types/src/snapshots.ts';
import { demoRecords, shuffled } from '../support/demo.ts';
import { getJson, postRecords, startTestStack } from '../support/local-stack.ts';
import { storedRecords } from '../support/verify.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
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
const dossier = (id: string, unitId: string, procedureId: string, extra: Record<string, unknown> = {}) => ({
  type: 'dossier', id, unitId, procedureId, receivedAt: '2024-03-05T08:30:00+07:00', channel: 'online', dueAt: '2024-03-10T17:00:00+07:00',
  completedAt: null, supplementRequests: 0, syncedToNationalPortal: true, financialObligation: false, paidOnline: false,
  electronicResult: false, digitized: true, reusedDigitizedData: false, linkedPersonalDataStore: false, usesPopulationData: false,
  citizenComplaint: false, updatedAt: '2024-03-05T09:00:00+07:00', ...extra,
});
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

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
    expect(reply.body.pending).toEqual([]);
  });

  it('names every error of a record at once: an incomplete record with an unknown unit names unitId too', async () => {
    expect((await postRecords(stack, JSON.stringify([procedure('api-p10', 'q3')]))).body.accepted).toBe(1);
    const incomplete = { type: 'dossier', id: 'api-d10', unitId: 'q99', procedureId: 'api-p10' };
    const foreign = dossier('api-d11', 'q1', 'api-p10', { channel: 'fax', completedAt: '2024-03-01T00:00:00+07:00', updatedAt: fromNow(3 * 3_600_000) });
    const reply = await postRecords(stack, JSON.stringify([incomplete, foreign]));
    expect(reply.body).toMatchObject({ accepted: 0, pending: [] });
    const [first, second] = reply.body.rejected;
    expect(first.errors).toContainEqual({ field: 'unitId', message: 'unknown unit "q99"' });
    expect(first.errors).toContainEqual({ field: 'receivedAt', message: 'is required' });
    expect(second.errors.map((e: { field: string }) => e.field).sort()).toEqual(['channel', 'completedAt', 'procedureId', 'updatedAt']);
  });

  it('rejects a record dated more than 5 minutes ahead of the server clock, naming the field; due dates may lie ahead', async () => {
    const reply = await postRecords(stack, JSON.stringify([
      procedure('api-p11', 'q1', { updatedAt: fromNow(3 * 3_600_000) }),
      // received now: a unit in force today (HCMC's two-level structure), its procedure not sent yet
      dossier('api-d12', 'phuong-sai-gon', 'api-p-sai-gon', { receivedAt: fromNow(-60_000), dueAt: fromNow(20 * 86_400_000), updatedAt: fromNow(2 * 60_000) }),
      procedure('api-p12', 'q1', { announcementDueAt: fromNow(86_400_000), announcedAt: fromNow(86_400_000), publicationDueAt: fromNow(86_400_000) }),
    ]));
    expect(reply.body.accepted).toBe(1);
    expect(reply.body.rejected).toEqual([
      { index: 0, type: 'procedure', id: 'api-p11', errors: [{ field: 'updatedAt', message: expect.stringMatching(/^is 3 h ahead of the server's clock \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\); at most 5 minutes of clock skew is allowed$/) }] },
      { index: 2, type: 'procedure', id: 'api-p12', errors: [{ field: 'announcedAt', message: expect.stringMatching(/^is 24 h ahead/) }] },
    ]);
  });

  it('accepts a dossier before its procedure, lists it pending, and answers unchanged to its resend', async () => {
    const early = dossier('api-d13', 'q1', 'api-p13');
    const first = await postRecords(stack, JSON.stringify([procedure('api-p14', 'q1'), early]));
    expect(first.body).toEqual({ accepted: 2, unchanged: 0, rejected: [], pending: [{ index: 1, id: 'api-d13', field: 'procedureId' }] });
    expect((await postRecords(stack, JSON.stringify([early]))).body).toEqual({ accepted: 0, unchanged: 1, rejected: [], pending: [] });
    expect((await postRecords(stack, JSON.stringify([procedure('api-p13', 'q1')]))).body.accepted).toBe(1);
    const later = await postRecords(stack, JSON.stringify([{ ...early, updatedAt: '2024-03-06T09:00:00+07:00' }]));
    expect(later.body).toEqual({ accepted: 1, unchanged: 0, rejected: [], pending: [] });
  });

  it('takes records in any order: 8 clients sending shuffled batches lose nothing, and pending names exactly the dossiers whose procedure was not stored yet', async () => {
    const records = shuffled(demoRecords({ from: '2024-04', to: '2024-05', seed: 15, scale: 3, subtree: 'q5' }), 15);
    const batches = Array.from({ length: Math.ceil(records.length / 25) }, (_, i) => records.slice(i * 25, i * 25 + 25));
    // When each procedure's batch went out and when it was acknowledged (stored), on one monotonic clock.
    const procedureSentAt = new Map<string, number>();
    const procedureStoredAt = new Map<string, number>();
    const outcomes: { batch: SourceRecord[]; reply: IngestResponse; sentAt: number; repliedAt: number }[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const procedures = batch.filter((record) => record.type === 'procedure');
        const sentAt = performance.now();
        for (const { id } of procedures) procedureSentAt.set(id, sentAt);
        const reply = await postRecords(stack, JSON.stringify(batch));
        const repliedAt = performance.now();
        expect(reply.status).toBe(200);
        for (const { id } of procedures) procedureStoredAt.set(id, repliedAt);
        outcomes.push({ batch, reply: reply.body, sentAt, repliedAt });
      }
    }));

    let pendingSeen = 0;
    for (const { batch, reply, sentAt, repliedAt } of outcomes) {
      expect(reply).toMatchObject({ accepted: batch.length, unchanged: 0, rejected: [] });
      for (const entry of reply.pending) expect(entry).toEqual({ index: entry.index, id: batch[entry.index].id, field: 'procedureId' });
      const pending = new Set(reply.pending.map((entry) => entry.id));
      pendingSeen += pending.size;
      for (const record of batch) {
        if (record.type !== 'dossier') continue;
        const inBatch = batch.some((other) => other.type === 'procedure' && other.id === record.procedureId);
        const storedBefore = (procedureStoredAt.get(record.procedureId) ?? Infinity) < sentAt;
        const sentBeforeReply = (procedureSentAt.get(record.procedureId) ?? Infinity) < repliedAt;
        const facts = { dossier: record.id, inBatch, storedBefore, sentBeforeReply };
        // Pending: its procedure was neither in the batch nor stored before; not pending: it was in the batch or could have been stored.
        if (pending.has(record.id)) expect(facts).toMatchObject({ inBatch: false, storedBefore: false });
        else expect(facts.inBatch || facts.sentBeforeReply, JSON.stringify(facts)).toBe(true);
      }
    }
    expect(pendingSeen).toBeGreaterThan(50); // the shuffle put many dossiers ahead of their procedures

    // Nothing lost: every record is stored as sent, and a resend of everything changes nothing and waits for nothing.
    const sent = new Map(records.map((record) => [`${record.type}#${record.id}`, record]));
    const stored = new Map<string, unknown>();
    for await (const body of storedRecords()) if (sent.has(`${body.type}#${body.id}`)) stored.set(`${body.type}#${body.id}`, body);
    expect(stored.size).toBe(sent.size);
    for (const [key, record] of sent) expect(stored.get(key), key).toEqual(record);
    const resend = await postRecords(stack, JSON.stringify(records));
    expect(resend.body).toEqual({ accepted: 0, unchanged: records.length, rejected: [], pending: [] });
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
      { index: 1, type: 'procedure', id: 'api-p8', errors: [{ field: 'id', message: 'held by unit "q3" (outside this key\'s scope)' }] },
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
  it('opens a bare /api/v1/scores and /api/v1/feedback on the default period: the last complete month, as latest.json names it', async () => {
    await stack.settle();
    const latest = (await getJson(stack, '/data/latest.json')).body;
    const { monthIdOf, monthIndexOf } = await import('../../shared-types/src/periods.ts');
    expect(latest.defaultPeriod).toBe(monthIdOf(monthIndexOf(Date.now()) - 1)); // the city's month before this one
    expect(latest.provisionalPeriods).toContain(latest.latestPeriod);
    expect(latest.provisionalPeriods).not.toContain(latest.defaultPeriod);
    const bare = await getJson(stack, '/api/v1/scores');
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({ period: latest.defaultPeriod, provisional: false });
    expect((await getJson(stack, '/api/v1/feedback')).body).toMatchObject({ period: latest.defaultPeriod, provisional: false });
    expect((await getJson(stack, `/api/v1/scores?period=${latest.latestPeriod}`)).body.provisional).toBe(true);
  });

  it('gives JSON errors with the right status, never a 500', async () => {
    for (const [path, status] of [
      ['/api/v1/scores?period=2024-13', 400], ['/api/v1/scores?period=2024&format=xml', 400],
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
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a byte-order mark first, so spreadsheets read Vietnamese
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^period,unit_id,/);
    const history = await getJson(stack, '/api/v1/units/q1/scores?from=2024-01&to=2024-03');
    expect(history.body.scores.map((s: { period: string }) => s.period)).toEqual(['2024-Q1', '2024-01', '2024-02', '2024-03']);
    // the units in force now (the two-level structure of 1 July 2025), and those of a period before the merger
    expect((await getJson(stack, '/api/v1/units')).body.units.length).toBe(188);
    expect((await getJson(stack, '/api/v1/units?period=2024-03')).body.units.length).toBe(359);
    expect((await getJson(stack, '/api/v1/method')).body.id).toBe('766-v1');
    const openapi = (await getJson(stack, '/api/v1/openapi.json')).body;
    for (const path of ['/api/v1/records', '/api/v1/status', '/api/v1/units', '/api/v1/scores', '/api/v1/units/{id}/scores', '/api/v1/feedback', '/api/v1/method']) {
      expect(openapi.paths[path], path).toBeDefined();
    }
    expect(openapi.components.schemas.IngestReply.required).toEqual(['accepted', 'unchanged', 'rejected', 'pending']);
  });
});

// last in this file: the stack stays paused
describe('a paused stack (what the page benchmarks measure: bench/lighthouse.bench.ts)', () => {
  it('serves its data and the API, and takes records without scoring or publishing them', async () => {
    await stack.settle();
    await stack.pause(); // (a tick under way when it is asked finishes first: the status is read after it)
    const before = (await getJson(stack, '/api/v1/status')).body;
    // a dossier of a scored unit and period: an unpaused stack scores it within a few of its 500 ms ticks
    const reply = await postRecords(stack, JSON.stringify([dossier('api-paused-1', 'q1', 'api-p1', { receivedAt: '2024-03-06T08:30:00+07:00', channel: 'in_person' })]));
    expect(reply.body).toMatchObject({ accepted: 1, rejected: [] });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // kept, waiting for the pipeline: nothing scored since
    expect((await getJson(stack, '/api/v1/status')).body).toMatchObject({ lastScoredAt: before.lastScoredAt, pending: before.pending + 1 });
    expect((await getJson(stack, '/data/latest.json')).status).toBe(200);
    expect((await getJson(stack, '/api/v1/method')).body.id).toBe('766-v1');
  });
});
