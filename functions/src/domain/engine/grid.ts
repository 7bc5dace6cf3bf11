/**
 * The engine's columnar core. Counts live in one Float64Array laid out as
 * [unit][period slot][measure]; every record is read once, each timestamp parsed once, and the
 * periods a record belongs to are found by month-index arithmetic (no Date, no per-period scan).
 */
import { MEASURE_IDS, type MeasureId } from '../../../../shared-types/src/method.ts';
import { monthIndexOf, parsePeriod, parseTimestamp, type PeriodRange } from '../../../../shared-types/src/periods.ts';
import type { Dossier, Feedback, Procedure, Unit } from '../../../../shared-types/src/records.ts';
import type { Counts } from '../../../../shared-types/src/scores.ts';
import type { PeriodStructure } from '../structure/structure.ts';

export const M = MEASURE_IDS.length;
export const MEASURE_INDEX: Readonly<Record<MeasureId, number>> = Object.fromEntries(
  MEASURE_IDS.map((id, i) => [id, i]),
) as Record<MeasureId, number>;
const X = MEASURE_INDEX;

// ------------------------------------------------------------------------------------------
// Periods
// ------------------------------------------------------------------------------------------

interface KindPlan {
  /** months per period of this kind: 1, 3 or 12 */
  div: number;
  /** requested kind indices (monthIndex / div), ascending, and their slots */
  ks: Int32Array;
  slots: Int32Array;
  minK: number;
  maxK: number;
  /** firstJ[k - minK] = first j with ks[j] ≥ k */
  firstJ: Int32Array;
}

export interface PeriodPlan {
  periods: PeriodRange[];
  start: Float64Array;
  /** evaluation instants e = min(end, asOf): where each period is judged (INDEX-766.md § Period membership) */
  evalAt: Float64Array;
  kinds: KindPlan[];
}

const DIV = { month: 1, quarter: 3, year: 12 } as const;

/**
 * Deduplicates and indexes the requested periods (ids or ranges), keeping their order; each is judged at
 * min(end, asOfMs): complete periods at their end, the ongoing one at asOf.
 */
export function planPeriods(periods: readonly (string | PeriodRange)[], asOfMs: number): PeriodPlan {
  if (Number.isNaN(asOfMs)) throw new Error('asOf is not a valid instant');
  const seen = new Set<string>();
  const list: PeriodRange[] = [];
  for (const p of periods) {
    const r = typeof p === 'string' ? parsePeriod(p) : parsePeriod(p.id);
    if (!seen.has(r.id)) {
      seen.add(r.id);
      list.push(r);
    }
  }
  const kinds: KindPlan[] = [];
  for (const kind of ['month', 'quarter', 'year'] as const) {
    const div = DIV[kind];
    const items = list
      .map((r, slot) => ({ r, slot }))
      .filter((x) => x.r.kind === kind)
      .map((x) => ({ k: monthIndexOf(x.r.start) / div, slot: x.slot }))
      .sort((a, b) => a.k - b.k);
    if (items.length === 0) continue;
    const minK = items[0].k;
    const maxK = items[items.length - 1].k;
    const firstJ = new Int32Array(maxK - minK + 1);
    let j = 0;
    for (let k = minK; k <= maxK; k++) {
      while (items[j].k < k) j++;
      firstJ[k - minK] = j;
    }
    kinds.push({
      div,
      ks: Int32Array.from(items, (x) => x.k),
      slots: Int32Array.from(items, (x) => x.slot),
      minK,
      maxK,
      firstJ,
    });
  }
  return {
    periods: list,
    start: Float64Array.from(list, (r) => r.start),
    evalAt: Float64Array.from(list, (r) => Math.min(r.end, asOfMs)),
    kinds,
  };
}

// ------------------------------------------------------------------------------------------
// Units
// ------------------------------------------------------------------------------------------

export interface UnitIndex {
  units: readonly Unit[];
  index: Map<string, number>;
}

/** Indexes units by id (the grid's row of each); throws an Error on a duplicate id. */
export function indexUnits(units: readonly Unit[]): UnitIndex {
  const index = new Map<string, number>();
  units.forEach((u, i) => {
    if (index.has(u.id)) throw new Error(`duplicate unit id "${u.id}"`);
    index.set(u.id, i);
  });
  return { units, index };
}

