import { rankMove, scoreChange, sortPeerGroups, type RankingEntry, type Unit } from '@itmap/kit';

/** Peer groups present in the scores, in display order (unknown groups last, by name). */
export function peerGroups(scores: RankingEntry[]): string[] {
  return sortPeerGroups(scores.map((s) => s.peerGroup));
}

export interface RankingRow {
  unitId: string;
  name: Unit['name'] | null;
  /** null for a unit retired during the period (UnitScore.rank) */
  rank: number | null;
  total: number;
  band: RankingEntry['band'];
  /** total minus the total of the previous period (previousPeriod), one decimal; null when the unit had no score then */
  change: number | null;
  /** places climbed since the previous period (negative: fell); null without a rank then or now */
  move: number | null;
}

/** One peer group's ranking: by rank, then total desc, then unit id (the engine's order). */
export function ranking(scores: RankingEntry[], units: Map<string, Unit>, group: string, previous?: ReadonlyMap<string, RankingEntry> | null): RankingRow[] {
  return scores
    .filter((s) => s.peerGroup === group)
    // a unit that ceased during the period is not ranked: listed after the ranked ones
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || b.total - a.total || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
    .map((s) => {
      const before = previous?.get(s.unitId);
      return { unitId: s.unitId, name: units.get(s.unitId)?.name ?? null, rank: s.rank, total: s.total, band: s.band, change: scoreChange(s.total, before?.total), move: rankMove(s, before) };
    });
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
