import { describe, expect, it } from 'vitest';
import { isTombstone, validateRecord, validateRegistry, validateUnit, type Dossier, type Feedback, type Procedure, type Unit } from './records.ts';

const dossier: Dossier = {
  type: 'dossier', id: 'd1', unitId: 'w1', procedureId: 'p1', receivedAt: '2024-03-05T08:30:00+07:00', channel: 'online',
  dueAt: '2024-03-10T08:30:00+07:00', completedAt: null, supplementRequests: 0, syncedToNationalPortal: true, financialObligation: false,
  paidOnline: false, electronicResult: false, digitized: true, reusedDigitizedData: false, linkedPersonalDataStore: false,
  usesPopulationData: false, citizenComplaint: false, updatedAt: '2024-03-05T08:31:00+07:00',
};
const procedure: Procedure = {
  type: 'procedure', id: 'p1', unitId: 'w1', name: 'Chứng thực bản sao', onlineLevel: 'full', feeRequired: true, onlinePaymentIntegrated: true,
  resultRequired: true, citizenApplicants: true, populationDataConnected: false, announcementDueAt: '2024-03-01T00:00:00+07:00', announcedAt: null,
  publicationDueAt: null, publishedAt: null, componentsPublished: 7, updatedAt: '2024-01-01T00:00:00+07:00',
};
const feedback: Feedback = {
  type: 'feedback', id: 'f1', unitId: 'w1', field: 'other', category: 'conduct', receivedAt: '2024-03-05T08:30:00+07:00',
  dueAt: '2024-03-15T08:30:00+07:00', resolvedAt: '2024-03-06T08:30:00+07:00', likes: 0, dislikes: 0, reComplained: false, wardId: 'w1',
  updatedAt: '2024-03-06T08:30:00+07:00',
};

const errorsOf = (input: unknown) => {
  const r = validateRecord(input);
  return r.ok ? [] : r.errors;
};

