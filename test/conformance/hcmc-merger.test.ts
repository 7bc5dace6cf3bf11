/**
 * Conformance across HCMC's change of structure on 1 July 2025 (issue 18): demo data of both registries (2025-04 to
 * 2025-09, open dossiers of merged wards moved to successors) scored by the engine, checked against counts taken
 * apart from it (test/support/verify.ts) for 2025-Q2, 2025-Q3, 2025 and the months around the change, and against
 * the registries themselves: who is scored, ranked and retired.
 */
import { describe, expect, it } from 'vitest';
import { loadCity, methodFor } from '../../functions/src/commons/city.ts';
import { generateDemoData } from '../../tools/demo/generate.ts';
import { latestState, scoreAll } from '../../functions/src/domain/engine/index.ts';
import { parsePeriod } from '../../shared-types/src/periods.ts';
import { independentCounts } from '../support/verify.ts';

const city = loadCity('hcmc');
const sent = [...generateDemoData({ units: city.registries, from: '2025-04', to: '2025-09', seed: 18, scale: 0.2, now: Date.parse('2025-10-02T00:00:00+07:00') })];
const periods = ['2025-06', '2025-07', '2025-Q2', '2025-Q3', '2025'];
const asOf = '2025-10-02T00:00:00+07:00';
const scores = scoreAll({ units: city.structure, records: latestState(sent), periods, method: methodFor(city.methods, '2025'), asOf });
const counts = independentCounts(city.registries, sent, periods.map(parsePeriod));
const [before, after] = city.registries.map((registry) => new Set(registry.units.map((unit) => unit.id)));
const of = (period: string) => scores.filter((score) => score.period === period);

describe('HCMC across the merger of 1 July 2025', () => {
  it('scores each period on the structure in force during it: 359 units before, 188 after, both in 2025 (the ceased retired, not ranked)', () => {
    const ids = (period: string) => of(period).map((s) => s.unitId).sort();
    expect(ids('2025-Q2')).toEqual([...before].sort());
    expect(of('2025-06').every((s) => s.retired === undefined && s.rank !== null)).toBe(true);
    expect(ids('2025-Q3')).toEqual([...after].sort());
    expect(ids('2025-07')).toEqual([...after].sort());
    const year = of('2025');
    expect(year.length).toBe(new Set([...before, ...after]).size);
    for (const score of year) {
      const ceased = before.has(score.unitId) && !after.has(score.unitId);
      expect(score.retired ?? false, score.unitId).toBe(ceased);
      expect(score.rank === null, score.unitId).toBe(ceased);
    }
    // ranks of one peer group are 1..n over the units in force at the end
    const wards = year.filter((s) => s.peerGroup === 'ward-urban' && s.rank !== null).map((s) => s.rank!).sort((a, b) => a - b);
    expect(wards[0]).toBe(1);
    expect(wards.length).toBe([...after].filter((id) => city.structure.byId.get(id)!.peerGroup === 'ward-urban').length);
  });

  it('counts every record where an independent count puts it: dossiers, receipts, reuse and feedback of every unit', () => {
    let compared = 0;
    for (const score of scores) {
      const count = counts.get(`${score.period}|${score.unitId}`) ?? { dossiers: 0, received: 0, receivedReused: 0, feedback: 0 };
      const got = { dossiers: score.indicators['4.2'].d, received: score.indicators['4.4'].d, receivedReused: score.indicators['4.4'].n, feedback: score.indicators['5.1'].d };
      expect(got, `${score.period} ${score.unitId}`).toEqual(count);
      compared++;
    }
    expect(compared).toBe(of('2025-06').length + of('2025-07').length + of('2025-Q2').length + of('2025-Q3').length + of('2025').length);
  });

  it('the city\'s 2025 counts every dossier of the year, and Q2 keeps the dossiers the merger moved', () => {
    const latest = latestState(sent).filter((r) => r.type === 'dossier');
    const inYear = latest.filter((d) => d.type === 'dossier' && d.receivedAt < '2026' && (d.completedAt === null || d.completedAt >= '2025'));
    expect(of('2025').find((s) => s.unitId === 'hcm')!.indicators['4.2'].d).toBe(inYear.length);
    const q2 = of('2025-Q2').find((s) => s.unitId === 'hcm')!.indicators['4.2'].d;
    const movedFromQ2 = latest.filter((d) => d.type === 'dossier' && after.has(d.unitId) && d.receivedAt < '2025-07-01T00:00:00+07:00');
    expect(movedFromQ2.length).toBeGreaterThan(10);
    expect(q2).toBeGreaterThanOrEqual(movedFromQ2.length);
    expect(q2).toBe(counts.get('2025-Q2|hcm')!.dossiers);
  });
});
