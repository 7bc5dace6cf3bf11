import { describe, expect, it } from 'vitest';
import { METHOD_766_V1, type MethodTable } from '../../../../shared-types/src/method.ts';
import type { RecordCopy, SourceRecord, Tombstone } from '../../../../shared-types/src/records.ts';
import type { Counts, UnitScore } from '../../../../shared-types/src/scores.ts';
import { feedbackView, latestByType, latestState, ownCounts, rollUp, scoreAll, scorePeriod, splitByType } from './index.ts';
import { at, dossier, feedback, procedure, units } from './test-helpers.ts';

const w1 = units[3];
const COMPLETE = '2024-12-31T00:00:00+07:00';
const own = (
  records: { procedures?: ReturnType<typeof procedure>[]; dossiers?: ReturnType<typeof dossier>[]; feedback?: ReturnType<typeof feedback>[] },
  periods: string[],
  asOf = COMPLETE,
) => ownCounts({ unit: w1, procedures: records.procedures ?? [procedure()], dossiers: records.dossiers ?? [], feedback: records.feedback ?? [], periods, asOf });
const score = (records: SourceRecord[], periods: string[], method: MethodTable = METHOD_766_V1): UnitScore[] =>
  scoreAll({ units, records, periods, method, asOf: COMPLETE });
const find = (scores: UnitScore[], unitId: string, period: string): UnitScore => scores.find((s) => s.unitId === unitId && s.period === period)!;

