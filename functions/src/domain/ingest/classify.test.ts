import { describe, expect, it } from 'vitest';
import type { Unit } from '../../../../shared-types/src/records.ts';
import { decide, keysToLookUp, registryOf, replaceableUnits, toStoredRecord, validateItems, verdictAgainst } from './classify.ts';

const unit = (id: string, parentId: string | null, kind: Unit['kind'] = 'district'): Unit => ({
  id, parentId, kind, name: { vi: id, en: id }, peerGroup: kind, offersElectronicCertifiedCopy: false,
});
const registry = registryOf(
  [unit('hcm', null, 'city'), unit('q1', 'hcm'), unit('q1-ben-nghe', 'q1', 'ward'), unit('q3', 'hcm'), unit('q3-vo-thi-sau', 'q3', 'ward')],
  ['dat-dai', 'other'],
);

const procedure = (id: string, unitId: string, updatedAt = '2024-01-01T00:00:00+07:00') => ({
  type: 'procedure', id, unitId, name: 'Thủ tục', onlineLevel: 'full', feeRequired: false, onlinePaymentIntegrated: false,
  resultRequired: true, citizenApplicants: true, populationDataConnected: false, announcementDueAt: null, announcedAt: null,
  publicationDueAt: null, publishedAt: null, componentsPublished: 7, updatedAt,
});
const dossier = (id: string, unitId: string, procedureId: string, updatedAt = '2024-03-05T09:00:00+07:00') => ({
  type: 'dossier', id, unitId, procedureId, receivedAt: '2024-03-05T08:30:00+07:00', channel: 'online', dueAt: '2024-03-10T17:00:00+07:00',
  completedAt: null, supplementRequests: 0, syncedToNationalPortal: true, financialObligation: false, paidOnline: false,
  electronicResult: false, digitized: true, reusedDigitizedData: false, linkedPersonalDataStore: false, usesPopulationData: false,
  citizenComplaint: false, updatedAt,
});

const NOW = Date.parse('2026-12-02T17:00:00Z');
const run = (values: unknown[], scopes = ['hcm'], stored = new Map()) =>
  decide({ items: validateItems(values.map((value) => ({ value })), { now: NOW }), registry, scopes, stored, now: NOW });
const awaiting = (result: ReturnType<typeof run>) => [...result.writeIndex].filter(([, write]) => write.awaitsProcedure).map(([key]) => key);

