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
import { HOUR, T1, dossierArb, feedbackArb, instant, iso, procedureArb, recordsArb, tombstoneArb, unitIds } from './arbitraries.ts';

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
