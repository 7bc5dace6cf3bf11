/** Random registries' records for property tests (fast-check arbitraries; not exported from index.ts). */
import fc from 'fast-check';
import type { Dossier, Feedback, Procedure, RecordCopy, RecordType, Tombstone } from '../../../../shared-types/src/records.ts';
import { units } from './test-helpers.ts';

export const unitIds = units.map((u) => u.id);
export const T0 = Date.parse('2023-12-01T00:00:00+07:00');
export const T1 = Date.parse('2024-07-01T00:00:00+07:00');
export const HOUR = 3_600_000;
export const iso = (ms: number): string => `${new Date(ms + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;
// instants land on local midnights often, to hit period boundaries
export const instant = fc.oneof(
  fc.integer({ min: T0, max: T1 }).map((ms) => ms - (ms % 1000)),
  fc.integer({ min: 0, max: 7 }).map((m) => Date.parse(`2024-0${m + 1 > 9 ? 9 : m + 1}-01T00:00:00+07:00`)),
);
export const procIds = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const procUnit = (id: string): string => unitIds[Number(id.slice(1)) % unitIds.length];

export const procedureArb: fc.Arbitrary<Procedure> = fc.record({
  id: fc.constantFrom(...procIds),
  onlineLevel: fc.constantFrom('full', 'partial', 'none'),
  bools: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  due: fc.option(instant), done: fc.option(instant), pdue: fc.option(instant), pdone: fc.option(instant),
  components: fc.integer({ min: 0, max: 7 }),
  updated: instant,
}).map((x) => ({
  type: 'procedure', id: x.id, unitId: procUnit(x.id), name: 'x', onlineLevel: x.onlineLevel as Procedure['onlineLevel'],
  feeRequired: x.bools[0], onlinePaymentIntegrated: x.bools[1], resultRequired: x.bools[2], citizenApplicants: x.bools[3], populationDataConnected: x.bools[4],
  announcementDueAt: x.due === null ? null : iso(x.due), announcedAt: x.done === null ? null : iso(x.done),
  publicationDueAt: x.pdue === null ? null : iso(x.pdue), publishedAt: x.pdone === null ? null : iso(x.pdone),
  componentsPublished: x.components, updatedAt: iso(x.updated),
}));

export const dossierArb: fc.Arbitrary<Dossier> = fc.record({
  id: fc.integer({ min: 0, max: 30 }), proc: fc.constantFrom(...procIds), r: instant,
  dueAfter: fc.integer({ min: 0, max: 40 * 24 }), doneAfter: fc.option(fc.integer({ min: 0, max: 60 * 24 })),
  sup: fc.integer({ min: 0, max: 3 }), channel: fc.constantFrom('online', 'in_person', 'postal'),
  bools: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), updated: fc.integer({ min: 0, max: 5 }),
}).map((x) => ({
  type: 'dossier', id: `d${x.id}`, unitId: procUnit(x.proc), procedureId: x.proc, receivedAt: iso(x.r), channel: x.channel as Dossier['channel'],
  dueAt: iso(x.r + x.dueAfter * HOUR), completedAt: x.doneAfter === null ? null : iso(x.r + x.doneAfter * HOUR), supplementRequests: x.sup,
  syncedToNationalPortal: x.bools[0], financialObligation: x.bools[1], paidOnline: x.bools[2], electronicResult: x.bools[3], digitized: x.bools[4],
  reusedDigitizedData: x.bools[5], linkedPersonalDataStore: x.bools[6], usesPopulationData: x.bools[7], citizenComplaint: x.bools[8],
  updatedAt: iso(T0 + x.updated * HOUR),
}));

export const feedbackArb: fc.Arbitrary<Feedback> = fc.record({
  id: fc.integer({ min: 0, max: 20 }), unit: fc.constantFrom(...unitIds), r: instant, dueAfter: fc.integer({ min: 0, max: 30 * 24 }),
  doneAfter: fc.option(fc.integer({ min: 0, max: 45 * 24 })), likes: fc.nat(3), dislikes: fc.nat(3), re: fc.boolean(), updated: fc.integer({ min: 0, max: 5 }),
}).map((x) => ({
  type: 'feedback', id: `f${x.id}`, unitId: x.unit, field: 'other', category: 'other', receivedAt: iso(x.r), dueAt: iso(x.r + x.dueAfter * HOUR),
  resolvedAt: x.doneAfter === null ? null : iso(x.r + x.doneAfter * HOUR), likes: x.likes, dislikes: x.dislikes, reComplained: x.re, wardId: null,
  updatedAt: iso(T0 + x.updated * HOUR),
}));

// Tombstones share the id spaces and the updatedAt range of the records, so they land before, between and after their copies.
export const tombstoneArb: fc.Arbitrary<Tombstone> = fc.record({
  kind: fc.constantFrom<[RecordType, string]>(['procedure', 'p'], ['dossier', 'd'], ['feedback', 'f']), n: fc.integer({ min: 0, max: 30 }),
  unit: fc.constantFrom(...unitIds), hours: fc.integer({ min: 0, max: 6 }), at: instant,
}).map(({ kind: [type, prefix], n, unit, hours, at }) => ({
  type, id: type === 'procedure' ? procIds[n % procIds.length] : `${prefix}${n % (type === 'dossier' ? 31 : 21)}`, unitId: unit,
  updatedAt: iso(type === 'procedure' ? at : T0 + hours * HOUR), deleted: true,
}));
export const recordsArb = fc.array(fc.oneof({ arbitrary: procedureArb, weight: 3 }, { arbitrary: dossierArb, weight: 3 }, { arbitrary: feedbackArb, weight: 3 }, { arbitrary: tombstoneArb, weight: 1 }), {
  maxLength: 60,
}) as fc.Arbitrary<RecordCopy[]>;