// ------------------------------------------------------------------------------------------
// Own counts
// ------------------------------------------------------------------------------------------

/** What a dossier's counts take from its procedure: bit 0 fully online (3.1), bit 1 resultRequired (4.1), bit 2 fee-bearing (3.3). */
export const procedureFlags = (p: Procedure): number => (p.onlineLevel === 'full' ? 1 : 0) | (p.resultRequired ? 2 : 0) | (p.feeRequired ? 4 : 0);
export const PROCEDURE_FLAG = { fullOnline: 1, resultRequired: 2, feeBearing: 4 } as const;

export interface CountInput {
  units: UnitIndex;
  plan: PeriodPlan;
  procedures: readonly Procedure[];
  dossiers: readonly Dossier[];
  feedback: readonly Feedback[];
}

/** A counts grid [unit][slot][measure]; counts are integers, 4 bytes keep the hot loop in cache. */
export type Grid = Int32Array;

/** Own counts of every unit for every planned period: [unit][slot][measure]. */
export function countOwn({ units, plan, procedures, dossiers, feedback }: CountInput): Grid {
  const nSlots = plan.periods.length;
  const C = new Int32Array(units.units.length * nSlots * M);
  if (nSlots === 0) return C;
  const kinds = plan.kinds;
  const S = plan.start;
  const E = plan.evalAt; // below, "end" is the evaluation instant e
  const unitIdx = units.index;

  // --- procedures ---------------------------------------------------------------------------
  // keyed by unit and id: a dossier counts with its own unit's procedure only
  const procIndex = new Map<string, number>();
  const procKey = (unitId: string, procedureId: string) => `${unitId}\u0000${procedureId}`;
  const procUnit: number[] = [];
  const procFlags: number[] = [];
  const addDue = (ui: number, due: string | null, done: string | null, iDue: number, iOnTime: number): void => {
    if (due === null) return;
    const t = parseTimestamp(due);
    if (Number.isNaN(t)) return;
    const onTime = done !== null && parseTimestamp(done) <= t ? 1 : 0;
    const mi = monthIndexOf(t);
    for (const kp of kinds) {
      const k = (mi / kp.div) | 0;
      if (k < kp.minK || k > kp.maxK) continue;
      const j = kp.firstJ[k - kp.minK];
      if (kp.ks[j] !== k || t >= E[kp.slots[j]]) continue; // not due in P, or not yet due at e
      const b = (ui * nSlots + kp.slots[j]) * M;
      C[b + iDue] += 1;
      C[b + iOnTime] += onTime;
    }
  };
  for (const p of procedures) {
    const ui = unitIdx.get(p.unitId);
    if (ui === undefined) continue;
    const fee = p.feeRequired ? 1 : 0;
    const citizen = p.citizenApplicants ? 1 : 0;
    procIndex.set(procKey(p.unitId, p.id), procUnit.length);
    procUnit.push(ui);
    procFlags.push(procedureFlags(p));
    const inFull = p.componentsPublished === 7 ? 1 : 0;
    const integrated = fee & (p.onlinePaymentIntegrated ? 1 : 0);
    const connected = citizen & (p.populationDataConnected ? 1 : 0);
    for (let s = 0; s < nSlots; s++) {
      const b = (ui * nSlots + s) * M;
      C[b + X.procedures] += 1;
      C[b + X.proceduresPublishedInFull] += inFull;
      C[b + X.proceduresFeeBearing] += fee;
      C[b + X.proceduresPaymentIntegrated] += integrated;
      C[b + X.proceduresCitizen] += citizen;
      C[b + X.proceduresPopulationDataConnected] += connected;
    }
    addDue(ui, p.announcementDueAt, p.announcedAt, X.proceduresAnnouncementDue, X.proceduresAnnouncedOnTime);
    addDue(ui, p.publicationDueAt, p.publishedAt, X.proceduresPublicationDue, X.proceduresPublishedOnTime);
  }

  // --- dossiers -----------------------------------------------------------------------------
  // 3.3: which fee-bearing procedure had a paidOnline dossier in which slot
  const paidMark = new Uint8Array(procUnit.length * nSlots);
  for (let i = 0, n = dossiers.length; i < n; i++) {
    const d = dossiers[i];
    const ui = unitIdx.get(d.unitId);
    if (ui === undefined) continue;
    const r = parseTimestamp(d.receivedAt);
    const due = parseTimestamp(d.dueAt);
    const completed = d.completedAt !== null;
    const c = completed ? parseTimestamp(d.completedAt as string) : Infinity;
    if (r !== r || due !== due || c !== c) continue; // NaN: not a valid record
    const pi = procIndex.get(procKey(d.unitId, d.procedureId));
    const pf = pi === undefined ? 0 : procFlags[pi];
    const okSupplements = d.supplementRequests <= 1;
    const synced = d.syncedToNationalPortal ? 1 : 0;
    const eligible = pf & 1;
    const online = eligible & (d.channel === 'online' ? 1 : 0);
    const fo = d.financialObligation ? 1 : 0;
    const foPaid = fo & (d.paidOnline ? 1 : 0);
    const resultReq = (pf >> 1) & 1;
    const eResult = resultReq & (d.electronicResult ? 1 : 0);
    const digitized = d.digitized ? 1 : 0;
    const reused = d.reusedDigitizedData ? 1 : 0;
    const linked = d.linkedPersonalDataStore ? 1 : 0;
    const population = d.usesPopulationData ? 1 : 0;
    const complaint = d.citizenComplaint;
    const markBase = d.paidOnline && pf & 4 ? (pi as number) * nSlots : -1;
    const mr = monthIndexOf(r);
    const mc = completed ? monthIndexOf(c) : 0;
    for (let q = 0; q < kinds.length; q++) {
      const kp = kinds[q];
      const lo = (mr / kp.div) | 0;
      const hi = completed ? (mc / kp.div) | 0 : kp.maxK;
      if (hi < kp.minK || lo > kp.maxK) continue;
      const ks = kp.ks;
      const len = ks.length;
      for (let j = lo <= kp.minK ? 0 : kp.firstJ[lo - kp.minK]; j < len && ks[j] <= hi; j++) {
        const slot = kp.slots[j];
        const start = S[slot];
        const end = E[slot];
        if (r >= end) continue; // received after the evaluation instant of the ongoing period
        const finished = c < end;
        const onTime = okSupplements && (finished ? c <= due : due >= end) ? 1 : 0;
        const b = (ui * nSlots + slot) * M;
        C[b + X.dossiers] += 1;
        C[b + X.dossiersOnTime] += onTime;
        C[b + X.dossiersOverdue] += 1 - onTime;
        C[b + X.dossiersSynced] += synced;
        C[b + X.dossiersFullOnlineEligible] += eligible;
        C[b + X.dossiersFullOnline] += online;
        C[b + X.dossiersFinancialObligation] += fo;
        C[b + X.dossiersPaidOnline] += foPaid;
        C[b + X.dossiersDigitized] += digitized;
        C[b + X.dossiersLinkedPersonalDataStore] += linked;
        C[b + X.dossiersUsesPopulationData] += population;
        C[b + X.dossiersSatisfied] += onTime === 1 && !complaint ? 1 : 0;
        if (r >= start) {
          C[b + X.dossiersReceived] += 1;
          C[b + X.dossiersReceivedReusedData] += reused;
        }
        if (finished && c >= start) {
          C[b + X.dossiersCompleted] += 1;
          C[b + X.dossiersCompletedResultRequired] += resultReq;
          C[b + X.dossiersElectronicResult] += eResult;
        }
        if (markBase >= 0) paidMark[markBase + slot] = 1;
      }
    }
  }
  for (let pi = 0; pi < procUnit.length; pi++) {
    const base = pi * nSlots;
    for (let s = 0; s < nSlots; s++) {
      if (paidMark[base + s]) C[(procUnit[pi] * nSlots + s) * M + X.proceduresPaidOnlineInPeriod] += 1;
    }
  }

  // --- feedback -----------------------------------------------------------------------------
  for (let i = 0, n = feedback.length; i < n; i++) {
    const f = feedback[i];
    const ui = unitIdx.get(f.unitId);
    if (ui === undefined) continue;
    const r = parseTimestamp(f.receivedAt);
    const due = parseTimestamp(f.dueAt);
    const resolved = f.resolvedAt !== null;
    const c = resolved ? parseTimestamp(f.resolvedAt as string) : Infinity;
    if (r !== r || due !== due || c !== c) continue;
    const unhappy = f.dislikes > f.likes || f.reComplained;
    const mr = monthIndexOf(r);
    const mc = resolved ? monthIndexOf(c) : 0;
    for (let q = 0; q < kinds.length; q++) {
      const kp = kinds[q];
      const lo = (mr / kp.div) | 0;
      const hi = resolved ? (mc / kp.div) | 0 : kp.maxK;
      if (hi < kp.minK || lo > kp.maxK) continue;
      const ks = kp.ks;
      const len = ks.length;
      for (let j = lo <= kp.minK ? 0 : kp.firstJ[lo - kp.minK]; j < len && ks[j] <= hi; j++) {
        const slot = kp.slots[j];
        const start = S[slot];
        const end = E[slot];
        if (r >= end) continue;
        const finished = c < end;
        const onTime = (finished ? c <= due : due >= end) ? 1 : 0;
        const b = (ui * nSlots + slot) * M;
        C[b + X.feedback] += 1;
        C[b + X.feedbackOnTime] += onTime;
        C[b + X.feedbackOverdue] += 1 - onTime;
        C[b + X.feedbackSatisfied] += onTime === 1 && !unhappy ? 1 : 0;
        if (r >= start) C[b + X.feedbackReceived] += 1;
        if (finished) {
          if (c >= start) {
            C[b + X.feedbackResolved] += 1;
            if (c <= due) C[b + X.feedbackResolvedOnTime] += 1;
          }
        } else {
          C[b + X.feedbackOpen] += 1;
        }
      }
    }
  }
  return C;
}