describe('dossier membership and timeliness', () => {
  it('a dossier carried over from February belongs to February and March, and is received/completed once', () => {
    const d = dossier({ receivedAt: at('2024-02-20T10:00:00'), dueAt: at('2024-03-10T10:00:00'), completedAt: at('2024-03-05T10:00:00') });
    const c = own({ dossiers: [d] }, ['2024-02', '2024-03', '2024-04', '2024-Q1', '2024']);
    expect(c.get('2024-02')).toMatchObject({ dossiers: 1, dossiersOnTime: 1, dossiersReceived: 1, dossiersCompleted: 0 }); // open at end, due after end
    expect(c.get('2024-03')).toMatchObject({ dossiers: 1, dossiersOnTime: 1, dossiersReceived: 0, dossiersCompleted: 1 });
    expect(c.get('2024-04')).toMatchObject({ dossiers: 0 });
    expect(c.get('2024-Q1')).toMatchObject({ dossiers: 1, dossiersReceived: 1, dossiersCompleted: 1 });
    expect(c.get('2024')).toMatchObject({ dossiers: 1 });
  });

  it('open at period end: on time iff dueAt ≥ end (dueAt exactly at end counts as on time)', () => {
    const open = (id: string, dueAt: string) => dossier({ id, receivedAt: at('2024-03-20T10:00:00'), completedAt: null, dueAt });
    const c = own({ dossiers: [open('a', at('2024-04-01T00:00:00')), open('b', at('2024-03-31T23:59:59')), open('c', at('2024-05-10T00:00:00'))] }, ['2024-03', '2024-04']);
    expect(c.get('2024-03')).toMatchObject({ dossiers: 3, dossiersOnTime: 2, dossiersOverdue: 1 });
    // in April (end 2024-05-01) only c is still on time; a and b are open past their due dates
    expect(c.get('2024-04')).toMatchObject({ dossiers: 3, dossiersOnTime: 1, dossiersReceived: 0 });
  });

  it('finished late within the period is overdue; finished later than the period does not help', () => {
    const late = dossier({ id: 'late', receivedAt: at('2024-03-01T10:00:00'), dueAt: at('2024-03-05T10:00:00'), completedAt: at('2024-03-06T10:00:00') });
    const laterStill = dossier({ id: 'next', receivedAt: at('2024-03-01T10:00:00'), dueAt: at('2024-03-20T10:00:00'), completedAt: at('2024-04-25T10:00:00') });
    const c = own({ dossiers: [late, laterStill] }, ['2024-03', '2024-04']);
    expect(c.get('2024-03')).toMatchObject({ dossiers: 2, dossiersOnTime: 0 }); // next: unfinished at end, due < end
    expect(c.get('2024-04')).toMatchObject({ dossiers: 1, dossiersOnTime: 0 });
  });

  it('two supplement requests make a dossier overdue even when finished early; one does not', () => {
    const c = own({ dossiers: [dossier({ id: 'a', supplementRequests: 2 }), dossier({ id: 'b', supplementRequests: 1 })] }, ['2024-03']);
    expect(c.get('2024-03')).toMatchObject({ dossiers: 2, dossiersOnTime: 1, dossiersOverdue: 1, dossiersSatisfied: 1 });
  });

  it('completedAt exactly at local midnight belongs to the next month (+07:00 and Z spellings alike)', () => {
    for (const completedAt of [at('2024-04-01T00:00:00'), '2024-03-31T17:00:00Z']) {
      const d = dossier({ receivedAt: at('2024-03-25T10:00:00'), dueAt: at('2024-04-01T00:00:00'), completedAt });
      const c = own({ dossiers: [d] }, ['2024-03', '2024-04', '2024-Q1', '2024-Q2']);
      expect(c.get('2024-03')).toMatchObject({ dossiers: 1, dossiersCompleted: 0, dossiersOnTime: 1 }); // unfinished at end, due = end
      expect(c.get('2024-04')).toMatchObject({ dossiers: 1, dossiersCompleted: 1, dossiersOnTime: 1, dossiersReceived: 0 }); // c = due
      expect(c.get('2024-Q1')).toMatchObject({ dossiers: 1, dossiersCompleted: 0 });
      expect(c.get('2024-Q2')).toMatchObject({ dossiers: 1, dossiersCompleted: 1 });
    }
    // one millisecond earlier it is March's
    const d = dossier({ receivedAt: at('2024-03-25T10:00:00'), completedAt: '2024-03-31T16:59:59.999Z', dueAt: at('2024-04-01T00:00:00') });
    expect(own({ dossiers: [d] }, ['2024-04']).get('2024-04')).toMatchObject({ dossiers: 0 });
  });

  it('4.1 counts dossiers completed in P whose procedure issues a result; 3.1 only fully-online procedures', () => {
    const procs = [procedure({ id: 'full' }), procedure({ id: 'partial', onlineLevel: 'partial', resultRequired: false })];
    const ds = [
      dossier({ id: 'a', procedureId: 'full', electronicResult: true }),
      dossier({ id: 'b', procedureId: 'full', channel: 'in_person' }),
      dossier({ id: 'c', procedureId: 'partial', electronicResult: true }),
      dossier({ id: 'd', procedureId: 'full', completedAt: null, electronicResult: true }),
    ];
    const c = own({ procedures: procs, dossiers: ds }, ['2024-03']).get('2024-03')!;
    expect(c).toMatchObject({ dossiers: 4, dossiersCompletedResultRequired: 2, dossiersElectronicResult: 1, dossiersFullOnlineEligible: 3, dossiersFullOnline: 2 });
  });
});

