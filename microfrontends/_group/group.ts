/**
 * The logic of a group module (transparency, progress, online services, digitization,
 * satisfaction): which indicators belong to the group (from the method table, never a list in
 * code), the rows of one peer group, and their order. Pure; tested in group.test.ts.
 */
import { lt, scoreChange, sortedBy, type SortDir, type Locale, type MethodTable, type Unit, type UnitScore } from '@itmap/kit/core';

export type GroupKey = MethodTable['groups'][number]['key'];
export type IndicatorDef = MethodTable['indicators'][number];
export type IndicatorResult = UnitScore['indicators'][string];

export interface GroupRow {
  unitId: string;
  name: string;
  /** null for a unit retired during the period (UnitScore.rank) */
  rank: number | null;
  points: number;
  max: number;
  payment: { points: number; max: number } | null;
  /** the group's points minus those of the previous period (one decimal); null when the unit had no score then */
  change: number | null;
  indicators: Record<string, IndicatorResult | undefined>;
}

/** The group's definition and its indicators in method-table order. */
export function groupDefs(method: MethodTable, group: string) {
  const def = method.groups.find((g) => g.key === group) ?? null;
  const indicators = method.indicators.filter((i) => i.group === group);
  const subgroups = (method.subgroups ?? []).filter((s) => s.group === group);
  return { def, indicators, subgroups };
}

export function groupRows(scores: readonly UnitScore[], units: Map<string, Unit>, peer: string, group: string, locale: Locale, previous?: ReadonlyMap<string, UnitScore> | null): GroupRow[] {
  return scores.filter((s) => s.peerGroup === peer).map((s) => {
    const g = s.groups[group as GroupKey];
    const before = previous?.get(s.unitId)?.groups[group as GroupKey];
    return {
      unitId: s.unitId,
      name: lt(units.get(s.unitId)?.name, locale) || s.unitId,
      rank: s.rank,
      points: g?.points ?? 0,
      max: g?.max ?? 0,
      payment: g?.payment ?? null,
      change: scoreChange(g?.points, before?.points),
      indicators: s.indicators,
    };
  });
}

/** Sort keys: `unit`, `points` (the group's points), `payment`, or an indicator id (by its points, then ratio); rows without the value last. */
export type { SortDir };
export function sortRows(rows: readonly GroupRow[], key: string, dir: SortDir, locale: Locale): GroupRow[] {
  const collator = new Intl.Collator(locale === 'vi' ? 'vi' : 'en', { numeric: true });
  const value = (r: GroupRow): number | string | null => {
    if (key === 'unit') return r.name;
    if (key === 'points') return r.points;
    if (key === 'payment') return r.payment?.points ?? null;
    const ind = r.indicators[key];
    return ind ? ind.points + (ind.ratio ?? 0) / 1000 : null;
  };
  return sortedBy(rows, value, dir, collator, (a, b) => collator.compare(a.name, b.name));
}

/** The direction a column sorts first: names ascending, points descending. */
export function defaultDir(key: string): SortDir {
  return key === 'unit' ? 'asc' : 'desc';
}
