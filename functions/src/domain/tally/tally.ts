/**
 * Tallies: the additive counters the scorer keeps, so that keeping scores fresh costs what changed, never
 * the history (DESIGN.md § Real volume).
 *
 * A record's tally, judged at an instant t, is what it adds to its unit's counts: the engine's own count
 * of a world that holds that one record (so every rule lives once, in grid.ts), split into cells.
 * - `period` cells, one per (unit, period): the unit's own measures, plus per procedure the dossier counts
 *   that depend on the procedure's attributes (3.1, 3.3, 4.1), plus per 1022 field the feedback figures.
 * - the `catalogue` cell, one per unit: what does not depend on the period (1.3, 3.2, 4.7) and each procedure's
 *   flags; the `named` cell: how many of its dossiers name each procedure id (to tell those waiting for theirs).
 * Summed over a unit's records, tallies give exactly `ownCounts` (`countsOfCells`); a changed record
 * changes the sums by tally(new copy, now) − tally(counted copy, when it was counted).
 *
 * A tally moves with t only at the record's own instants and at the month starts it is open across, so a
 * tally taken at t holds until `rejudgeAfter` (see there): that is all the clock ever asks to recount.
 */
import { MEASURE_IDS, type MeasureId } from '../../../../shared-types/src/method.ts';
import { monthIndexOf, monthIndexStart, monthOf, parsePeriod, parseTimestamp, periodsBetween, type PeriodRange } from '../../../../shared-types/src/periods.ts';
import { isTombstone, type Dossier, type Feedback, type Procedure, type RecordCopy, type Unit } from '../../../../shared-types/src/records.ts';
import type { Counts } from '../../../../shared-types/src/scores.ts';
import type { FeedbackFigures } from '../../../../shared-types/src/snapshots.ts';
import { M, PROCEDURE_FLAG, countOwn, indexUnits, planPeriods, procedureFlags } from '../engine/grid.ts';
import { emptyFeedbackCounts, feedbackFigures, feedbackView, type FeedbackCounts } from '../engine/feedback-view.ts';

/** Counters of one cell: name → value (absent is 0). */
export type Tally = Record<string, number>;

/**
 * A cell: a unit's counters for one period; or for all periods, its `catalogue` (what scores read) and the procedure
 * ids its dossiers `name` (apart, so that a new dossier does not make every period's scores stale).
 */
export interface CellRef {
  unitId: string;
  period: string;
}
export const CATALOGUE = 'catalogue';
export const NAMED = 'named';

/** Cells by `cellKey`. */
export type Cells = Map<string, Tally>;
/** Ids never hold `|` (records.ts ID_PATTERN), so the key splits back unambiguously. */
export const cellKey = ({ unitId, period }: CellRef): string => `${period}|${unitId}`;
export function cellOf(key: string): CellRef {
  const bar = key.indexOf('|');
  return { period: key.slice(0, bar), unitId: key.slice(bar + 1) };
}

/** Measures of the catalogue (the same in every period) and those a dossier takes from its procedure. */
const CATALOGUE_MEASURES: readonly MeasureId[] = [
  'procedures', 'proceduresPublishedInFull', 'proceduresFeeBearing', 'proceduresPaymentIntegrated', 'proceduresCitizen', 'proceduresPopulationDataConnected',
];
/** Per-procedure dossier counters: counted as if the procedure had every flag, joined with its real flags when scored. */
const BY_PROCEDURE = {
  inPeriod: 'dossiersFullOnlineEligible',
  online: 'dossiersFullOnline',
  completed: 'dossiersCompletedResultRequired',
  electronicResult: 'dossiersElectronicResult',
  paidOnline: 'proceduresPaidOnlineInPeriod',
} as const satisfies Record<string, MeasureId>;
const REGISTRY_MEASURES: readonly MeasureId[] = ['wards', 'wardsOfferingCopies'];
const PROCEDURE_DEPENDENT = new Set<MeasureId>(Object.values(BY_PROCEDURE));
const NOT_IN_PERIOD_CELL = new Set<MeasureId>([...CATALOGUE_MEASURES, ...REGISTRY_MEASURES, ...PROCEDURE_DEPENDENT]);