describe('procedures', () => {
  it('1.1/1.2 take procedures due in P; on time means done by the due date; null is not done', () => {
    const procs = [
      procedure({ id: 'a', announcementDueAt: at('2024-03-10T00:00:00'), announcedAt: at('2024-03-10T00:00:00'), publicationDueAt: at('2024-03-15T00:00:00'), publishedAt: at('2024-03-16T00:00:00') }),
      procedure({ id: 'b', announcementDueAt: at('2024-03-31T23:00:00'), announcedAt: null, publicationDueAt: at('2024-04-01T00:00:00'), publishedAt: at('2024-02-01T00:00:00') }),
      procedure({ id: 'c', announcementDueAt: at('2024-02-10T00:00:00'), announcedAt: at('2024-04-01T00:00:00') }),
    ];
    const c = own({ procedures: procs }, ['2024-03', '2024-04', '2024-Q1']);
    expect(c.get('2024-03')).toMatchObject({ proceduresAnnouncementDue: 2, proceduresAnnouncedOnTime: 1, proceduresPublicationDue: 1, proceduresPublishedOnTime: 0 });
    expect(c.get('2024-04')).toMatchObject({ proceduresAnnouncementDue: 0, proceduresPublicationDue: 1, proceduresPublishedOnTime: 1 });
    expect(c.get('2024-Q1')).toMatchObject({ proceduresAnnouncementDue: 3, proceduresAnnouncedOnTime: 1, procedures: 3 });
  });

  it('3.2/3.3 count fee-bearing procedures; 3.3 once per procedure however many paid dossiers', () => {
    const procs = [
      procedure({ id: 'fee1', feeRequired: true, onlinePaymentIntegrated: true }),
      procedure({ id: 'fee2', feeRequired: true }),
      procedure({ id: 'free', feeRequired: false, onlinePaymentIntegrated: true }),
    ];
    const ds = [
      dossier({ id: 'a', procedureId: 'fee1', financialObligation: true, paidOnline: true }),
      dossier({ id: 'b', procedureId: 'fee1', financialObligation: true, paidOnline: true }),
      dossier({ id: 'c', procedureId: 'free', paidOnline: true }),
      dossier({ id: 'd', procedureId: 'fee2', financialObligation: true, paidOnline: false }),
    ];
    const c = own({ procedures: procs, dossiers: ds }, ['2024-03', '2024-04']);
    expect(c.get('2024-03')).toMatchObject({ proceduresFeeBearing: 2, proceduresPaymentIntegrated: 1, proceduresPaidOnlineInPeriod: 1, dossiersFinancialObligation: 3, dossiersPaidOnline: 2 });
    expect(c.get('2024-04')).toMatchObject({ proceduresFeeBearing: 2, proceduresPaidOnlineInPeriod: 0 });
  });
});

describe('points', () => {
  it('threshold rule caps at max; linear is proportional; empty full vs zero', () => {
    const ds = Array.from({ length: 10 }, (_, i) => dossier({ id: `d${i}`, digitized: i < 9, reusedDigitizedData: i < 7, syncedToNationalPortal: i < 5 }));
    const s = find(score([procedure(), ...ds], ['2024-03']), 'w1', '2024-03');
    expect(s.indicators['4.2']).toEqual({ n: 9, d: 10, ratio: 0.9, points: 4, max: 4, noData: false }); // 0.9 ≥ 0.8: capped
    expect(s.indicators['4.4'].points).toBeCloseTo(2 * 0.7 / 0.8, 12);
    expect(s.indicators['1.4'].points).toBe(3); // 6 × 5/10
    expect(s.indicators['5.1']).toEqual({ n: 0, d: 0, ratio: null, points: 6, max: 6, noData: false }); // no feedback: full
    expect(s.indicators['5.2']).toMatchObject({ points: 6, noData: false });
    expect(s.indicators['1.1']).toEqual({ n: 0, d: 0, ratio: null, points: 0, max: 6, noData: true }); // nothing due: zero, noData
    expect(s.indicators['4.3']).toMatchObject({ n: 1, d: 1, points: 2 }); // a ward counts itself
    expect(find(score([], ['2024-03']), 'w2', '2024-03').indicators['4.3']).toMatchObject({ n: 0, d: 1, points: 0, noData: false });
    expect(find(score([], ['2024-03']), 'dept', '2024-03').indicators['4.3']).toEqual({ n: 0, d: 0, ratio: null, points: 2, max: 2, noData: false });
  });

  it('groups add up, payment is a sub-total of onlineServices, total is the unrounded sum', () => {
    const procs = [procedure({ id: 'fee', feeRequired: true, onlinePaymentIntegrated: true })];
    const ds = [dossier({ procedureId: 'fee', financialObligation: true, paidOnline: true })];
    const s = find(score([...procs, ...ds], ['2024-03']), 'w1', '2024-03');
    expect(s.groups.onlineServices.payment).toEqual({ points: 10, max: 10 });
    expect(s.groups.onlineServices).toMatchObject({ points: 22, max: 22 });
    const sum = Object.values(s.groups).reduce((a, g) => a + g.points, 0);
    expect(s.total).toBeCloseTo(sum, 12);
    expect(s.total).toBe(Object.values(s.indicators).reduce((a, i) => a + i.points, 0));
    expect(s.groups.transparency.max + s.groups.progress.max + s.groups.onlineServices.max + s.groups.digitization.max + s.groups.satisfaction.max).toBe(100);
    expect(s.method).toBe('766-v1');
    expect(s.asOf).toBe('2024-12-31T00:00:00+07:00');
  });
});

