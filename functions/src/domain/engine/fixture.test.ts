import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METHOD_766_V1 } from '../../../../shared-types/src/method.ts';
import type { SourceRecord, Unit } from '../../../../shared-types/src/records.ts';
import type { UnitScore } from '../../../../shared-types/src/scores.ts';
import { validateRecord, validateRegistry } from '../../../../shared-types/src/records.ts';
import { scoreAll } from './index.ts';

interface Expected {
  unitId: string;
  total: number;
  band: string;
  rank: number;
  indicators: Record<string, { n: number; d: number; points: number; noData: boolean }>;
}
const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/766-example.json', import.meta.url), 'utf8')) as {
  method: string;
  units: Unit[];
  records: SourceRecord[];
  expected: Record<string, Expected[]>;
  /** one period judged at an instant inside it */
  ongoing: { period: string; asOf: string; provisional: boolean; scores: Expected[] };
};

function expectScore(got: UnitScore | undefined, exp: Expected): void {
  expect(got).toBeDefined();
  for (const [id, e] of Object.entries(exp.indicators)) {
    const g = got!.indicators[id];
    expect({ id, n: g.n, d: g.d, noData: g.noData }).toEqual({ id, n: e.n, d: e.d, noData: e.noData });
    expect(Math.abs(g.points - e.points), `${id} points ${g.points} vs ${e.points}`).toBeLessThanOrEqual(0.0001);
  }
  expect(Math.abs(got!.total - exp.total)).toBeLessThanOrEqual(0.0001);
  expect(got!.band).toBe(exp.band);
  expect(got!.rank).toBe(exp.rank);
  expect(got!.method).toBe('766-v1');
}

describe('fixtures/766-example.json', () => {
  it('is valid input', () => {
    expect(validateRegistry(fixture.units).ok).toBe(true);
    for (const r of fixture.records) expect(validateRecord(r)).toMatchObject({ ok: true });
    expect(fixture.method).toBe(METHOD_766_V1.id);
  });

  const periods = Object.keys(fixture.expected);
  const scores = scoreAll({ units: fixture.units, records: fixture.records, periods, method: METHOD_766_V1, asOf: '2025-01-01T00:00:00+07:00' });

  for (const period of periods) {
    describe(period, () => {
      for (const exp of fixture.expected[period]) {
        it(exp.unitId, () => {
          const got = scores.find((s) => s.period === period && s.unitId === exp.unitId);
          expectScore(got, exp);
          expect(got!.provisional).toBe(false);
        });
      }
    });
  }

  describe(`${fixture.ongoing.period} judged at ${fixture.ongoing.asOf} (ongoing)`, () => {
    const { period, asOf } = fixture.ongoing;
    const ongoing = scoreAll({ units: fixture.units, records: fixture.records, periods: [period], method: METHOD_766_V1, asOf });
    for (const exp of fixture.ongoing.scores) {
      it(exp.unitId, () => {
        const got = ongoing.find((s) => s.unitId === exp.unitId);
        expectScore(got, exp);
        expect(got!.provisional).toBe(fixture.ongoing.provisional);
        expect(got!.asOf).toBe(asOf);
      });
    }
  });

  it('scores every unit for every period and nothing else', () => {
    expect(scores.length).toBe(periods.length * fixture.units.length);
  });
});