// Counter names inside a cell. Ids hold no `~`, field codes neither, so the names split back unambiguously.
const procedureCounter = (procedureId: string, counter: keyof typeof BY_PROCEDURE) => `p~${procedureId}~${counter}`;
const flagsCounter = (procedureId: string) => `flags~${procedureId}`;
const namedCounter = (procedureId: string) => `named~${procedureId}`;
const feedbackCounter = (field: string, figure: keyof FeedbackCounts) => `f~${field}~${figure}`;

/** A unit standing alone, not a ward: its registry adds nothing to a record's tally. */
const alone = (unitId: string): Unit => ({
  id: unitId, parentId: null, kind: 'department', name: { vi: unitId, en: unitId }, peerGroup: '-', offersElectronicCertifiedCopy: false,
});

const periodsCache = new Map<string, PeriodRange[]>();
/** The periods that exist at t: every month, quarter and year from `firstMonth` to the one holding t. */
export function periodsAt(firstMonth: string, atMs: number): PeriodRange[] {
  const key = `${firstMonth}..${monthOf(atMs)}`;
  let periods = periodsCache.get(key);
  if (!periods) periodsCache.set(key, (periods = periodsBetween(firstMonth, monthOf(atMs))));
  return periods;
}

/** True when a cell holds no counter (an empty cell is an absent one). */
export function isEmpty(tally: Tally): boolean {
  for (const _ in tally) return false;
  return true;
}

function addAt(cells: Cells, key: string, counter: string, value: number): void {
  if (value === 0) return;
  let tally = cells.get(key);
  if (!tally) cells.set(key, (tally = {}));
  const sum = (tally[counter] ?? 0) + value;
  if (sum !== 0) {
    tally[counter] = sum;
    return;
  }
  delete tally[counter];
  if (isEmpty(tally)) cells.delete(key);
}

const add = (cells: Cells, cell: CellRef, counter: string, value: number) => addAt(cells, cellKey(cell), counter, value);

/** The engine's counts of one record alone, per period: [slot][measure]. */
function countAlone(record: { unitId: string }, input: { procedures?: Procedure[]; dossiers?: Dossier[]; feedback?: Feedback[] }, periods: PeriodRange[], atMs: number) {
  const plan = planPeriods(periods, atMs);
  return countOwn({ units: indexUnits([alone(record.unitId)]), plan, procedures: input.procedures ?? [], dossiers: input.dossiers ?? [], feedback: input.feedback ?? [] });
}

