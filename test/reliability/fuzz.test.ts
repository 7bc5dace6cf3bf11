/**
 * Fuzzing the ingest API over HTTP: ≥ 10,000 generated bodies — broken JSON, wrong types, missing and
 * unknown fields, huge strings, dates out of range, unknown units, wrong media types, oversized bodies.
 * Zero 5xx, every error names what is wrong, and nothing invalid is ever stored.
 */
import fc from 'fast-check';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { INGEST_KEY, startTestStack } from '../support/local-stack.ts';
import { validateRecord } from '../../shared-types/src/records.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY_REGISTRY_FILE;
  stack = await startTestStack({ tickMs: 5_000 });
});
afterAll(async () => stack?.stop());

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

const date = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+07:00')),
  fc.constantFrom('2024-13-01T00:00:00+07:00', '2024-03-05T08:30:00', 'yesterday', '', '2024-02-30T00:00:00+07:00', '+275760-09-13T00:00:00Z'),
);
const text = fc.oneof(fc.string(), fc.constant('<script>alert(1)</script>'), fc.string({ minLength: 2500, maxLength: 3000 }));
const anyValue = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), text, fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const unitId = fc.oneof(fc.constantFrom('q1', 'q3', 'q1-ben-nghe', 'so-tu-phap', 'hcm'), fc.string({ maxLength: 12 }));

const dossierLike = fc.record(
  {
    type: fc.constantFrom('dossier', 'procedure', 'feedback', 'unit', ''),
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer(), fc.string({ minLength: 201, maxLength: 260 })),
    unitId,
    procedureId: fc.string({ maxLength: 10 }),
    receivedAt: date,
    dueAt: date,
    completedAt: fc.oneof(date, fc.constant(null)),
    channel: fc.constantFrom('online', 'in_person', 'postal', 'fax'),
    supplementRequests: fc.oneof(fc.integer({ min: -3, max: 5 }), anyValue),
    syncedToNationalPortal: fc.oneof(fc.boolean(), anyValue),
    name: text,
    componentsPublished: fc.integer({ min: -2, max: 9 }),
    updatedAt: date,
    extra: anyValue,
  },
  { requiredKeys: [] },
);

/** A valid procedure with one field replaced by anything: some stay valid (and are stored), most must be rejected by name. */
const validProcedure = {
  type: 'procedure', unitId: 'q1', name: 'Cấp phép', onlineLevel: 'full', feeRequired: true, onlinePaymentIntegrated: true,
  resultRequired: true, citizenApplicants: true, populationDataConnected: false, announcementDueAt: null, announcedAt: null,
  publicationDueAt: '2024-03-01T00:00:00+07:00', publishedAt: null, componentsPublished: 7, updatedAt: '2024-01-01T00:00:00+07:00',
};
const mutatedProcedure = fc
  .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom(...Object.keys(validProcedure), 'colour'), fc.oneof(anyValue, date, unitId))
  .map(([id, field, value]) => ({ ...validProcedure, id: `fz-${id}`, [field]: value }));

const body = fc.oneof(
  { weight: 3, arbitrary: fc.array(mutatedProcedure, { minLength: 1, maxLength: 8 }).map((records) => ({ contentType: 'application/json', text: JSON.stringify(records) })) },
  { weight: 4, arbitrary: fc.array(dossierLike, { maxLength: 8 }).map((records) => ({ contentType: 'application/json', text: JSON.stringify(records) })) },
  { weight: 2, arbitrary: fc.array(dossierLike, { maxLength: 8 }).map((records) => ({ contentType: 'application/x-ndjson', text: records.map((r) => JSON.stringify(r)).join('\n') })) },
  { weight: 2, arbitrary: fc.string({ maxLength: 300 }).map((s) => ({ contentType: 'application/json', text: `[${s}` })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((s) => ({ contentType: 'text/csv', text: `id,unitId,receivedAt\n${s}`, query: fc.sample(fc.constantFrom('?type=dossier', '?type=x', ''), 1)[0] })) },
  { weight: 1, arbitrary: fc.constantFrom('application/xml', 'text/plain', 'multipart/form-data', '').map((contentType) => ({ contentType, text: '<a>1</a>' })) },
  { weight: 1, arbitrary: fc.json().map((text) => ({ contentType: 'application/json', text })) },
);

it(`survives ${RUNS} generated bodies without a 5xx and stores nothing invalid`, { timeout: 900_000 }, async () => {
  const samples = fc.sample(body, { numRuns: RUNS, seed: 20261123 }) as { contentType: string; text: string; query?: string }[];
  samples.push({ contentType: 'application/json', text: JSON.stringify([{ type: 'dossier', name: 'x'.repeat(6_000_000) }]) });
  const statuses = new Map<number, number>();
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < samples.length) {
        const sample = samples[next++];
        const headers: Record<string, string> = { authorization: `Bearer ${INGEST_KEY}` };
        if (sample.contentType) headers['content-type'] = sample.contentType;
        const response = await fetch(`${stack.url}/api/v1/records${sample.query ?? ''}`, { method: 'POST', headers, body: sample.text });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const reply = await response.json();
        if (response.status >= 500) failures.push(`${response.status} for ${sample.text.slice(0, 200)}`);
        else if (response.status !== 200 && !(reply.error?.code && reply.error?.message)) failures.push(`no error body for ${response.status}`);
        else if (response.status === 200) {
          for (const rejection of reply.rejected) {
            if (!rejection.errors.length || rejection.errors.some((e: { field: unknown; message: string }) => typeof e.field !== 'string' || !e.message)) {
              failures.push(`unnamed rejection ${JSON.stringify(rejection)}`);
            }
          }
        }
      }
    }),
  );
  expect(failures.slice(0, 5)).toEqual([]);
  expect([...statuses.keys()].every((status) => status < 500)).toBe(true);

  // Whatever was stored is valid and refers to known units.
  const { dynamoClient } = await import('../../functions/src/store/dynamodb/client.ts');
  const { cityConfig } = await import('../../functions/src/commons/config.ts');
  const units = new Set(cityConfig().units.map((u) => u.id));
  let stored = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoClient().send(new ScanCommand({ TableName: process.env.RECORDS_TABLE, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const result = validateRecord(JSON.parse(item.body.S!));
      expect(result.ok).toBe(true);
      if (result.ok) expect(units.has(result.record.unitId)).toBe(true);
      stored += 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  console.log(`fuzz: ${samples.length} bodies, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${stored} valid records stored, 5xx 0`);
});
