/** Property tests: invariants of the engine over random registries and records (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHOD_766_V1, MEASURE_IDS } from '../../../../shared-types/src/method.ts';
import type { Dossier, Feedback, Procedure, RecordCopy, RecordType, Tombstone, Unit } from '../../../../shared-types/src/records.ts';
import { validateRecord } from '../../../../shared-types/src/records.ts';
import { parsePeriod } from '../../../../shared-types/src/periods.ts';
import { pooledCounts, scoreAll } from './index.ts';
import { referenceScoreAll } from './reference.ts';
import { units } from './test-helpers.ts';

const unitIds = units.map((u) => u.id);
const T0 = Date.parse('2023-12-01T00:00:00+07:00');
const T1 = Date.parse('2024-07-01T00:00:00+07:00');
const HOUR = 3_600_000;
const iso = (ms: number): string => `${new Date(ms + 7 * HOUR).toISOString().slice(0, 19)}+07:00`;
// instants land on local midnights often, to hit period boundaries
const instant = fc.oneof(
  fc.integer({ min: T0, max: T1 }).map((ms) => ms - (ms % 1000)),
  fc.integer({ min: 0, max: 7 }).map((m) => Date.parse(`2024-0${m + 1 > 9 ? 9 : m + 1}-01T00:00:00+07:00`)),
);
const procIds = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const procUnit = (id: string): string => unitIds[Number(id.slice(1)) % unitIds.length];

const procedureArb: fc.Arbitrary<Procedure> = fc.record({
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

const dossierArb: fc.Arbitrary<Dossier> = fc.record({
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

const feedbackArb: fc.Arbitrary<Feedback> = fc.record({
  id: fc.integer({ min: 0, max: 20 }), unit: fc.constantFrom(...unitIds), r: instant, dueAfter: fc.integer({ min: 0, max: 30 * 24 }),
  doneAfter: fc.option(fc.integer({ min: 0, max: 45 * 24 })), likes: fc.nat(3), dislikes: fc.nat(3), re: fc.boolean(), updated: fc.integer({ min: 0, max: 5 }),
}).map((x) => ({
  type: 'feedback', id: `f${x.id}`, unitId: x.unit, field: 'other', category: 'other', receivedAt: iso(x.r), dueAt: iso(x.r + x.dueAfter * HOUR),
  resolvedAt: x.doneAfter === null ? null : iso(x.r + x.doneAfter * HOUR), likes: x.likes, dislikes: x.dislikes, reComplained: x.re, wardId: null,
  updatedAt: iso(T0 + x.updated * HOUR),
}));

// Tombstones share the id spaces and the updatedAt range of the records, so they land before, between and after their copies.
const tombstoneArb: fc.Arbitrary<Tombstone> = fc.record({
  kind: fc.constantFrom<[RecordType, string]>(['procedure', 'p'], ['dossier', 'd'], ['feedback', 'f']), n: fc.integer({ min: 0, max: 30 }),
  unit: fc.constantFrom(...unitIds), hours: fc.integer({ min: 0, max: 6 }), at: instant,
}).map(({ kind: [type, prefix], n, unit, hours, at }) => ({
  type, id: type === 'procedure' ? procIds[n % procIds.length] : `${prefix}${n % (type === 'dossier' ? 31 : 21)}`, unitId: unit,
  updatedAt: iso(type === 'procedure' ? at : T0 + hours * HOUR), deleted: true,
}));
const recordsArb = fc.array(fc.oneof({ arbitrary: procedureArb, weight: 3 }, { arbitrary: dossierArb, weight: 3 }, { arbitrary: feedbackArb, weight: 3 }, { arbitrary: tombstoneArb, weight: 1 }), {
  maxLength: 60,
}) as fc.Arbitrary<RecordCopy[]>;
const periods = ['2023-12', '2024-01', '2024-02', '2024-03', '2024-Q1', '2024-Q2', '2024', '2023'];
// Most runs judge every period complete; the others score at an instant inside the periods (ongoing ones).
const COMPLETE = iso(T1 + 400 * 24 * HOUR);
const asOfArb = fc.oneof(fc.constant(COMPLETE), instant.map(iso));
const run = (records: RecordCopy[], us: Unit[] = units, asOf = COMPLETE) => scoreAll({ units: us, records, periods, method: METHOD_766_V1, asOf });

describe('engine properties', () => {
  it('generated records are valid', () => {
    fc.assert(fc.property(recordsArb, (records) => records.every((r) => validateRecord(r).ok)), { numRuns: 50 });
  });

  it('points are within [0, max]; groups and total add up; bands and ranks are consistent', () => {
    fc.assert(fc.property(recordsArb, asOfArb, (records, asOf) => {
      for (const s of run(records, units, asOf)) {
        let sum = 0;
        for (const ind of Object.values(s.indicators)) {
          expect(ind.points).toBeGreaterThanOrEqual(0);
          expect(ind.points).toBeLessThanOrEqual(ind.max);
          expect(ind.n).toBeLessThanOrEqual(ind.d);
          expect(ind.noData).toBe(ind.d === 0 && ind.points === 0);
          sum += ind.points;
        }
        expect(s.total).toBe(sum);
        const groups = Object.values(s.groups);
        expect(groups.reduce((a, g) => a + g.points, 0)).toBeCloseTo(s.total, 9);
        expect(s.groups.onlineServices.payment!.points).toBeLessThanOrEqual(s.groups.onlineServices.points + 1e-9);
        expect(s.total).toBeGreaterThanOrEqual(0);
        expect(s.total).toBeLessThanOrEqual(100 + 1e-9);
        expect(s.rank).toBeGreaterThanOrEqual(1);
      }
    }), { numRuns: 150 });
  });

  it("a parent's counts are the sum of its own and its children's (the sum over its subtree)", () => {
    fc.assert(fc.property(recordsArb, asOfArb, (records, asOf) => {
      const pc = pooledCounts({ units, records, periods, asOf });
      const ownPlain = pooledCounts({ units: units.map((u) => ({ ...u, parentId: null })), records, periods, asOf }); // no roll-up
      for (const p of periods) {
        for (const m of MEASURE_IDS) {
          const own = (id: string) => ownPlain.get(id, p)![m] ?? 0;
          const pooled = (id: string) => pc.get(id, p)![m] ?? 0;
          expect(pooled('dist')).toBe(own('dist') + pooled('w1') + pooled('w2'));
          expect(pooled('city')).toBe(own('city') + pooled('dept') + pooled('dist'));
          expect(pooled('city')).toBe(unitIds.reduce((a, id) => a + own(id), 0));
          expect(pooled('w1')).toBe(own('w1'));
        }
      }
    }), { numRuns: 80 });
  });

  it('order and duplication of the input records do not change the results', () => {
    fc.assert(fc.property(recordsArb, fc.integer(), asOfArb, (records, seed, asOf) => {
      const shuffled = [...records, ...records.slice(0, Math.ceil(records.length / 2))];
      let s = seed >>> 0;
      for (let i = shuffled.length - 1; i > 0; i--) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        const j = s % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      expect(run(shuffled, units, asOf)).toEqual(run(records, units, asOf));
    }), { numRuns: 150 });
  });

  it('agrees with the naive reference implementation written straight from INDEX-766.md', () => {
    fc.assert(fc.property(recordsArb, asOfArb, (records, asOf) => {
      const fast = run(records, units, asOf);
      const slow = referenceScoreAll({ units, records, periods, method: METHOD_766_V1, asOf });
      expect(fast).toEqual(slow);
    }), { numRuns: 300 });
  });

  it('a period is final once asOf reaches its end: later instants change nothing, and provisional is asOf < end', () => {
    fc.assert(fc.property(recordsArb, instant, (records, at) => {
      const asOf = iso(at);
      const scores = run(records, units, asOf);
      const final = run(records);
      scores.forEach((s, i) => {
        const ended = parsePeriod(s.period).end <= at;
        expect(s.provisional).toBe(!ended);
        if (ended) expect({ ...s, asOf: '' }).toEqual({ ...final[i], asOf: '' });
      });
    }), { numRuns: 150 });
  });
});