describe('rank', () => {
  const peers = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ ...units[3], id, parentId: null }));
  const withTotals = (synced: Record<string, number>) =>
    scorePeriod({
      units: peers,
      period: '2024-03',
      pooled: new Map(Object.entries(synced).map(([id, n]) => [id, { dossiers: 100000, dossiersSynced: n } as Counts])),
      method: METHOD_766_V1,
      asOf: 'now',
    });
  it('orders by total desc then unit id, equal 2-decimal totals share a rank (1, 2, 2, 4)', () => {
    // 1.4 points = 6 × n / 100000: 60000 → 3.6, 50000 → 3, 49999 → 2.99994 (3.00 rounded), 40000 → 2.4
    const s = withTotals({ a: 50000, b: 60000, c: 49999, d: 40000, e: 50000 });
    const rank = Object.fromEntries(s.map((x) => [x.unitId, x.rank]));
    expect(rank).toEqual({ b: 1, a: 2, e: 2, c: 2, d: 5 });
  });
  it('ranks only within a peer group', () => {
    const s = score([], ['2024-03']);
    expect(s.filter((x) => x.peerGroup === 'ward').map((x) => [x.unitId, x.rank])).toEqual([['w1', 1], ['w2', 2]]);
    expect(find(s, 'dept', '2024-03').rank).toBe(1);
    expect(find(s, 'dist', '2024-03').rank).toBe(1);
  });
});

describe('roll-up', () => {
  it('pools each subtree; ratios come from pooled counts, not averaged scores', () => {
    const records: SourceRecord[] = [
      procedure({ id: 'p1', unitId: 'w1' }), procedure({ id: 'p2', unitId: 'w2' }),
      ...Array.from({ length: 3 }, (_, i) => dossier({ id: `a${i}`, unitId: 'w1', procedureId: 'p1', syncedToNationalPortal: true })),
      dossier({ id: 'b', unitId: 'w2', procedureId: 'p2' }),
    ];
    const s = score(records, ['2024-03']);
    expect(find(s, 'w1', '2024-03').indicators['1.4'].points).toBe(6);
    expect(find(s, 'w2', '2024-03').indicators['1.4'].points).toBe(0);
    expect(find(s, 'dist', '2024-03').indicators['1.4']).toMatchObject({ n: 3, d: 4, points: 4.5 }); // not (6 + 0) / 2
    expect(find(s, 'dist', '2024-03').indicators['4.3']).toMatchObject({ n: 1, d: 2, points: 1 });
    expect(find(s, 'city', '2024-03').indicators['1.4']).toMatchObject({ n: 3, d: 4 });
    expect(find(s, 'dept', '2024-03').indicators['1.4']).toMatchObject({ n: 0, d: 0, noData: true });
  });
  it('rollUp sums own counts over descendants', () => {
    const pooled = rollUp(units, new Map<string, Counts>([['w1', { dossiers: 2 }], ['w2', { dossiers: 3, feedback: 1 }], ['dist', { dossiers: 1 }], ['dept', { dossiers: 10 }]]));
    expect(pooled.get('dist')).toMatchObject({ dossiers: 6, feedback: 1 });
    expect(pooled.get('city')).toMatchObject({ dossiers: 16, feedback: 1 });
    expect(pooled.get('w1')).toMatchObject({ dossiers: 2, feedback: 0 });
  });
});

