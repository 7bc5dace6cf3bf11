import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { RecordCopy } from '../../../../shared-types/src/records.ts';
import { feedbackView, latestState, ownCounts, splitByType } from '../engine/index.ts';
import { HOUR, T1, instant, iso, recordsArb } from '../engine/arbitraries.ts';
import { at, dossier, feedback, procedure, units } from '../engine/test-helpers.ts';
import { CATALOGUE, NAMED, addInto, awaitingProcedureOf, cellKey, countsOfCells, difference, feedbackOfCell, periodsAt, rejudgeAfter, tallyOf, type Cells } from './tally.ts';

const FIRST = '2023-12';
const ms = (local: string) => parseTimestamp(at(local));
const unit = (id: string) => units.find((u) => u.id === id)!;
const cell = (cells: Cells, unitId: string, period: string) => cells.get(cellKey({ unitId, period }));
const sum = (copies: RecordCopy[], atMs: number) => copies.reduce((cells, copy) => addInto(cells, tallyOf(copy, atMs, FIRST)), new Map() as Cells);

describe('tallyOf, by hand', () => {
  it('a dossier open across 1 April counts in March, and in April only once the clock has reached April', () => {
    const open = dossier({ receivedAt: at('2024-03-25T08:00:00'), dueAt: at('2024-04-03T17:00:00'), completedAt: null });
    const march = tallyOf(open, ms('2024-03-28T00:00:00'), FIRST);
    expect(cell(march, 'w1', '2024-03')).toMatchObject({ dossiers: 1, dossiersOnTime: 1, dossiersReceived: 1 });
    expect(cell(march, 'w1', '2024-04')).toBeUndefined();
    // judged on 2 April: March is over (overdue there: unfinished at its end with dueAt ≥ end is on time, so still on time)
    const april = tallyOf(open, ms('2024-04-02T00:00:00'), FIRST);
    expect(cell(april, 'w1', '2024-03')).toMatchObject({ dossiers: 1, dossiersOnTime: 1 });
    expect(cell(april, 'w1', '2024-04')).toMatchObject({ dossiers: 1, dossiersOnTime: 1 });
    expect(cell(april, 'w1', '2024-04')?.dossiersReceived).toBeUndefined();
    // on 4 April its due date has passed: overdue in April (and in Q2, 2024), still on time in March
    const late = tallyOf(open, ms('2024-04-04T00:00:00'), FIRST);
    expect(cell(late, 'w1', '2024-04')).toMatchObject({ dossiers: 1, dossiersOverdue: 1 });
    expect(cell(late, 'w1', '2024-Q2')).toMatchObject({ dossiersOverdue: 1 });
    expect(cell(late, 'w1', '2024-03')).toMatchObject({ dossiersOnTime: 1 });
  });

  it('the procedure-dependent counts are kept per procedure and joined with its flags when scored', () => {
    const paid = (id: string) => dossier({ id, financialObligation: true, paidOnline: true, electronicResult: true });
    const cells = sum([paid('d1'), paid('d2'), procedure({ onlineLevel: 'partial', feeRequired: true, resultRequired: true })], ms('2024-05-01T00:00:00'));
    const counts = countsOfCells(unit('w1'), cell(cells, 'w1', '2024-03'), cell(cells, 'w1', CATALOGUE));
    expect(counts).toMatchObject({
      dossiers: 2, dossiersFullOnlineEligible: 0, dossiersFullOnline: 0, // partial: not eligible for 3.1
      proceduresPaidOnlineInPeriod: 1, // 3.3 counts the procedure once, however many dossiers
      dossiersCompletedResultRequired: 2, dossiersElectronicResult: 2, procedures: 1, proceduresFeeBearing: 1, wards: 1, wardsOfferingCopies: 1,
    });
    // the same dossiers under a fully online procedure that issues no result
    const other = sum([paid('d1'), paid('d2'), procedure({ onlineLevel: 'full', feeRequired: false, resultRequired: false })], ms('2024-05-01T00:00:00'));
    expect(countsOfCells(unit('w1'), cell(other, 'w1', '2024-03'), cell(other, 'w1', CATALOGUE))).toMatchObject({
      dossiersFullOnlineEligible: 2, dossiersFullOnline: 2, proceduresPaidOnlineInPeriod: 0, dossiersCompletedResultRequired: 0, dossiersElectronicResult: 0,
    });
  });

  it('a dossier waits for its procedure until one of its own unit arrives', () => {
    const waiting = sum([dossier(), dossier({ id: 'd2' }), procedure({ unitId: 'w2' })], ms('2024-05-01T00:00:00'));
    expect(awaitingProcedureOf(cell(waiting, 'w1', NAMED), cell(waiting, 'w1', CATALOGUE))).toBe(2);
    const found = addInto(waiting, tallyOf(procedure(), ms('2024-05-01T00:00:00'), FIRST));
    expect(awaitingProcedureOf(cell(found, 'w1', NAMED), cell(found, 'w1', CATALOGUE))).toBe(0);
  });

  it('a tombstone, or no copy, adds nothing; a change adds the difference', () => {
    expect(tallyOf({ type: 'dossier', id: 'd1', unitId: 'w1', updatedAt: at('2024-03-07T00:00:00'), deleted: true }, ms('2024-05-01T00:00:00'), FIRST).size).toBe(0);
    const before = tallyOf(dossier(), ms('2024-05-01T00:00:00'), FIRST);
    const after = tallyOf(dossier({ completedAt: at('2024-03-12T08:00:00') }), ms('2024-05-01T00:00:00'), FIRST);
    expect(cell(difference(before, after), 'w1', '2024-03')).toEqual({ dossiersOnTime: -1, dossiersOverdue: 1, dossiersSatisfied: -1 });
    expect(difference(before, before).size).toBe(0);
  });

  it('feedback keeps its 1022 figures per field', () => {
    const cells = sum([feedback(), feedback({ id: 'f2', field: 'land', resolvedAt: null, dueAt: at('2024-03-08T00:00:00') })], ms('2024-03-10T00:00:00'));
    const figures = feedbackOfCell(cell(cells, 'w1', '2024-03'))!;
    expect(figures.total).toMatchObject({ inPeriod: 2, resolved: 1, open: 1, openOverdue: 1, onTime: 1 });
    expect(Object.keys(figures.byField)).toEqual(['land', 'other']);
    expect(figures.byField.land).toMatchObject({ inPeriod: 1, openOverdue: 1, onTimeRate: 0 });
  });

  it('rejudgeAfter: the next record instant, or the last instant before a month start it is open across', () => {
    const open = dossier({ receivedAt: at('2024-03-25T08:00:00'), dueAt: at('2024-04-03T17:00:00'), completedAt: null });
    expect(rejudgeAfter(open, ms('2024-03-28T00:00:00'))).toBe(ms('2024-04-01T00:00:00') - 1);
    expect(rejudgeAfter(open, ms('2024-04-01T00:00:00'))).toBe(ms('2024-04-03T17:00:00'));
    expect(rejudgeAfter(open, ms('2024-04-04T00:00:00'))).toBe(ms('2024-05-01T00:00:00') - 1);
    expect(rejudgeAfter(dossier(), ms('2024-05-01T00:00:00'))).toBeNull(); // finished, all instants past
    expect(rejudgeAfter(procedure({ announcementDueAt: at('2024-06-01T00:00:00') }), ms('2024-05-01T00:00:00'))).toBe(ms('2024-06-01T00:00:00'));
  });
});