describe('decide', () => {
  it('writes valid records and lets a dossier cite a procedure of the same batch', () => {
    const result = run([dossier('d1', 'q1', 'p1'), procedure('p1', 'q1')]);
    expect(result.rejected).toEqual([]);
    expect(result.writes.map((w) => `${w.type}#${w.id}`).sort()).toEqual(['dossier#d1', 'procedure#p1']);
  });

  it('names index, id, field and reason of each rejection, and still writes the valid ones', () => {
    const result = run([procedure('p1', 'q1'), dossier('d1', 'q9', 'p1'), dossier('d2', 'q3', 'p1'), dossier('d3', 'q1', 'p1')]);
    expect(result.writes.map((w) => w.id)).toEqual(['p1', 'd3']);
    expect(result.rejected).toEqual([
      { index: 1, type: 'dossier', id: 'd1', errors: [{ field: 'unitId', message: 'unknown unit "q9"' }, expect.objectContaining({ field: 'procedureId' })] },
      { index: 2, type: 'dossier', id: 'd2', errors: [{ field: 'procedureId', message: 'procedure "p1" belongs to unit "q1", not "q3"' }] },
    ]);
  });

  it('accepts a dossier whose procedure is neither stored nor in the batch, and marks it as awaiting it', () => {
    const result = run([dossier('d1', 'q1', 'p-later'), dossier('d2', 'q1', 'p1'), procedure('p1', 'q1')]);
    expect(result.rejected).toEqual([]);
    expect(result.writes.map((w) => w.id).sort()).toEqual(['d1', 'd2', 'p1']);
    expect(awaiting(result)).toEqual(['dossier#d1']);
    // Once the procedure is stored, a later copy waits for nothing.
    const stored = new Map([['procedure#p-later', toStoredRecord(procedure('p-later', 'q1') as never)]]);
    expect(awaiting(run([dossier('d1', 'q1', 'p-later', '2024-03-06T09:00:00+07:00')], ['hcm'], stored))).toEqual([]);
  });

  it('answers unchanged, not pending, to a dossier resent while its procedure is still missing', () => {
    const sent = dossier('d1', 'q1', 'p-later');
    const stored = new Map([['dossier#d1', toStoredRecord(sent as never)]]);
    expect(run([sent], ['hcm'], stored)).toMatchObject({ writes: [], unchanged: 1, rejected: [] });
  });

  it('judges the copy of a batch that wins: a later copy citing a missing procedure awaits it', () => {
    const result = run([procedure('p1', 'q1'), dossier('d1', 'q1', 'p1'), dossier('d1', 'q1', 'p-later', '2024-03-06T09:00:00+07:00')]);
    expect(result.writeIndex.get('dossier#d1')).toMatchObject({ index: 2, awaitsProcedure: true });
    const reversed = run([procedure('p1', 'q1'), dossier('d1', 'q1', 'p-later'), dossier('d1', 'q1', 'p1', '2024-03-06T09:00:00+07:00')]);
    expect(reversed.writeIndex.get('dossier#d1')).toMatchObject({ index: 2, awaitsProcedure: false });
  });

  it('rejects records outside the key’s scope, but accepts the scope’s descendants', () => {
    const result = run([procedure('p1', 'q1-ben-nghe'), procedure('p2', 'q3')], ['q1']);
    expect(result.writes.map((w) => w.id)).toEqual(['p1']);
    expect(result.rejected[0]).toMatchObject({ index: 1, id: 'p2', errors: [{ field: 'unitId', message: expect.stringContaining('outside this key') }] });
  });

  it('keeps the latest copy within a batch and counts the other unchanged', () => {
    const result = run([procedure('p1', 'q1', '2024-01-02T00:00:00+07:00'), procedure('p1', 'q1', '2024-01-01T00:00:00+07:00')]);
    expect(result.writes).toHaveLength(1);
    expect(JSON.parse(result.writes[0].body).updatedAt).toBe('2024-01-02T00:00:00+07:00');
    expect(result.unchanged).toBe(1);
  });

  it('against the store: older or identical is unchanged, same updatedAt with other content is a conflict on updatedAt', () => {
    const stored = toStoredRecord(procedure('p1', 'q1', '2024-01-02T00:00:00+07:00') as never);
    const versions = new Map([['procedure#p1', stored]]);
    expect(run([procedure('p1', 'q1', '2024-01-01T00:00:00+07:00')], ['hcm'], versions)).toMatchObject({ writes: [], unchanged: 1 });
    expect(run([procedure('p1', 'q1', '2024-01-02T00:00:00+07:00')], ['hcm'], versions)).toMatchObject({ writes: [], unchanged: 1 });
    // The same instant spelled in UTC is the same copy.
    expect(run([procedure('p1', 'q1', '2024-01-01T17:00:00Z')], ['hcm'], versions)).toMatchObject({ writes: [], unchanged: 1 });
    const conflict = run([{ ...procedure('p1', 'q1', '2024-01-02T00:00:00+07:00'), name: 'Khác' }], ['hcm'], versions);
    expect(conflict.rejected[0].errors[0].field).toBe('updatedAt');
    expect(run([procedure('p1', 'q1', '2024-01-03T00:00:00+07:00')], ['hcm'], versions).writes).toHaveLength(1);
  });

  it('hashes the canonical content, so key order does not matter', () => {
    const a = procedure('p1', 'q1');
    const b = Object.fromEntries(Object.entries(a).reverse());
    expect(toStoredRecord(a as never).hash).toBe(toStoredRecord(b as never).hash);
  });
});