describe('validateRecord', () => {
  it('accepts valid records of each type and returns them', () => {
    for (const rec of [dossier, procedure, feedback]) expect(validateRecord(rec)).toEqual({ ok: true, record: rec });
  });

  it.each<[string, unknown, { field: string; message: RegExp }]>([
    ['completedAt before receivedAt', { ...dossier, completedAt: '2024-03-05T08:29:59+07:00' }, { field: 'completedAt', message: /must not be before receivedAt/ }],
    ['dueAt before receivedAt', { ...dossier, dueAt: '2024-03-04T08:30:00+07:00' }, { field: 'dueAt', message: /must not be before receivedAt/ }],
    ['resolvedAt before receivedAt', { ...feedback, resolvedAt: '2024-03-01T00:00:00+07:00' }, { field: 'resolvedAt', message: /must not be before receivedAt/ }],
    ['feedback dueAt before receivedAt', { ...feedback, dueAt: '2024-03-01T00:00:00+07:00' }, { field: 'dueAt', message: /must not be before receivedAt/ }],
    ['a date without offset', { ...dossier, receivedAt: '2024-03-05T08:30:00' }, { field: 'receivedAt', message: /ISO 8601 .*offset/ }],
    ['a garbage date', { ...dossier, dueAt: 'next tuesday' }, { field: 'dueAt', message: /ISO 8601/ }],
    ['an impossible date', { ...feedback, receivedAt: '2024-02-30T08:30:00+07:00' }, { field: 'receivedAt', message: /ISO 8601/ }],
    ['negative counts', { ...dossier, supplementRequests: -1 }, { field: 'supplementRequests', message: /≥ 0/ }],
    ['fractional counts', { ...feedback, likes: 1.5 }, { field: 'likes', message: /integer/ }],
    ['negative dislikes', { ...feedback, dislikes: -2 }, { field: 'dislikes', message: /≥ 0/ }],
    ['componentsPublished 8', { ...procedure, componentsPublished: 8 }, { field: 'componentsPublished', message: /≤ 7/ }],
    ['componentsPublished -1', { ...procedure, componentsPublished: -1 }, { field: 'componentsPublished', message: /≥ 0/ }],
    ['unknown fields', { ...dossier, colour: 'red' }, { field: 'colour', message: /unknown field/ }],
    ['an empty id', { ...dossier, id: '' }, { field: 'id', message: /empty/ }],
    ['a long id', { ...dossier, unitId: 'x'.repeat(201) }, { field: 'unitId', message: /200 characters/ }],
    ['a long name', { ...procedure, name: 'x'.repeat(2001) }, { field: 'name', message: /2000 characters/ }],
    ['a bad enum', { ...dossier, channel: 'fax' }, { field: 'channel', message: /one of "online", "in_person", "postal"/ }],
    ['a missing field', (({ dueAt: _d, ...rest }) => rest)(dossier), { field: 'dueAt', message: /is required/ }],
    ['a wrong type', { ...dossier, paidOnline: 'yes' }, { field: 'paidOnline', message: /true or false/ }],
    ['null where not allowed', { ...dossier, receivedAt: null }, { field: 'receivedAt', message: /not null/ }],
    ['an unknown type', { ...dossier, type: 'invoice' }, { field: 'type', message: /one of/ }],
    ['no type', (({ type: _t, ...rest }) => rest)(dossier), { field: 'type', message: /required/ }],
    ['not an object', [dossier], { field: '', message: /object/ }],
  ])('rejects %s, naming the field', (_name, input, expected) => {
    const errors = errorsOf(input);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.field === expected.field && expected.message.test(e.message)), JSON.stringify(errors)).toBe(true);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf({ ...dossier, supplementRequests: -1, channel: 'fax', extra: 1, completedAt: '2024-01-01T00:00:00+07:00' });
    expect(errors.map((e) => e.field).sort()).toEqual(['channel', 'completedAt', 'extra', 'supplementRequests']);
  });

  describe('against the server clock', () => {
    const now = Date.parse('2026-12-02T17:00:00Z');
    const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    const errorsAt = (input: unknown) => {
      const r = validateRecord(input, { now });
      return r.ok ? [] : r.errors;
    };

    it.each<[string, Record<string, unknown>, string]>([
      ['updatedAt', { ...procedure, updatedAt: at(3 * 3_600_000) }, 'updatedAt'],
      ['receivedAt', { ...dossier, receivedAt: at(10 * 60_000), dueAt: at(86_400_000), updatedAt: at(0) }, 'receivedAt'],
      ['completedAt', { ...dossier, completedAt: at(86_400_000) }, 'completedAt'],
      ['resolvedAt', { ...feedback, resolvedAt: at(86_400_000) }, 'resolvedAt'],
      ['announcedAt', { ...procedure, announcedAt: at(86_400_000) }, 'announcedAt'],
      ['publishedAt', { ...procedure, publishedAt: at(86_400_000) }, 'publishedAt'],
    ])('rejects %s more than 5 minutes ahead, naming the field', (_name, input, field) => {
      expect(errorsAt(input)).toEqual([{ field, message: expect.stringMatching(/ahead of the server's clock \(2026-12-02T17:00:00Z\); at most 5 minutes of clock skew is allowed$/) }]);
    });

    it('says by how much', () => {
      expect(errorsAt({ ...procedure, updatedAt: at(3 * 3_600_000) })[0].message).toBe(
        "is 3 h ahead of the server's clock (2026-12-02T17:00:00Z); at most 5 minutes of clock skew is allowed",
      );
      expect(errorsAt({ ...procedure, updatedAt: at(12 * 60_000) })[0].message).toMatch(/^is 12 min ahead/);
      expect(errorsAt({ ...procedure, updatedAt: '2099-01-01T00:00:00+07:00' })[0].message).toMatch(/^is 26\d\d\d days ahead/);
    });

    it('allows 5 minutes of skew, and due dates in the future', () => {
      expect(errorsAt({ ...dossier, updatedAt: at(5 * 60_000), dueAt: at(30 * 86_400_000) })).toEqual([]);
      expect(errorsAt({ ...feedback, dueAt: at(30 * 86_400_000) })).toEqual([]);
      expect(errorsAt({ ...procedure, announcementDueAt: at(30 * 86_400_000), publicationDueAt: at(60 * 86_400_000) })).toEqual([]);
      expect(errorsAt({ ...procedure, updatedAt: at(5 * 60_000 + 1000) }).map((e) => e.field)).toEqual(['updatedAt']);
    });

    it('reports future dates together with the other errors', () => {
      const errors = errorsAt({ ...dossier, channel: 'fax', completedAt: at(86_400_000), updatedAt: at(86_400_000), receivedAt: 'soon' });
      expect(errors.map((e) => e.field).sort()).toEqual(['channel', 'completedAt', 'receivedAt', 'updatedAt']);
    });
  });

  describe('ids and codes', () => {
    it('come back in NFC: the NFD spelling of an id is the same id', () => {
      const nfc = 'Phường-Bến-Nghé-001';
      const result = validateRecord({ ...dossier, id: nfc.normalize('NFD'), procedureId: nfc.normalize('NFD') });
      expect(result).toMatchObject({ ok: true, record: { id: nfc, procedureId: nfc } });
    });

    it.each([
      ['__proto__', 'is a reserved name'], ['constructor', 'is a reserved name'], ['prototype', 'is a reserved name'],
      ['d 1', /letters, digits/], ['=1+1', /letters, digits/], ['-d1', /letters, digits/], ['<b>', /letters, digits/], ['d1\n', /letters, digits/], ['"d1"', /letters, digits/],
    ])('refuse %j wherever an id or a code goes', (value, message) => {
      for (const [record, field] of [[dossier, 'id'], [dossier, 'unitId'], [dossier, 'procedureId'], [feedback, 'field'], [feedback, 'wardId']] as const) {
        const errors = errorsOf({ ...record, [field]: value });
        expect(errors, `${field} ${value}`).toEqual([{ field, message: typeof message === 'string' ? message : expect.stringMatching(message) }]);
      }
    });

    it('accept what source systems use: digits with leading zeros, dots, colons, slashes, Vietnamese letters', () => {
      for (const id of ['000123', '000.00.07.H29-240305-0001', 'HS/2024/17', 'urn:hs:1', 'thủ_tục_1']) expect(validateRecord({ ...dossier, id }).ok, id).toBe(true);
    });
  });

  describe('tombstones', () => {
    const tombstone = { type: 'dossier', id: 'd1', unitId: 'w1', updatedAt: '2024-03-06T08:31:00+07:00', deleted: true };
    it('are valid with exactly type, id, unitId, updatedAt and deleted: true', () => {
      expect(validateRecord(tombstone)).toEqual({ ok: true, record: tombstone });
      expect(isTombstone(tombstone as never)).toBe(true);
      expect(isTombstone(dossier)).toBe(false);
    });
    it('refuse any other field, a missing one, deleted other than true, and future dates', () => {
      const onlyFive = 'unknown field: a tombstone (deleted: true) holds only type, id, unitId, updatedAt and deleted';
      expect(errorsOf({ ...tombstone, channel: 'online' })).toEqual([{ field: 'channel', message: onlyFive }]);
      expect(errorsOf({ ...dossier, deleted: true }).map((e) => e.message)).toEqual(Array(15).fill(onlyFive));
      expect(errorsOf({ ...tombstone, deleted: false })).toEqual([{ field: 'deleted', message: 'must be true' }]);
      expect(errorsOf((({ unitId: _u, ...rest }) => rest)(tombstone))).toEqual([{ field: 'unitId', message: 'is required' }]);
      const r = validateRecord({ ...tombstone, updatedAt: '2099-01-01T00:00:00+07:00' }, { now: Date.parse('2026-12-02T17:00:00Z') });
      expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['updatedAt']);
    });
  });

  it('accepts completedAt equal to receivedAt and nullable dates', () => {
    expect(validateRecord({ ...dossier, completedAt: dossier.receivedAt }).ok).toBe(true);
    expect(validateRecord({ ...procedure, announcementDueAt: null, publishedAt: null }).ok).toBe(true);
  });
});

const city: Unit = { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP', en: 'City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false };
const unit = (id: string, parentId: string | null, kind: Unit['kind'] = 'district'): Unit => ({ ...city, id, parentId, kind, peerGroup: kind });

describe('validateRegistry', () => {
  it('accepts a tree', () => {
    expect(validateRegistry([city, unit('q1', 'hcm'), unit('w1', 'q1', 'ward')])).toEqual({ ok: true, units: expect.any(Array) });
    expect(validateUnit({ ...city, centroid: [106.7, 10.8] }).ok).toBe(true);
  });
  it('rejects duplicate ids, unknown parents and cycles', () => {
    const dup = validateRegistry([city, unit('q1', 'hcm'), unit('q1', 'hcm')]);
    expect(dup).toMatchObject({ ok: false, errors: [{ field: '2.id', message: expect.stringMatching(/duplicate/) }] });
    const orphan = validateRegistry([city, unit('q1', 'nowhere')]);
    expect(orphan).toMatchObject({ ok: false, errors: [{ field: '1.parentId', message: expect.stringMatching(/unknown parent/) }] });
    const cycle = validateRegistry([city, unit('a', 'b'), unit('b', 'a')]);
    expect(cycle.ok).toBe(false);
    if (!cycle.ok) expect(cycle.errors.every((e) => /cycle/.test(e.message))).toBe(true);
    const self = validateRegistry([unit('a', 'a')]);
    expect(self.ok).toBe(false);
  });
  it('rejects bad unit shapes with the index in the field', () => {
    expect(validateRegistry([{ ...city, kind: 'province' }])).toMatchObject({ ok: false, errors: [{ field: '0.kind' }] });
    expect(validateRegistry([{ ...city, extra: true }])).toMatchObject({ ok: false, errors: [{ field: '0.extra', message: 'unknown field' }] });
    expect(validateRegistry('nope')).toMatchObject({ ok: false });
  });
});