describe('latest state', () => {
  const v1 = dossier({ completedAt: null, updatedAt: at('2024-03-05T09:00:00') });
  const v2 = dossier({ updatedAt: at('2024-03-06T09:00:00') });
  it('keeps the copy with the latest updatedAt whatever the order', () => {
    expect(latestState([v1, v2])).toEqual([v2]);
    expect(latestState([v2, v1, v2, v1])).toEqual([v2]);
    const sameInstant = { ...v2, updatedAt: '2024-03-06T02:00:00Z' };
    expect(latestState([v2, sameInstant])).toEqual([v2]); // the same instant and content: the first copy stays
    expect(latestState([sameInstant, v2])).toEqual([sameInstant]);
    const c = { ...v2, digitized: true };
    expect(latestState([v2, c])).toEqual(latestState([c, v2]));
  });
  it('identifies records by (type, id)', () => {
    expect(latestState([dossier({ id: 'x' }), feedback({ id: 'x' })])).toHaveLength(2);
  });

  const withdrawn = (copy: SourceRecord, updatedAt: string): Tombstone => ({ type: copy.type, id: copy.id, unitId: copy.unitId, updatedAt, deleted: true });
  it('a tombstone replaces the record like any later copy, and the record counts nowhere; a still later copy brings it back', () => {
    const gone = withdrawn(v2, at('2024-03-07T09:00:00'));
    const back = { ...v2, updatedAt: at('2024-03-08T09:00:00') };
    for (const copies of [[v1, v2, gone], [gone, v2, v1], [v2, gone, v1, gone]] as RecordCopy[][]) {
      expect(latestState(copies)).toEqual([]);
      expect(latestByType(copies)).toEqual({ procedures: [], dossiers: [], feedback: [] });
      expect(latestState([...copies, back])).toEqual([back]);
    }
    // An older tombstone changes nothing.
    expect(latestState([v2, withdrawn(v2, at('2024-03-01T09:00:00'))])).toEqual([v2]);
    const counted = (records: RecordCopy[]) => find(scoreAll({ units, records, periods: ['2024-03'], method: METHOD_766_V1, asOf: COMPLETE }), 'city', '2024-03').indicators['4.2'].d;
    expect([counted([procedure(), v2]), counted([procedure(), v2, gone]), counted([procedure(), v2, gone, back])]).toEqual([1, 0, 1]);
    expect(counted([withdrawn(procedure(), at('2024-03-07T09:00:00')), procedure(), v2])).toBe(1); // a withdrawn procedure: the dossier still counts
  });

  it('the store holds latest copies: splitByType leaves its tombstones out', () => {
    const f = feedback();
    expect(splitByType([v2, withdrawn(f, at('2024-03-20T00:00:00')), procedure()])).toEqual({ procedures: [procedure()], dossiers: [v2], feedback: [] });
  });
});

describe('method as data', () => {
  it('a 766-v2 table with other weights, thresholds, empty rules and bands needs no code change', () => {
    const v2: MethodTable = structuredClone(METHOD_766_V1);
    v2.id = '766-v2';
    const ind = (id: string) => v2.indicators.find((i) => i.id === id)!;
    ind('1.4').max = 8; // moved 2 points from 2.1 to 1.4
    ind('2.1').max = 18;
    v2.groups.find((g) => g.key === 'transparency')!.max = 20;
    v2.groups.find((g) => g.key === 'progress')!.max = 18;
    ind('4.2').threshold = 0.95;
    ind('5.1').empty = 'zero';
    v2.bands.find((b) => b.code === 'average')!.min = 40;
    const records = [procedure(), ...Array.from({ length: 10 }, (_, i) => dossier({ id: `d${i}`, digitized: i < 9, syncedToNationalPortal: i < 5 }))];
    const a = find(score(records, ['2024-03']), 'w1', '2024-03');
    const b = find(score(records, ['2024-03'], v2), 'w1', '2024-03');
    expect(b.method).toBe('766-v2');
    expect(b.indicators['1.4']).toMatchObject({ points: 4, max: 8 });
    expect(b.indicators['4.2'].points).toBeCloseTo(4 * 0.9 / 0.95, 12);
    expect(b.indicators['5.1']).toMatchObject({ points: 0, noData: true });
    expect(b.groups.transparency.max).toBe(20);
    expect(a.indicators['1.4']).toMatchObject({ points: 3, max: 6 });
    expect(b.total).not.toBe(a.total);
  });
});

