/**
 * Sortable tables (issue 19): one rule for every table a header click sorts (the overview's ranking, the group
 * tables). The order lives in the URL query as `sort` (a column key) and `dir` (`asc`|`desc`), each left out when
 * it is the default, so a sorted view is a link. Pure; SortHeader.svelte is the header cell that uses it.
 */
export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: string;
  dir: SortDir;
}
export interface SortSpec {
  /** the columns that sort */
  keys: readonly string[];
  /** the key when the URL names none (or an unknown one) */
  fallback: string;
  /** the direction a column takes first (e.g. names ascending, scores descending) */
  firstDir: (key: string) => SortDir;
}

/** The order named by the URL query (`sort`, `dir`), or the default. */
export function sortFromQuery(query: Record<string, string> | undefined, spec: SortSpec): SortState {
  const key = query?.sort && spec.keys.includes(query.sort) ? query.sort : spec.fallback;
  const dir = query?.dir === 'asc' || query?.dir === 'desc' ? query.dir : spec.firstDir(key);
  return { key, dir };
}

/** The query after a click on `key`'s header: the sorted column flips, another starts in its first direction. */
export function sortQuery(state: SortState, key: string, spec: SortSpec): { sort: string | null; dir: SortDir | null } {
  const dir: SortDir = key === state.key ? (state.dir === 'asc' ? 'desc' : 'asc') : spec.firstDir(key);
  return { sort: key === spec.fallback ? null : key, dir: dir === spec.firstDir(key) ? null : dir };
}

/** aria-sort of a column's header: only the sorted one says how. */
export function ariaSortOf(state: SortState, key: string): 'ascending' | 'descending' | undefined {
  return key === state.key ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined;
}

/**
 * Rows in the order of `value` (numbers, or strings compared with the collator) in `dir`; rows without a value
 * (null: no score, no change, unranked) come last either way, then `tie` decides (default: the order given).
 */
export function sortedBy<T>(rows: readonly T[], value: (row: T) => number | string | null | undefined, dir: SortDir, collator: Intl.Collator, tie?: (a: T, b: T) => number): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows.map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      const an = a.v == null || (typeof a.v === 'number' && Number.isNaN(a.v));
      const bn = b.v == null || (typeof b.v === 'number' && Number.isNaN(b.v));
      if (an || bn) return an && bn ? (tie?.(a.row, b.row) ?? 0) || a.i - b.i : an ? 1 : -1;
      const c = typeof a.v === 'string' || typeof b.v === 'string' ? collator.compare(String(a.v), String(b.v)) : (a.v as number) - (b.v as number);
      return sign * c || (tie?.(a.row, b.row) ?? 0) || a.i - b.i;
    })
    .map((x) => x.row);
}
