/** The 1022 feedback view (INDEX-766.md § The 1022 feedback view). */
import { parsePeriod, parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { Feedback } from '../../../../shared-types/src/records.ts';
import type { FeedbackFieldDef, FeedbackFigures, FeedbackView } from '../../../../shared-types/src/snapshots.ts';
import { asStructure, structureIn, type Units } from '../structure/structure.ts';

export interface FeedbackViewInput {
  /** the city's registries over time (or one registry's units) */
  units: Units;
  /** latest-state feedback records */
  feedback: readonly Feedback[];
  period: string;
  /** the city's field list (rows in this order, zeros included) */
  fields: readonly FeedbackFieldDef[];
  /** limit to feedback handled in this unit's subtree */
  unitId?: string | null;
  /** when the view is taken: P is judged at min(end, asOf) */
  asOf: string;
}

/** The counts of the 1022 figures: they add up over fields, units and subtrees; the rates do not. */
export type FeedbackCounts = Omit<FeedbackFigures, 'onTimeRate' | 'satisfactionRate'>;
type Acc = FeedbackCounts;

export const emptyFeedbackCounts = (): FeedbackCounts => ({
  inPeriod: 0, received: 0, resolved: 0, resolvedOnTime: 0, onTime: 0, overdue: 0, open: 0, openNotDue: 0, openOverdue: 0, satisfied: 0,
});
const emptyAcc = emptyFeedbackCounts;

/** Figures from counts: the rates are always taken from the (summed) counts, never averaged. */
export function feedbackFigures(a: FeedbackCounts): FeedbackFigures {
  return {
    inPeriod: a.inPeriod, received: a.received, resolved: a.resolved, resolvedOnTime: a.resolvedOnTime,
    onTime: a.onTime, overdue: a.overdue, open: a.open, openNotDue: a.openNotDue, openOverdue: a.openOverdue, satisfied: a.satisfied,
    onTimeRate: a.inPeriod === 0 ? null : a.onTime / a.inPeriod,
    satisfactionRate: a.inPeriod === 0 ? null : a.satisfied / a.inPeriod,
  };
}
const figures = feedbackFigures;

/**
 * Per field and per handling unit for P: received, resolved, resolved on time, overdue, open,
 * on-time rate (= 5.1's ratio over the same records) and satisfaction rate (= 5.2's ratio).
 */
export function feedbackView({ units, feedback, period, fields, unitId = null, asOf }: FeedbackViewInput): FeedbackView {
  const { start, end: periodEnd } = parsePeriod(period);
  const asOfMs = parseTimestamp(asOf);
  if (Number.isNaN(asOfMs)) throw new Error(`asOf "${asOf}" is not a valid instant`);
  const end = Math.min(periodEnd, asOfMs); // the evaluation instant e
  // the units of the period: a unit's subtree is the members of its subtrees in the registries in force then
  const structure = asStructure(units);
  const scored = structureIn(structure, start, end);
  let inScope: (unitId: string) => boolean = () => true; // the whole city: every unit's feedback
  if (unitId !== null) {
    const members = scored.members.get(unitId);
    if (!members) throw new Error(structure.byId.has(unitId) ? `unit "${unitId}" is not in force in ${period}` : `unknown unit "${unitId}"`);
    const scope = new Set(members);
    inScope = (id) => scope.has(id);
  }
  const total = emptyAcc();
  const byField = new Map<string, Acc>(fields.map((f) => [f.code, emptyAcc()]));
  const byUnit = new Map<string, Acc>();
  for (const f of feedback) {
    if (!inScope(f.unitId)) continue;
    const r = parseTimestamp(f.receivedAt);
    const due = parseTimestamp(f.dueAt);
    const c = f.resolvedAt === null ? Infinity : parseTimestamp(f.resolvedAt);
    if (!(r < end) || !(c >= start) || Number.isNaN(due)) continue; // not in P (or invalid)
    const finished = c < end;
    const onTime = finished ? c <= due : due >= end;
    const satisfied = onTime && !(f.dislikes > f.likes || f.reComplained);
    let fa = byField.get(f.field);
    if (!fa) byField.set(f.field, (fa = emptyAcc()));
    let ua = byUnit.get(f.unitId);
    if (!ua) byUnit.set(f.unitId, (ua = emptyAcc()));
    for (const a of [total, fa, ua]) {
      a.inPeriod++;
      if (r >= start) a.received++;
      if (finished) {
        a.resolved++;
        if (c <= due) a.resolvedOnTime++;
      } else {
        a.open++;
        if (due >= end) a.openNotDue++;
        else a.openOverdue++;
      }
      if (onTime) a.onTime++;
      else a.overdue++;
      if (satisfied) a.satisfied++;
    }
  }
  const names = new Map(fields.map((f) => [f.code, f.name]));
  return {
    period,
    asOf,
    provisional: asOfMs < periodEnd,
    unitId,
    total: figures(total),
    byField: [...byField].map(([field, a]) => ({ field, name: names.get(field) ?? null, ...figures(a) })),
    byUnit: [...byUnit]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, a]) => ({ unitId: id, ...figures(a) })),
  };
}