describe('tally properties', () => {
  const LATER = T1 + 400 * 24 * HOUR;
  const atArb = fc.oneof(fc.constant(LATER), instant);

  it('summed over the records, tallies give exactly the engine\'s own counts and 1022 figures of every unit and period', () => {
    fc.assert(fc.property(recordsArb, atArb, (copies, atMs) => {
      const latest = latestState(copies);
      const cells = sum(latest, atMs);
      const { procedures, dossiers, feedback: fb } = splitByType(latest);
      const periods = periodsAt(FIRST, atMs).map((p) => p.id);
      const asOf = new Date(atMs).toISOString();
      for (const u of units) {
        const expected = ownCounts({ unit: u, procedures, dossiers, feedback: fb, periods, asOf });
        for (const period of periods) {
          expect(countsOfCells(u, cell(cells, u.id, period), cell(cells, u.id, CATALOGUE))).toEqual(expected.get(period));
          const view = feedbackView({ units: [{ ...u, parentId: null }], feedback: fb, period, fields: [], unitId: u.id, asOf });
          expect(feedbackOfCell(cell(cells, u.id, period))?.total ?? null).toEqual(view.total.inPeriod === 0 ? null : view.total);
        }
      }
    }), { numRuns: 150 });
  });

  it('a tally holds from when it was taken until rejudgeAfter, and the clock asks for nothing in between', () => {
    fc.assert(fc.property(recordsArb, instant, fc.integer({ min: 0, max: 1_000 }), (copies, judgedAt, step) => {
      for (const copy of latestState(copies)) {
        const until = rejudgeAfter(copy, judgedAt) ?? LATER;
        const t = judgedAt + Math.floor(((Math.min(until, LATER) - judgedAt) * step) / 1_000);
        const same = difference(tallyOf(copy, judgedAt, FIRST), tallyOf(copy, t, FIRST));
        expect([...same.keys()], `${copy.type} ${copy.id} judged at ${iso(judgedAt)}, again at ${iso(t)}`).toEqual([]);
      }
    }), { numRuns: 150 });
  });
});