describe('every error of a record at once', () => {
  it('names an unknown unit of an incomplete record too', () => {
    const { rejected } = run([{ type: 'dossier', id: 'd1', unitId: 'q9' }]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].errors).toContainEqual({ field: 'unitId', message: 'unknown unit "q9"' });
    expect(rejected[0].errors).toContainEqual({ field: 'receivedAt', message: 'is required' });
  });

  it('reports shape, date order, future dates, references and scope together', () => {
    const stored = new Map([['procedure#p3', toStoredRecord(procedure('p3', 'q3') as never)]]);
    const wrong = { ...dossier('d1', 'q1-ben-nghe', 'p3'), channel: 'fax', dueAt: '2024-03-01T00:00:00+07:00', updatedAt: '2026-12-03T17:00:00Z' };
    const outside = { ...dossier('d2', 'q3', 'p3'), supplementRequests: -1 };
    const { rejected, writes } = run([wrong, outside], ['q1'], stored);
    expect(writes).toEqual([]);
    expect(rejected[0].errors.map((e) => e.field).sort()).toEqual(['channel', 'dueAt', 'procedureId', 'updatedAt']);
    expect(rejected[0].errors).toContainEqual({ field: 'procedureId', message: 'procedure "p3" belongs to unit "q3", not "q1-ben-nghe"' });
    expect(rejected[1].errors).toEqual([
      expect.objectContaining({ field: 'supplementRequests' }),
      { field: 'unitId', message: 'unit "q3" is outside this key\'s scope (q1)' },
    ]);
  });

  it('looks up the procedures that invalid dossiers cite too, to name a foreign one', () => {
    const items = validateItems([{ ...dossier('d1', 'q1', 'p1'), channel: 'fax' }, { ...dossier('d2', 'q1', 'p2'), procedureId: '' }, procedure('p3', 'q1')].map((value) => ({ value })), { now: NOW });
    expect(keysToLookUp(items)).toEqual(['procedure#p1']);
  });

  it('checks only the references that are present and well-typed', () => {
    const values = [
      { type: 'dossier', unitId: 7, procedureId: { p: 1 } },
      { type: 'feedback', unitId: '', wardId: ['w'] },
      { type: 'feedback', id: 'f1', unitId: 'q1', wardId: 'q3' },
      { type: 'dossier', unitId: 'x'.repeat(300), procedureId: '__proto__' },
      { type: 'invoice', unitId: 'q9' },
      null, 'text', [1],
    ];
    const { rejected, writes } = run(values);
    expect(writes).toEqual([]);
    expect(rejected.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const unitErrors = rejected.map((r) => r.errors.filter((e) => e.field === 'unitId').map((e) => e.message));
    expect(unitErrors.slice(0, 5)).toEqual([['must be a string'], ['must not be empty'], [], ['must be at most 200 characters'], ['unknown unit "q9"']]);
    expect(rejected[2].errors).toContainEqual({ field: 'wardId', message: 'unknown ward "q3"' });
    expect(rejected[4]).toMatchObject({ type: null, errors: [{ field: 'type' }, { field: 'unitId' }] });
  });
});