// ------------------------------------------------------------------------------------------
// Roll-up and conversions
// ------------------------------------------------------------------------------------------

/** What a unit's registry entry adds to its own counts: a ward counts itself for 4.3. */
export function addRegistryCounts(grid: Grid, offset: number, unit: Unit): void {
  if (unit.kind !== 'ward') return;
  grid[offset + X.wards] += 1;
  if (unit.offersElectronicCertifiedCopy) grid[offset + X.wardsOfferingCopies] += 1;
}

/**
 * Measures that are not dated: a ward counting itself (4.3) and a unit's current catalogue (1.3, 3.2, 4.7). A unit
 * pools them only from the members in force during the period; dated counts from every member.
 */
export const UNDATED_MEASURES: readonly MeasureId[] = [
  'wards', 'wardsOfferingCopies',
  'procedures', 'proceduresPublishedInFull', 'proceduresFeeBearing', 'proceduresPaymentIntegrated', 'proceduresCitizen', 'proceduresPopulationDataConnected',
];
const DATED = Uint8Array.from(MEASURE_IDS, (id) => (UNDATED_MEASURES.includes(id) ? 0 : 1));

/**
 * Pools the own counts of one period slot over the period's structure: for each unit scored, its own counts and
 * those of every member of its subtrees (members without a row have no counts; members not in force during the
 * period give their dated counts only), into `pooled` at that unit and slot.
 */