describe('the ongoing period, judged at e = min(end, asOf)', () => {
  // March 2024 scored on 20 March at noon
  const asOf = at('2024-03-20T12:00:00');
  const march = ['2024-03', '2024-Q1', '2024'];

  it('an open dossier due later this month is on time; one past its due date is overdue; one due before the month ends but after asOf is on time', () => {
    const open = (id: string, dueAt: string) => dossier({ id, receivedAt: at('2024-03-15T10:00:00'), completedAt: null, dueAt });
    const ds = [open('past', at('2024-03-19T10:00:00')), open('later', at('2024-03-25T10:00:00')), open('exact', asOf)];
    const c = own({ dossiers: ds }, march, asOf);
    // past: dueAt < e overdue; later: dueAt ≥ e on time; exact: dueAt = e on time (as dueAt = end for a complete period)
    expect(c.get('2024-03')).toMatchObject({ dossiers: 3, dossiersOnTime: 2, dossiersOverdue: 1 });
    expect(c.get('2024-Q1')).toMatchObject({ dossiers: 3, dossiersOnTime: 2 });
    // judged as if March had ended, 'later' and 'exact' would be overdue as well
    expect(own({ dossiers: ds }, ['2024-03']).get('2024-03')).toMatchObject({ dossiers: 3, dossiersOnTime: 0 });
  });

  it('a dossier finished after asOf is open at e; one received after asOf is not in P yet', () => {
    const finishedLater = dossier({ id: 'a', receivedAt: at('2024-03-18T10:00:00'), dueAt: at('2024-03-28T10:00:00'), completedAt: at('2024-03-22T10:00:00') });
    const receivedLater = dossier({ id: 'b', receivedAt: at('2024-03-21T10:00:00'), dueAt: at('2024-03-28T10:00:00'), completedAt: null });
    const c = own({ dossiers: [finishedLater, receivedLater] }, march, asOf);
    expect(c.get('2024-03')).toMatchObject({ dossiers: 1, dossiersReceived: 1, dossiersCompleted: 0, dossiersOnTime: 1 });
  });

  it('a dossier carried over from February: finished before asOf is completed in March; still open and past due is overdue', () => {
    const done = dossier({ id: 'a', receivedAt: at('2024-02-25T10:00:00'), dueAt: at('2024-03-05T10:00:00'), completedAt: at('2024-03-04T10:00:00') });
    const stuck = dossier({ id: 'b', receivedAt: at('2024-02-26T10:00:00'), dueAt: at('2024-03-08T10:00:00'), completedAt: null });
    const c = own({ dossiers: [done, stuck] }, march, asOf);
    expect(c.get('2024-03')).toMatchObject({ dossiers: 2, dossiersReceived: 0, dossiersCompleted: 1, dossiersOnTime: 1, dossiersOverdue: 1 });
    // February is complete: judged at its end, unchanged by asOf
    expect(own({ dossiers: [done, stuck] }, ['2024-02'], asOf).get('2024-02')).toEqual(own({ dossiers: [done, stuck] }, ['2024-02']).get('2024-02'));
  });

  it('1.1 and 1.2 count a procedure only once its due date has passed', () => {
    const due = (id: string, dueAt: string) => procedure({ id, announcementDueAt: dueAt, announcedAt: null, publicationDueAt: dueAt, publishedAt: at('2024-03-01T00:00:00') });
    const c = own({ procedures: [due('p1', at('2024-03-10T00:00:00')), due('p2', at('2024-03-25T00:00:00'))] }, march, asOf);
    expect(c.get('2024-03')).toMatchObject({ procedures: 2, proceduresAnnouncementDue: 1, proceduresAnnouncedOnTime: 0, proceduresPublicationDue: 1, proceduresPublishedOnTime: 1 });
  });

  it('feedback: open and not yet due is on time and counted apart from open and overdue', () => {
    const fb = [
      feedback({ id: 'a', resolvedAt: null, dueAt: at('2024-03-25T00:00:00') }),
      feedback({ id: 'b', resolvedAt: null, dueAt: at('2024-03-18T00:00:00') }),
      feedback({ id: 'c', resolvedAt: at('2024-03-21T00:00:00'), dueAt: at('2024-03-19T00:00:00') }), // resolved late, after asOf: open and overdue at e
    ];
    const view = feedbackView({ units, feedback: fb, period: '2024-03', fields: [], asOf });
    expect(view.provisional).toBe(true);
    expect(view.total).toMatchObject({ inPeriod: 3, resolved: 0, open: 3, openNotDue: 1, openOverdue: 2, onTime: 1, overdue: 2 });
    expect(own({ feedback: fb }, ['2024-03'], asOf).get('2024-03')).toMatchObject({ feedback: 3, feedbackOnTime: 1, feedbackOverdue: 2, feedbackOpen: 3 });
    const final = feedbackView({ units, feedback: fb, period: '2024-03', fields: [], asOf: COMPLETE });
    expect(final.provisional).toBe(false);
    expect(final.total).toMatchObject({ open: 2, openNotDue: 0, openOverdue: 2, resolved: 1, overdue: 3 });
  });

  it('scores carry provisional and asOf: true for the ongoing month, quarter and year, false for complete periods', () => {
    const scores = scoreAll({ units, records: [procedure(), dossier()], periods: ['2024-02', ...march], method: METHOD_766_V1, asOf });
    expect([...new Set(scores.map((x) => `${x.period}:${x.provisional}`))]).toEqual(['2024-02:false', '2024-03:true', '2024-Q1:true', '2024:true']);
    expect(scores.every((x) => x.asOf === asOf)).toBe(true);
  });
});

