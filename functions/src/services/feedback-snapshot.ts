/**
 * The 1022 view of a period from each unit's own figures: the figures are counts, so the city's
 * view (or a subtree's) is their sum, with the rates taken from the summed counts.
 */
import { spreadsheetCsv } from './csv.ts';
import type { Structure } from '../domain/structure/structure.ts';
import type { FeedbackFieldDef, FeedbackFigures, FeedbackView } from '../../../shared-types/src/snapshots.ts';
import type { OwnFeedback } from '../store/ports.ts';
import { emptyFeedbackCounts, feedbackFigures, isProvisional, type FeedbackCounts } from '../domain/engine/index.ts';

function sum(parts: FeedbackFigures[]): FeedbackFigures {
  const counts = emptyFeedbackCounts();
  const keys = Object.keys(counts) as (keyof FeedbackCounts)[];
  for (const part of parts) for (const key of keys) counts[key] += part[key];
  return feedbackFigures(counts);
}

export function mergeFeedback(input: {
  /** the units whose figures are summed: the period's units in the scope's subtrees */
  members: ReadonlySet<string>;
  fields: FeedbackFieldDef[];
  period: string;
  asOf: string | null;
  perUnit: Map<string, OwnFeedback | undefined>;
  unitId?: string | null;
}): FeedbackView {
  const own = [...input.perUnit].filter(([unitId, figures]) => input.members.has(unitId) && figures) as [string, OwnFeedback][];
  const codes = [...input.fields.map((field) => field.code)];
  for (const [, figures] of own) for (const code of Object.keys(figures.byField)) if (!codes.includes(code)) codes.push(code);
  const names = new Map(input.fields.map((field) => [field.code, field.name]));
  return {
    period: input.period,
    asOf: input.asOf,
    provisional: input.asOf !== null && isProvisional(input.period, input.asOf),
    unitId: input.unitId ?? null,
    total: sum(own.map(([, figures]) => figures.total)),
    byField: codes.map((code) => ({ field: code, name: names.get(code) ?? null, ...sum(own.flatMap(([, figures]) => figures.byField[code] ?? [])) })),
    byUnit: own
      .filter(([, figures]) => figures.total.inPeriod > 0 || figures.total.received > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([unitId, figures]) => ({ unitId, ...figures.total })),
  };
}

const header = [
  'received', 'resolved', 'resolved_on_time', 'overdue', 'open', 'open_not_due', 'open_overdue', 'in_period', 'on_time', 'satisfied', 'on_time_rate', 'satisfaction_rate',
];
const cells = (f: FeedbackFigures) => [
  f.received, f.resolved, f.resolvedOnTime, f.overdue, f.open, f.openNotDue, f.openOverdue, f.inPeriod, f.onTime, f.satisfied, f.onTimeRate ?? '', f.satisfactionRate ?? '',
];

/** One CSV: a row per field, then a row per handling unit, told apart by `slice`. */
export function feedbackCsv(view: FeedbackView, structure: Structure): string {
  const names = new Map([...structure.byId].map(([id, unit]) => [id, unit.name]));
  return spreadsheetCsv([
    ['period', 'slice', 'code', 'name_vi', 'name_en', ...header, 'as_of', 'provisional'],
    ...view.byField.map((row) => [view.period, 'field', row.field, row.name?.vi ?? '', row.name?.en ?? '', ...cells(row), view.asOf ?? '', view.provisional]),
    ...view.byUnit.map((row) => [view.period, 'unit', row.unitId, names.get(row.unitId)?.vi ?? '', names.get(row.unitId)?.en ?? '', ...cells(row), view.asOf ?? '', view.provisional]),
  ]);
}
