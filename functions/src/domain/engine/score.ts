/**
 * Points, groups, total, band and rank from pooled counts, interpreting a method table
 * (INDEX-766.md § Indicators, § Results).
 */
import type { GroupKey, IndicatorDef, MethodTable } from '../../../../shared-types/src/method.ts';
import { parsePeriod, parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { Unit } from '../../../../shared-types/src/records.ts';
import { bandOf, round2, type Counts, type GroupScore, type IndicatorResult, type UnitScore } from '../../../../shared-types/src/scores.ts';
import { M, MEASURE_INDEX } from './grid.ts';

/** One indicator from its numerator and denominator. */
export function scoreIndicator(def: IndicatorDef, n: number, d: number): IndicatorResult {
  if (d === 0) {
    const full = def.empty === 'full';
    return { n, d, ratio: null, points: full ? def.max : 0, max: def.max, noData: !full };
  }
  const ratio = n / d;
  const points = def.rule === 'threshold' ? Math.min(def.max, (def.max * ratio) / (def.threshold as number)) : def.max * ratio;
  return { n, d, ratio, points, max: def.max, noData: false };
}

interface CompiledMethod {
  method: MethodTable;
  num: Int32Array;
  den: Int32Array;
  groupOf: GroupKey[];
  inPayment: boolean[];
}

const compiled = new WeakMap<MethodTable, CompiledMethod>();

function compile(method: MethodTable): CompiledMethod {
  let c = compiled.get(method);
  if (!c) {
    c = {
      method,
      num: Int32Array.from(method.indicators, (x) => MEASURE_INDEX[x.numerator]),
      den: Int32Array.from(method.indicators, (x) => MEASURE_INDEX[x.denominator]),
      groupOf: method.indicators.map((x) => x.group),
      inPayment: method.indicators.map((x) => x.subgroup === 'payment'),
    };
    compiled.set(method, c);
  }
  return c;
}

/**
 * Scores one unit from a counts block (`grid[offset + measure]`), without band or rank.
 */
export function scoreBlock(
  method: MethodTable,
  grid: ArrayLike<number>,
  offset: number,
): Pick<UnitScore, 'indicators' | 'groups' | 'total'> {
  const cm = compile(method);
  const groups = {} as Record<GroupKey, GroupScore>;
  for (const g of method.groups) groups[g.key] = { points: 0, max: 0 };
  for (const sg of method.subgroups) {
    const g = groups[sg.group];
    if (g && sg.key === 'payment') g.payment = { points: 0, max: 0 };
  }
  const indicators: Record<string, IndicatorResult> = {};
  let total = 0;
  const defs = method.indicators;
  for (let i = 0; i < defs.length; i++) {
    const res = scoreIndicator(defs[i], grid[offset + cm.num[i]], grid[offset + cm.den[i]]);
    indicators[defs[i].id] = res;
    total += res.points;
    const g = groups[cm.groupOf[i]] ?? (groups[cm.groupOf[i]] = { points: 0, max: 0 });
    g.points += res.points;
    g.max += res.max;
    if (cm.inPayment[i]) {
      const p = g.payment ?? (g.payment = { points: 0, max: 0 });
      p.points += res.points;
      p.max += res.max;
    }
  }
  return { indicators, groups, total };
}

/**
 * Ranks scores in place within each peer group: total desc, then unit id; totals equal when
 * rounded to 2 decimals share a rank (1, 2, 2, 4). Returns the scores in peer-group rank order.
 */
export function rankInPeerGroups<T extends { unitId: string; peerGroup: string; total: number; rank: number | null; retired?: true }>(scores: T[]): T[] {
  const byGroup = new Map<string, T[]>();
  for (const s of scores) {
    // a unit that ceased during the period keeps its figures and is not ranked
    if (s.retired) {
      s.rank = null;
      continue;
    }
    const list = byGroup.get(s.peerGroup);
    if (list) list.push(s);
    else byGroup.set(s.peerGroup, [s]);
  }
  const out: T[] = [];
  for (const list of byGroup.values()) {
    list.sort((a, b) => b.total - a.total || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
    let prev = NaN;
    for (let i = 0; i < list.length; i++) {
      const r = round2(list[i].total);
      list[i].rank = i > 0 && r === prev ? list[i - 1].rank : i + 1;
      prev = r;
      out.push(list[i]);
    }
  }
  return out;
}

export interface ScorePeriodInput {
  /** the units scored in the period, with their attributes then */
  units: readonly Unit[];
  /** those that ceased during the period (not ranked) */
  retired?: ReadonlySet<string>;
  /** period id, e.g. `2024-03` */
  period: string;
  /** pooled counts per unit id (a unit missing here has all counts 0) */
  pooled: ReadonlyMap<string, Counts>;
  method: MethodTable;
  asOf: string;
}

/** Scores every unit of the registry for one period from pooled counts, in registry order. */
export function scorePeriod({ units, retired, period, pooled, method, asOf }: ScorePeriodInput): UnitScore[] {
  parsePeriod(period);
  const block = new Float64Array(M);
  const scores: UnitScore[] = units.map((u) => {
    const counts = pooled.get(u.id) ?? {};
    for (const [k, i] of Object.entries(MEASURE_INDEX)) block[i] = counts[k as keyof Counts] ?? 0;
    return finish(u, period, method, asOf, scoreBlock(method, block, 0), retired?.has(u.id) ?? false);
  });
  rankInPeerGroups(scores);
  return scores;
}

/** True while the period is ongoing at asOf: its numbers are judged at asOf and will change (INDEX-766.md § Results). */
export function isProvisional(period: string, asOf: string): boolean {
  return parseTimestamp(asOf) < parsePeriod(period).end;
}

/** A UnitScore with its band; rank is filled in by `rankInPeerGroups`. */
export function finish(
  u: Unit,
  period: string,
  method: MethodTable,
  asOf: string,
  s: Pick<UnitScore, 'indicators' | 'groups' | 'total'>,
  retired = false,
): UnitScore {
  return {
    unitId: u.id,
    period,
    peerGroup: u.peerGroup,
    method: method.id,
    asOf,
    provisional: isProvisional(period, asOf),
    indicators: s.indicators,
    groups: s.groups,
    total: s.total,
    band: bandOf(s.total, method),
    rank: 0,
    ...(retired ? { retired: true as const } : {}),
  };
}