describe('feedbackView', () => {
  it('gives per-field and per-unit figures whose rates equal 5.1 and 5.2', () => {
    const fb = [
      feedback({ id: 'a', field: 'dat-dai' }),
      feedback({ id: 'b', field: 'dat-dai', resolvedAt: at('2024-03-20T08:00:00'), unitId: 'w2' }), // late
      feedback({ id: 'c', field: 'other', resolvedAt: null, dueAt: at('2024-04-15T00:00:00') }), // open, not yet due
      feedback({ id: 'd', field: 'other', dislikes: 2, likes: 1 }),
      feedback({ id: 'e', field: 'other', receivedAt: at('2024-02-20T00:00:00'), dueAt: at('2024-03-01T00:00:00'), resolvedAt: at('2024-03-02T00:00:00'), reComplained: true }),
    ];
    const view = feedbackView({ units, feedback: fb, period: '2024-03', asOf: COMPLETE, fields: [{ code: 'dat-dai', name: { vi: 'Đất đai', en: 'Land' } }, { code: 'xay-dung', name: { vi: 'Xây dựng', en: 'Construction' } }] });
    expect(view.total).toMatchObject({ inPeriod: 5, received: 4, resolved: 4, resolvedOnTime: 2, onTime: 3, overdue: 2, open: 1, openNotDue: 1, openOverdue: 0, satisfied: 2 });
    expect(view.byField.map((r) => [r.field, r.inPeriod])).toEqual([['dat-dai', 2], ['xay-dung', 0], ['other', 3]]);
    expect(view.byField[1].onTimeRate).toBeNull();
    expect(view.byUnit.map((r) => [r.unitId, r.inPeriod, r.overdue])).toEqual([['w1', 4, 1], ['w2', 1, 1]]);
    const s = score([...fb], ['2024-03']);
    for (const row of view.byUnit) {
      const u = find(s, row.unitId, '2024-03');
      expect(row.onTimeRate).toBe(u.indicators['5.1'].ratio);
      expect(row.satisfactionRate).toBe(u.indicators['5.2'].ratio);
    }
    expect(view.total.onTimeRate).toBe(find(s, 'city', '2024-03').indicators['5.1'].ratio);
    const dist = feedbackView({ units, feedback: fb, period: '2024-03', fields: [], unitId: 'dept', asOf: COMPLETE });
    expect(dist.total.inPeriod).toBe(0);
  });
});
