/** Score results (INDEX-766.md § Results). Round only for display (`round2`). */
import type { BandCode, GroupKey, MeasureId, MethodTable } from './method.ts';

export type { BandCode } from './method.ts';

/** Additive counts of one unit for one period: measure id → count (a missing measure is 0). */
export type Counts = Partial<Record<MeasureId, number>>;

export interface IndicatorResult {
  n: number;
  d: number;
  /** n / d, null when d = 0 */
  ratio: number | null;
  /** unrounded */
  points: number;
  max: number;
  /** true only when d = 0 and the indicator's empty rule is `zero` */
  noData: boolean;
}

export interface SubgroupScore {
  points: number;
  max: number;
}

export interface GroupScore {
  points: number;
  max: number;
  /** onlineServices only: the online-payment sub-group (3.2–3.4) */
  payment?: SubgroupScore;
}

export interface UnitScore {
  unitId: string;
  period: string;
  peerGroup: string;
  /** the method table's id, e.g. `766-v1` */
  method: string;
  /** ISO 8601 time the score was computed: the evaluation instant of an ongoing period */
  asOf: string;
  /** true while asOf < the period's end: the ongoing period, judged at asOf (INDEX-766.md § Period membership) */
  provisional: boolean;
  /** indicator id → result */
  indicators: Record<string, IndicatorResult>;
  groups: Record<GroupKey, GroupScore>;
  /** sum of the unrounded indicator points */
  total: number;
  /** band of the total rounded to 2 decimals */
  band: BandCode;
  /**
   * 1-based rank in the peer group for the period; equal 2-decimal totals share a rank (1, 2, 2, 4);
   * null for a unit that ceased during the period (`retired`): it keeps its figures and is not ranked
   */
  rank: number | null;
  /** the unit ceased during the period (e.g. a ward merged away on 30 June 2025, in the year 2025) */
  retired?: true;
}

/**
 * Rounds to 2 decimals for display, bands and rank ties. The value is first cleaned to 12
 * significant digits so float noise in a sum (89.99499999999999 for an exact 89.995) does not
 * flip the result; halves round up.
 */
export function round2(x: number): number {
  const cleaned = Number((x * 100).toPrecision(12));
  return Math.round(cleaned) / 100;
}

/** The band of a total under a method (on the total rounded to 2 decimals). */
export function bandOf(total: number, method: MethodTable): BandCode {
  const t = round2(total);
  let best: { code: BandCode; min: number } | undefined;
  for (const b of method.bands) {
    if (t >= b.min && (best === undefined || b.min > best.min)) best = b;
  }
  if (best) return best.code;
  // below every band: the lowest one
  return method.bands.reduce((lo, b) => (b.min < lo.min ? b : lo)).code;
}
