import { describe, expect, it } from 'vitest';
import { parsePeriod, parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { Unit } from '../../../../shared-types/src/records.ts';
import { METHOD_766_V1 } from '../../../../shared-types/src/method.ts';
import { feedbackView, scoreAll } from '../engine/index.ts';
import { at, dossier, feedback } from '../engine/test-helpers.ts';
import { acceptsRecordAt, datesOf, structureIn, structureOf, successorsOf, unitsAt, withinScopes, type Registry } from './structure.ts';

const unit = (id: string, parentId: string | null, kind: Unit['kind'], extra: Partial<Unit> = {}): Unit => ({
  id, parentId, kind, name: { vi: id, en: id }, peerGroup: kind, offersElectronicCertifiedCopy: kind === 'ward', ...extra,
});

/** A city merged on 1 July 2024: district D and its wards w1, w2 become wards n1 (w1 and part of w2) and n2 (the rest of w2). */
const before: Registry = {
  registry: 'before', validFrom: '2024-01-01', validTo: '2024-06-30',
  units: [unit('C', null, 'city'), unit('S', 'C', 'department'), unit('D', 'C', 'district'), unit('w1', 'D', 'ward'), unit('w2', 'D', 'ward')],
};
const after: Registry = {
  registry: 'after', validFrom: '2024-07-01', validTo: null,
  units: [
    unit('C', null, 'city'), unit('S', 'C', 'department'),
    unit('n1', 'C', 'ward', { predecessors: [{ id: 'w1' }, { id: 'w2', part: true }] }),
    unit('n2', 'C', 'ward', { predecessors: [{ id: 'w2', part: true }], offersElectronicCertifiedCopy: false }),
  ],
};
const city = structureOf([after, before]);
const judged = (period: string, asOf?: string) => {
  const { start, end } = parsePeriod(period);
  return structureIn(city, start, asOf ? Math.min(end, parseTimestamp(asOf)) : end);
};
const ids = (units: readonly Unit[]) => units.map((u) => u.id);

describe('structureOf', () => {
  it('orders registries by date and lists every unit once', () => {
    expect(city.registries.map((r) => r.name)).toEqual(['before', 'after']);
    expect(ids(city.units)).toEqual(['C', 'S', 'D', 'w1', 'w2', 'n1', 'n2']);
    expect(datesOf(city, 'w1')).toEqual({ validFrom: '2024-01-01', validTo: '2024-06-30' });
    expect(datesOf(city, 'C')).toEqual({ validFrom: '2024-01-01', validTo: null });
    expect(successorsOf(city, 'w2').map((u) => u.id)).toEqual(['n1', 'n2']);
  });

  it('refuses overlapping registries, bad dates and unknown predecessors, naming them', () => {
    expect(() => structureOf([before, { ...after, validFrom: '2024-06-30' }])).toThrow(/"before" and "after" are in force at the same time/);
    expect(() => structureOf([{ ...before, validTo: '2024-06-31' }])).toThrow(/registry "before": validTo must be a date/);
    expect(() => structureOf([{ ...before, validTo: '2023-06-30' }])).toThrow(/validTo \(2023-06-30\) is before validFrom/);
    expect(() => structureOf([after])).toThrow(/unit "n1"\.predecessors names "w1", which is in no earlier registry/);
  });
});

describe('structureIn: who is scored, ranked and pooled in a period', () => {
  it('a period before the change: the old structure, nobody retired', () => {
    const q2 = judged('2024-Q2');
    expect(ids(q2.units)).toEqual(['C', 'S', 'D', 'w1', 'w2']);
    expect([...q2.retired]).toEqual([]);
    // the city pools the dated records of both subtrees: a dossier moved to n1 by the merger still counts before it
    expect([...q2.members.get('C')!].sort()).toEqual(['C', 'D', 'S', 'n1', 'n2', 'w1', 'w2']);
    // June ends at the change: judged at its end, the old registry still holds at the last instant judged
    expect([...judged('2024-06').retired]).toEqual([]);
  });

  it('a period after the change: the new structure only', () => {
    const q3 = judged('2024-Q3');
    expect(ids(q3.units)).toEqual(['C', 'S', 'n1', 'n2']);
    expect([...q3.members.get('C')!].sort()).toEqual(['C', 'D', 'S', 'n1', 'n2', 'w1', 'w2']);
    expect(q3.byId.has('w1')).toBe(false);
  });

  it('a period across the change: everyone, the ceased retired, the city pooling both subtrees', () => {
    const year = judged('2024');
    expect(ids(year.units)).toEqual(['C', 'S', 'D', 'w1', 'w2', 'n1', 'n2']);
    expect([...year.retired].sort()).toEqual(['D', 'w1', 'w2']);
    expect([...year.members.get('C')!].sort()).toEqual(['C', 'D', 'S', 'n1', 'n2', 'w1', 'w2']);
    expect([...year.members.get('D')!].sort()).toEqual(['D', 'w1', 'w2']);
  });

  it('the ongoing period holds the units in force so far', () => {
    expect(ids(judged('2024', '2024-05-01T00:00:00+07:00').units)).toEqual(['C', 'S', 'D', 'w1', 'w2']);
    expect(ids(unitsAt(city, parseTimestamp('2024-07-01T00:00:00+07:00')))).toEqual(['C', 'S', 'n1', 'n2']);
  });
});

describe('records and keys over time', () => {
  it('a record names a unit in force at its receipt, or a successor of one', () => {
    expect(acceptsRecordAt(city, 'w1', parseTimestamp(at('2024-05-01T08:00:00')))).toBe(true);
    expect(acceptsRecordAt(city, 'n1', parseTimestamp(at('2024-05-01T08:00:00')))).toBe(true); // moved by the merger
    expect(acceptsRecordAt(city, 'w1', parseTimestamp(at('2024-07-01T00:00:00')))).toBe(false); // merged away
    expect(acceptsRecordAt(city, 'n2', parseTimestamp(at('2023-12-31T23:59:59')))).toBe(false); // before any registry
    expect(acceptsRecordAt(city, 'C', parseTimestamp(at('2024-12-31T08:00:00')))).toBe(true);
  });

  it('a key scope covers a unit below it in any registry', () => {
    expect(withinScopes(city, 'w1', ['D'])).toBe(true);
    expect(withinScopes(city, 'n1', ['C'])).toBe(true);
    expect(withinScopes(city, 'n1', ['D'])).toBe(false);
    expect(withinScopes(city, 'S', ['S'])).toBe(true);
  });
});

describe('scores across the change (hand-computed)', () => {
  // one dossier on time before the change (w1, May), one late after it (n1, August)
  const records = [
    dossier({ id: 'a', unitId: 'w1', receivedAt: at('2024-05-02T08:00:00'), dueAt: at('2024-05-10T08:00:00'), completedAt: at('2024-05-03T08:00:00'), updatedAt: at('2024-05-03T09:00:00') }),
    dossier({ id: 'b', unitId: 'n1', receivedAt: at('2024-08-02T08:00:00'), dueAt: at('2024-08-10T08:00:00'), completedAt: at('2024-08-20T08:00:00'), updatedAt: at('2024-08-20T09:00:00') }),
  ];
  const scores = scoreAll({ units: structureOf([before, after]), records, periods: ['2024-Q2', '2024-Q3', '2024'], method: METHOD_766_V1, asOf: '2025-01-01T00:00:00+07:00' });
  const of = (period: string, unitId: string) => scores.find((s) => s.period === period && s.unitId === unitId);

  it('the city pools every record of the year, before and after the merger', () => {
    expect(of('2024-Q2', 'C')!.indicators['2.1']).toMatchObject({ n: 1, d: 1 });
    expect(of('2024-Q3', 'C')!.indicators['2.1']).toMatchObject({ n: 0, d: 1 });
    expect(of('2024', 'C')!.indicators['2.1']).toMatchObject({ n: 1, d: 2 });
  });

  it('a dossier a merger moved to a successor still counts for the city before the merger, and for the successor after', () => {
    const moved = [...records, dossier({ id: 'c', unitId: 'n1', receivedAt: at('2024-06-20T08:00:00'), dueAt: at('2024-07-10T08:00:00'), completedAt: null, updatedAt: at('2024-07-01T09:00:00') })];
    const again = scoreAll({ units: structureOf([before, after]), records: moved, periods: ['2024-Q2', '2024-Q3'], method: METHOD_766_V1, asOf: '2025-01-01T00:00:00+07:00' });
    const find = (period: string, unitId: string) => again.find((s) => s.period === period && s.unitId === unitId)!;
    expect(find('2024-Q2', 'C').indicators['2.1']).toMatchObject({ n: 2, d: 2 });
    expect(find('2024-Q3', 'n1').indicators['2.1']).toMatchObject({ n: 0, d: 2 });
  });

  it('4.3 counts the wards in force in the period', () => {
    expect(of('2024-Q2', 'C')!.indicators['4.3']).toMatchObject({ n: 2, d: 2 });
    expect(of('2024-Q3', 'C')!.indicators['4.3']).toMatchObject({ n: 1, d: 2 });
    expect(of('2024', 'C')!.indicators['4.3']).toMatchObject({ n: 3, d: 4 });
  });

  it('scores only the units of the period; the ceased are retired and not ranked', () => {
    expect(scores.filter((s) => s.period === '2024-Q3').map((s) => s.unitId)).toEqual(['C', 'S', 'n1', 'n2']);
    expect(of('2024-Q3', 'w1')).toBeUndefined();
    expect(of('2024', 'w1')).toMatchObject({ retired: true, rank: null });
    expect(of('2024', 'w1')!.indicators['2.1']).toMatchObject({ n: 1, d: 1 });
    expect(of('2024', 'n1')).toMatchObject({ rank: 1 });
    expect(of('2024', 'n1')!.retired).toBeUndefined();
    expect(of('2024', 'n2')).toMatchObject({ rank: 2 });
    expect(of('2024-Q2', 'w2')).toMatchObject({ rank: 2 });
  });

  it('the 1022 view of a unit takes its subtrees in the period', () => {
    const fb = [
      feedback({ id: 'f-old', unitId: 'w2', receivedAt: at('2024-06-02T08:00:00'), dueAt: at('2024-06-10T08:00:00'), resolvedAt: at('2024-06-03T08:00:00'), updatedAt: at('2024-06-03T09:00:00') }),
      feedback({ id: 'f-new', unitId: 'n2', receivedAt: at('2024-09-02T08:00:00'), dueAt: at('2024-09-10T08:00:00'), resolvedAt: at('2024-09-03T08:00:00'), updatedAt: at('2024-09-03T09:00:00') }),
    ];
    const view = (period: string, unitId: string | null) => feedbackView({ units: city, feedback: fb, period, fields: [], unitId, asOf: '2025-01-01T00:00:00+07:00' });
    expect(view('2024', 'C').total.inPeriod).toBe(2);
    expect(view('2024', 'D').total.inPeriod).toBe(1);
    expect(view('2024-Q3', null).total.inPeriod).toBe(1);
    expect(() => view('2024-Q3', 'D')).toThrow(/unit "D" is not in force in 2024-Q3/);
  });
});