describe('scoped keys and what the conditional write left alone', () => {
  it('lets a key replace stored records only in its subtrees; a city key anywhere', () => {
    expect(replaceableUnits(registry, ['q1'])?.sort()).toEqual(['q1', 'q1-ben-nghe']);
    expect(replaceableUnits(registry, ['q1', 'q3'])?.sort()).toEqual(['q1', 'q1-ben-nghe', 'q3', 'q3-vo-thi-sau']);
    expect(replaceableUnits(registry, ['hcm'])).toBeUndefined();
  });

  it('tells a resend, a conflict and a stored copy held outside the scope apart', () => {
    const sent = procedure('p1', 'q1', '2024-01-02T00:00:00+07:00');
    const candidate = toStoredRecord(sent as never);
    const stored = (unitId: string, updatedAt: string, name = 'Thủ tục') => toStoredRecord({ ...procedure('p1', unitId, updatedAt), name } as never);
    const verdict = (current: ReturnType<typeof stored>) => verdictAgainst(sent as never, candidate, current, registry, ['q1'], NOW);
    expect(verdict(stored('q1', '2024-01-01T00:00:00+07:00'))).toBe('newer');
    expect(verdict(stored('q1', '2024-01-03T00:00:00+07:00'))).toBe('unchanged');
    expect(verdict(stored('q1', '2024-01-02T00:00:00+07:00'))).toBe('unchanged');
    expect(verdict(stored('q1', '2024-01-02T00:00:00+07:00', 'Khác'))).toMatchObject({ field: 'updatedAt' });
    const held = { field: 'id', message: 'held by unit "q3" (outside this key\'s scope)' };
    expect(verdict(stored('q3', '2024-01-01T00:00:00+07:00'))).toEqual(held);
    // A squatter's copy dated later (or the same) is refused too, never answered unchanged: the squat shows at once.
    expect(verdict(stored('q3', '2024-01-03T00:00:00+07:00'))).toEqual(held);
    expect(verdict(stored('q3', '2024-01-02T00:00:00+07:00'))).toEqual(held);
  });

  it('replaces a stored copy dated beyond the clock skew (from before the clock rule) with any valid copy: nothing stays frozen', () => {
    const frozen = new Map([['procedure#p1', toStoredRecord(procedure('p1', 'q1', '9999-12-31T00:00:00+07:00') as never)]]);
    expect(run([procedure('p1', 'q1', '2024-01-01T00:00:00+07:00')], ['q1'], frozen).writes).toHaveLength(1);
    const justAhead = new Map([['procedure#p1', toStoredRecord(procedure('p1', 'q1', new Date(NOW + 4 * 60_000).toISOString()) as never)]]);
    expect(run([procedure('p1', 'q1', '2024-01-01T00:00:00+07:00')], ['q1'], justAhead)).toMatchObject({ writes: [], unchanged: 1 });
  });

  it('refuses, before any write, a copy of a stored record held outside the scope, whatever its date', () => {
    const squatted = new Map([['procedure#p1', toStoredRecord(procedure('p1', 'q3', '2024-06-01T00:00:00+07:00') as never)]]);
    const result = run([procedure('p1', 'q1'), procedure('p2', 'q1')], ['q1'], squatted);
    expect(result.writes.map((w) => w.id)).toEqual(['p2']);
    expect(result).toMatchObject({ unchanged: 0, rejected: [{ index: 0, id: 'p1', errors: [{ field: 'id', message: 'held by unit "q3" (outside this key\'s scope)' }] }] });
    // The city's key may repair it (a later copy in the right unit).
    expect(run([procedure('p1', 'q1', '2024-07-01T00:00:00+07:00')], ['hcm'], squatted).writes.map((w) => w.unitId)).toEqual(['q1']);
  });
});

const tombstone = (type: string, id: string, unitId: string, updatedAt: string) => ({ type, id, unitId, updatedAt, deleted: true });

describe('tombstones', () => {
  it('store like any later copy, with exactly the five fields', () => {
    const stored = new Map([['dossier#d1', toStoredRecord(dossier('d1', 'q1', 'p1') as never)]]);
    const result = run([tombstone('dossier', 'd1', 'q1', '2024-03-06T09:00:00+07:00')], ['q1'], stored);
    expect(result.rejected).toEqual([]);
    expect(result.writes).toEqual([expect.objectContaining({ type: 'dossier', id: 'd1', unitId: 'q1', deleted: true })]);
    expect(JSON.parse(result.writes[0].body)).toEqual(tombstone('dossier', 'd1', 'q1', '2024-03-06T09:00:00+07:00'));
    // Older than the stored copy: changes nothing. Another field beside `deleted`: not a tombstone.
    expect(run([tombstone('dossier', 'd1', 'q1', '2024-03-01T09:00:00+07:00')], ['q1'], stored)).toMatchObject({ writes: [], unchanged: 1 });
    const extra = run([{ ...tombstone('dossier', 'd1', 'q1', '2024-03-06T09:00:00+07:00'), channel: 'online' }], ['q1'], stored);
    expect(extra.rejected[0].errors).toEqual([{ field: 'channel', message: expect.stringMatching(/^unknown field: a tombstone/) }]);
    expect(run([{ ...tombstone('dossier', 'd1', 'q1', '2024-03-06T09:00:00+07:00'), deleted: 'yes' }]).rejected[0].errors).toEqual([{ field: 'deleted', message: 'must be true' }]);
  });

  it('a scoped key deletes only in its scope; the city key anywhere', () => {
    const stored = new Map([['procedure#p3', toStoredRecord(procedure('p3', 'q3') as never)]]);
    const withdraw = tombstone('procedure', 'p3', 'q3', '2024-02-01T00:00:00+07:00');
    expect(run([withdraw], ['q1'], stored).rejected[0].errors).toEqual([{ field: 'unitId', message: 'unit "q3" is outside this key\'s scope (q1)' }]);
    const inOwnUnit = run([{ ...withdraw, unitId: 'q1' }], ['q1'], stored);
    expect(inOwnUnit.rejected[0].errors).toEqual([{ field: 'id', message: 'held by unit "q3" (outside this key\'s scope)' }]);
    expect(run([withdraw], ['hcm'], stored).writes).toHaveLength(1);
  });

  it('a withdrawn procedure is no procedure: a dossier citing it waits for one', () => {
    const stored = new Map([['procedure#p1', toStoredRecord(tombstone('procedure', 'p1', 'q3', '2024-02-01T00:00:00+07:00') as never)]]);
    const result = run([dossier('d1', 'q1', 'p1')], ['hcm'], stored);
    expect(result.rejected).toEqual([]);
    expect(awaiting(result)).toEqual(['dossier#d1']);
  });
});