/** What a copy of a record adds to the cells of its unit, judged at `atMs` (a tombstone, or no copy, adds nothing). */
export function tallyOf(copy: RecordCopy | null, atMs: number, firstMonth: string): Cells {
  const cells: Cells = new Map();
  if (copy === null || isTombstone(copy)) return cells;
  const periods = periodsAt(firstMonth, atMs);
  const catalogue = { unitId: copy.unitId, period: CATALOGUE };
  const perPeriod = (grid: Int32Array, each: (period: string, measure: MeasureId, value: number) => void) => {
    periods.forEach((period, slot) => {
      for (let m = 0; m < M; m++) if (grid[slot * M + m] !== 0) each(period.id, MEASURE_IDS[m], grid[slot * M + m]);
    });
  };

  if (copy.type === 'procedure') {
    // The catalogue does not depend on the period: counted once, in a period of its own.
    const alonePeriod = countAlone(copy, { procedures: [copy] }, [parsePeriod(firstMonth)], atMs);
    for (const measure of CATALOGUE_MEASURES) add(cells, catalogue, measure, alonePeriod[MEASURE_IDS.indexOf(measure)]);
    add(cells, catalogue, flagsCounter(copy.id), 1 + procedureFlags(copy));
    perPeriod(countAlone(copy, { procedures: [copy] }, periods, atMs), (period, measure, value) => {
      if (!NOT_IN_PERIOD_CELL.has(measure)) add(cells, { unitId: copy.unitId, period }, measure, value);
    });
  } else if (copy.type === 'dossier') {
    add(cells, { unitId: copy.unitId, period: NAMED }, namedCounter(copy.procedureId), 1);
    const everyFlag: Procedure = {
      type: 'procedure', id: copy.procedureId, unitId: copy.unitId, name: '', onlineLevel: 'full', feeRequired: true, onlinePaymentIntegrated: false,
      resultRequired: true, citizenApplicants: false, populationDataConnected: false, announcementDueAt: null, announcedAt: null,
      publicationDueAt: null, publishedAt: null, componentsPublished: 0, updatedAt: copy.updatedAt,
    };
    const byProcedure = Object.entries(BY_PROCEDURE) as [keyof typeof BY_PROCEDURE, MeasureId][];
    perPeriod(countAlone(copy, { procedures: [everyFlag], dossiers: [copy] }, periods, atMs), (period, measure, value) => {
      const cell = { unitId: copy.unitId, period };
      if (!NOT_IN_PERIOD_CELL.has(measure)) add(cells, cell, measure, value);
      for (const [counter, of] of byProcedure) if (of === measure) add(cells, cell, procedureCounter(copy.procedureId, counter), value);
    });
  } else {
    perPeriod(countAlone(copy, { feedback: [copy] }, periods, atMs), (period, measure, value) => add(cells, { unitId: copy.unitId, period }, measure, value));
    const asOf = new Date(atMs).toISOString();
    for (const period of periods) {
      if (!cells.has(cellKey({ unitId: copy.unitId, period: period.id }))) continue; // not in P
      const view = feedbackView({ units: [alone(copy.unitId)], feedback: [copy], period: period.id, fields: [], asOf });
      const figures = view.byField[0];
      for (const figure of Object.keys(emptyFeedbackCounts()) as (keyof FeedbackCounts)[]) add(cells, { unitId: copy.unitId, period: period.id }, feedbackCounter(copy.field, figure), figures[figure]);
    }
  }
  return cells;
}

/** after − before, cell by cell (cells and counters that do not move are left out). */
export function difference(before: Cells, after: Cells): Cells {
  const out: Cells = new Map();
  for (const [key, tally] of after) for (const counter in tally) addAt(out, key, counter, tally[counter]);
  for (const [key, tally] of before) for (const counter in tally) addAt(out, key, counter, -tally[counter]);
  return out;
}

/** Adds `change` into `into` (both cells). */
export function addInto(into: Cells, change: Cells): Cells {
  for (const [key, tally] of change) for (const counter in tally) addAt(into, key, counter, tally[counter]);
  return into;
}

/** Adds a change to one stored tally, returning the new tally (counters that reach 0 are dropped). */
export function plus(tally: Tally | undefined, change: Tally): Tally {
  const out: Tally = { ...tally };
  for (const counter in change) {
    const sum = (out[counter] ?? 0) + change[counter];
    if (sum === 0) delete out[counter];
    else out[counter] = sum;
  }
  return out;
}

/**
 * The last instant up to which a tally taken at `judgedAtMs` certainly holds, or null if it holds for ever:
 * it must be taken again once the clock is past it. Every rule compares the evaluation instant e = min(end, t)
 * with one of the record's instants x (`x < e`: the tally changes just after x; `due ≥ e`: likewise), and a
 * record open across a month start joins that month, its quarter and year at that start s (so s − 1 here).
 */
export function rejudgeAfter(copy: RecordCopy | null, judgedAtMs: number): number | null {
  if (copy === null || isTombstone(copy)) return null;
  const instants: (string | null)[] =
    copy.type === 'procedure' ? [copy.announcementDueAt, copy.publicationDueAt]
    : copy.type === 'dossier' ? [copy.receivedAt, copy.dueAt, copy.completedAt]
    : [copy.receivedAt, copy.dueAt, copy.resolvedAt];
  let next = Infinity;
  for (const value of instants) {
    if (value === null) continue;
    const x = parseTimestamp(value);
    if (x >= judgedAtMs && x < next) next = x;
  }
  if (copy.type !== 'procedure') {
    const nextMonthStart = monthIndexStart(monthIndexOf(judgedAtMs) + 1);
    const finished = copy.type === 'dossier' ? copy.completedAt : copy.resolvedAt;
    const received = parseTimestamp(copy.receivedAt);
    const openAtStart = received < nextMonthStart && (finished === null || parseTimestamp(finished) >= nextMonthStart);
    if (openAtStart && nextMonthStart - 1 < next) next = nextMonthStart - 1;
  }
  return Number.isFinite(next) ? next : null;
}

