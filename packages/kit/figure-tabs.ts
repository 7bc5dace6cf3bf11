/**
 * Chart | Table tabs of a figure (issue 19, as Our World in Data's grapher): which figures of a page show their
 * data table is view state, in the URL as `?table=<id>,<id>` — the ids (ChartFigure's `id`, the overview map's
 * `map`) of the figures whose Table tab is chosen; a figure not named shows its chart (or map). Per figure, since a
 * page has several; ids sorted, so one view has one URL. The shell keeps `lang` and `period` beside it and drops it
 * on another page (a module's own parameter). Pure; FigureTabs.svelte reads and writes it (figure-tabs.test.ts).
 */
export const TABLE_PARAM = 'table';
const ID_RE = /^[a-z0-9][a-z0-9-]*$/;

/** The ids in `?table=` (well-formed ones, each once, sorted). */
export function tableIdsOf(query: Record<string, string> | null | undefined): string[] {
  const ids = (query?.[TABLE_PARAM] ?? '').split(',').map((s) => s.trim()).filter((s) => ID_RE.test(s));
  return [...new Set(ids)].sort();
}

/** Whether the URL chooses the Table tab of figure `id`. */
export function showsTable(query: Record<string, string> | null | undefined, id: string): boolean {
  return tableIdsOf(query).includes(id);
}

/** The new value of `?table=` with figure `id` showing its table (`table`) or its chart; null: no parameter. */
export function tableParam(query: Record<string, string> | null | undefined, id: string, table: boolean): string | null {
  const ids = tableIdsOf(query).filter((x) => x !== id);
  if (table && ID_RE.test(id)) ids.push(id);
  return ids.length ? ids.sort().join(',') : null;
}