describe('every code and id', () => {
  const feedback = (extra: Record<string, unknown> = {}) => ({
    type: 'feedback', id: 'f1', unitId: 'q1', field: 'dat-dai', category: 'procedure', receivedAt: '2024-03-05T08:30:00+07:00',
    dueAt: '2024-03-15T08:30:00+07:00', resolvedAt: null, likes: 0, dislikes: 0, reComplained: false, wardId: 'q1-ben-nghe',
    updatedAt: '2024-03-05T09:00:00+07:00', ...extra,
  });

  it('checks the feedback field against the city’s list and the ward against the key’s scope', () => {
    expect(run([feedback(), feedback({ id: 'f2', wardId: null })], ['q1']).writes).toHaveLength(2);
    const { rejected } = run([feedback({ field: 'thue' }), feedback({ id: 'f2', wardId: 'q3-vo-thi-sau' }), feedback({ id: 'f3', field: '__proto__' })], ['q1']);
    expect(rejected[0].errors).toEqual([{ field: 'field', message: '"thue" is not in the city\'s list of 1022 fields' }]);
    expect(rejected[1].errors).toEqual([{ field: 'wardId', message: 'ward "q3-vo-thi-sau" is outside this key\'s scope (q1)' }]);
    expect(rejected[2].errors).toEqual([{ field: 'field', message: 'is a reserved name' }]);
  });

  it('refuses prototype names and odd characters wherever an id or a code goes', () => {
    const values = [
      procedure('__proto__', 'q1'), procedure('constructor', 'q1'), procedure('p1', 'prototype'), dossier('d1', 'q1', 'constructor'),
      procedure('p 1', 'q1'), procedure('=HYPERLINK(1)', 'q1'), procedure('p<1>', 'q1'), procedure('p\u00001', 'q1'),
    ];
    const { rejected, writes } = run(values);
    expect(writes).toEqual([]);
    expect(rejected.map((r) => r.errors.map((e) => e.field))).toEqual([['id'], ['id'], ['unitId'], ['procedureId'], ['id'], ['id'], ['id'], ['id']]);
    expect(rejected[0].errors[0].message).toBe('is a reserved name');
    expect(rejected[4].errors[0].message).toMatch(/letters, digits/);
  });

  it('takes the NFC and NFD spellings of an id as one record', () => {
    const nfc = 'hồ-sơ-phường-1'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    const result = run([procedure(nfc, 'q1', '2024-01-01T00:00:00+07:00'), procedure(nfd, 'q1', '2024-01-02T00:00:00+07:00')]);
    expect(result.writes.map((w) => w.id)).toEqual([nfc]);
    expect(result.unchanged).toBe(1);
    expect(keysToLookUp(validateItems([{ value: dossier('d1', 'q1', nfd) }], { now: NOW }))).toEqual([`procedure#${nfc}`]);
  });
});