/** A unit's own counts for a period from its two cells (absent cells are empty) and its registry entry. */
export function countsOfCells(unit: Unit, period: Tally | undefined, catalogue: Tally | undefined): Counts {
  const counts: Counts = Object.fromEntries(MEASURE_IDS.map((measure) => [measure, 0]));
  const bump = (measure: MeasureId, value: number) => (counts[measure] = (counts[measure] ?? 0) + value);
  if (unit.kind === 'ward') {
    bump('wards', 1);
    bump('wardsOfferingCopies', unit.offersElectronicCertifiedCopy ? 1 : 0);
  }
  for (const measure of CATALOGUE_MEASURES) bump(measure, catalogue?.[measure] ?? 0);
  for (const counter in period) {
    const value = period[counter];
    // Own measures are plain names; `p~<procedure>~<name>` and `f~<field>~<figure>` hold a `~` at index 1.
    if (counter.charCodeAt(1) !== 126) {
      bump(counter as MeasureId, value);
      continue;
    }
    if (counter.charCodeAt(0) !== 112) continue; // f~: the 1022 figures
    const last = counter.lastIndexOf('~');
    const procedureId = counter.slice(2, last);
    const name = counter.slice(last + 1) as keyof typeof BY_PROCEDURE;
    const stored = catalogue?.[flagsCounter(procedureId)] ?? 0;
    if (stored === 0) continue; // the procedure is not (yet) in the unit's catalogue
    const flags = stored - 1;
    const needs = name === 'inPeriod' || name === 'online' ? PROCEDURE_FLAG.fullOnline : name === 'paidOnline' ? PROCEDURE_FLAG.feeBearing : PROCEDURE_FLAG.resultRequired;
    if ((flags & needs) === 0) continue;
    // 3.3 counts procedures, not dossiers: one however many of its dossiers were paid online.
    bump(BY_PROCEDURE[name], name === 'paidOnline' ? (value > 0 ? 1 : 0) : value);
  }
  return counts;
}

/** Dossiers of the unit whose procedure id is not in its catalogue (its `named` and `catalogue` cells). */
export function awaitingProcedureOf(named: Tally | undefined, catalogue: Tally | undefined): number {
  let waiting = 0;
  for (const [counter, value] of Object.entries(named ?? {})) {
    if (!catalogue?.[flagsCounter(counter.slice('named~'.length))]) waiting += value;
  }
  return waiting;
}

/** The 1022 figures of a unit's own feedback in a period, all of it and per field; undefined when it has none. */
export function feedbackOfCell(period: Tally | undefined): { total: FeedbackFigures; byField: Record<string, FeedbackFigures> } | undefined {
  const byField = new Map<string, FeedbackCounts>();
  for (const counter in period) {
    if (!counter.startsWith('f~')) continue;
    const value = period[counter];
    const last = counter.lastIndexOf('~');
    const field = counter.slice(2, last);
    const figure = counter.slice(last + 1) as keyof FeedbackCounts;
    let counts = byField.get(field);
    if (!counts) byField.set(field, (counts = emptyFeedbackCounts()));
    counts[figure] += value;
  }
  if (byField.size === 0) return undefined;
  const total = emptyFeedbackCounts();
  for (const counts of byField.values()) for (const figure of Object.keys(total) as (keyof FeedbackCounts)[]) total[figure] += counts[figure];
  return { total: feedbackFigures(total), byField: Object.fromEntries([...byField].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([field, counts]) => [field, feedbackFigures(counts)])) };
}