export function poolSlot(rows: ReadonlyMap<string, number>, nSlots: number, slot: number, own: Grid, period: PeriodStructure, pooled: Grid): void {
  for (const unit of period.units) {
    const to = (rows.get(unit.id)! * nSlots + slot) * M;
    for (const memberId of period.members.get(unit.id)!) {
      const member = rows.get(memberId);
      if (member === undefined) continue;
      const from = (member * nSlots + slot) * M;
      if (period.byId.has(memberId)) for (let m = 0; m < M; m++) pooled[to + m] += own[from + m];
      else for (let m = 0; m < M; m++) pooled[to + m] += DATED[m] * own[from + m];
    }
  }
}

/** The counts of one unit and slot as a `Counts` object (every measure present). */
export function countsAt(grid: ArrayLike<number>, nSlots: number, unit: number, slot: number): Counts {
  const out: Counts = {};
  const b = (unit * nSlots + slot) * M;
  for (let m = 0; m < M; m++) out[MEASURE_IDS[m]] = grid[b + m];
  return out;
}

/** Writes a `Counts` object into the grid (missing measures are 0). */
export function writeCounts(grid: Grid, nSlots: number, unit: number, slot: number, counts: Counts): void {
  const b = (unit * nSlots + slot) * M;
  for (let m = 0; m < M; m++) grid[b + m] = counts[MEASURE_IDS[m]] ?? 0;
}
