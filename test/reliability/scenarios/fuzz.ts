/**
 * Bad input: the ingest API fuzzed over HTTP with generated bodies — broken JSON, wrong types, missing
 * and unknown fields, huge strings, dates out of range, unknown units, wrong media types, and one
 * oversized body. Ends with zero 5xx, every error naming what is wrong, and nothing invalid stored (every
 * stored record passes the shared schema and belongs to a known unit).
 */
import fc from 'fast-check';
import type { LocalStack } from '../../../local/stack.ts';
import { loadCity } from '../../../functions/src/commons/city.ts';
import { validateRecord } from '../../../shared-types/src/records.ts';
import { INGEST_KEY } from '../../support/local-stack.ts';
import { storedRecords } from '../../support/verify.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface FuzzOptions {
  /** generated bodies (one oversized body is added) */
  runs: number;
  seed: number;
  /** requests in flight at once */
  concurrency: number;
}

export const fuzzSizes = {
  test: { runs: 10_000, seed: 20261123, concurrency: 8 },
  bench: (scale: number): FuzzOptions => ({ runs: Math.round(20_000 * scale), seed: 20261123, concurrency: 8 }),
} satisfies Sizes<FuzzOptions>;

const date = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+07:00')),
  fc.constantFrom('2024-13-01T00:00:00+07:00', '2024-03-05T08:30:00', 'yesterday', '', '2024-02-30T00:00:00+07:00', '+275760-09-13T00:00:00Z'),
);
const text = fc.oneof(fc.string(), fc.constant('<script>alert(1)</script>'), fc.string({ minLength: 2500, maxLength: 3000 }));
const anyValue = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), text, fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
/** Names that reach a prototype wherever code looks a value up by name. */
const prototypeName = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const unitId = fc.oneof(fc.constantFrom('q1', 'q3', 'q1-ben-nghe', 'so-tu-phap', 'hcm'), fc.string({ maxLength: 12 }), prototypeName);

const dossierLike = fc.record(
  {
    type: fc.constantFrom('dossier', 'procedure', 'feedback', 'unit', ''),
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer(), fc.string({ minLength: 201, maxLength: 260 }), prototypeName, fc.constantFrom('hồ-sơ-1'.normalize('NFD'), '=1+1', 'a b')),
    unitId,
    procedureId: fc.oneof(fc.string({ maxLength: 10 }), prototypeName),
    field: fc.oneof(fc.constantFrom('land', 'other', 'parking'), prototypeName),
    wardId: fc.oneof(fc.constantFrom('q1-ben-nghe', 'q3-p1', 'q1'), prototypeName, fc.constant(null)),
    deleted: fc.oneof(fc.constant(true), anyValue),
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
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 300 }), fc.constantFrom('?type=dossier', '?type=x', '', '?type=__proto__', '?type=constructor')).map(([s, query]) => ({ contentType: 'text/csv', text: `id,unitId,receivedAt\n${s}`, query })) },
  { weight: 1, arbitrary: fc.constantFrom('application/xml', 'text/plain', 'multipart/form-data', '').map((contentType) => ({ contentType, text: '<a>1</a>' })) },
  { weight: 1, arbitrary: fc.json().map((text) => ({ contentType: 'application/json', text })) },
);

export async function runFuzz(stack: Pick<LocalStack, 'url'>, options: FuzzOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('fuzz');
  const samples = fc.sample(body, { numRuns: options.runs, seed: options.seed }) as { contentType: string; text: string; query?: string }[];
  samples.push({ contentType: 'application/json', text: JSON.stringify([{ type: 'dossier', name: 'x'.repeat(6_000_000) }]) });
  run.figures.fuzzCases = samples.length;
  const statuses = new Map<number, number>();
  let rejectedRecords = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < samples.length) {
        const sample = samples[next++];
        if (next % 10_000 === 0) log(`fuzz: ${next.toLocaleString('en')} of ${samples.length.toLocaleString('en')} bodies`);
        const headers: Record<string, string> = { authorization: `Bearer ${INGEST_KEY}` };
        if (sample.contentType) headers['content-type'] = sample.contentType;
        const response = await fetch(`${stack.url}/api/v1/records${sample.query ?? ''}`, { method: 'POST', headers, body: sample.text });
        run.figures.requests += 1;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const reply = await response.json();
        if (response.status >= 500) {
          run.figures.status5xx += 1;
          run.problem(`${response.status} for ${sample.text.slice(0, 200)}`);
        } else if (response.status !== 200 && !(reply.error?.code && reply.error?.message)) run.problem(`no error body for ${response.status}`);
        else if (response.status === 200) {
          for (const rejection of reply.rejected) {
            rejectedRecords += 1;
            if (!rejection.errors.length || rejection.errors.some((e: { field: unknown; message: string }) => typeof e.field !== 'string' || !e.message)) {
              run.problem(`unnamed rejection ${JSON.stringify(rejection)}`);
            }
          }
        }
      }
    }),
  );

  // Whatever was stored is valid and refers to known units.
  const units = new Set(loadCity().units.map((u) => u.id));
  let stored = 0;
  for await (const body of storedRecords()) {
    const result = validateRecord(body, { now: Date.now() }); // nothing stored may be dated in the future either
    stored += 1;
    if (!result.ok || !units.has(result.record.unitId)) {
      run.figures.invalidStored += 1;
      run.problem(`stored but invalid: ${JSON.stringify(body).slice(0, 200)}`);
    }
  }
  run.figures.records = stored - run.figures.invalidStored;
  run.figures.detail = {
    statuses: [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${count.toLocaleString('en')} × ${status}`).join(', '),
    'records rejected by name': rejectedRecords,
    'valid records stored': run.figures.records,
  };
  return run.end();
}
