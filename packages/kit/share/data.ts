/**
 * The downloads of what a chart shows: CSV and JSON built from the chart's own data (labels and
 * series values, unformatted), plus what makes them citable (period, method version, as-of,
 * source). Pure: no DOM.
 */
import type { ChartData } from './scene.ts';
import { figureStatus, provisionalLabel } from '../core.ts';
import { shareText, type ShareLocale } from './strings.ts';
import type { EmbedTarget } from './embed-link.ts';

/** What the downloads and the embed snippet say about the view; each field falls back to the page's URL and /data/latest.json. */
export interface ChartShare {
  /** the unit or peer group the chart is about (a label) */
  unit?: string;
  /** period id of the view */
  period?: string;
  /** `asOf` of the snapshot drawn (pins the embed) */
  asOf?: string;
  /** the view's period is ongoing: its figures are provisional (else from latest.json's provisionalPeriods) */
  provisional?: boolean;
  /** method table id */
  method?: string;
  /** stable ids of the categories (unit ids, period ids), written as the first data column */
  keys?: string[];
  keyColumn?: string;
  /** where the categories are units: each one's official administrative code (`Unit.code`; none: empty), parallel to
   * `keys`, written as a column right after the ids (left out when no unit has a code) */
  codes?: (string | null | undefined)[];
  /** true when the categories are periods (then no separate period column) */
  categoriesArePeriods?: boolean;
  /** the /embed chart showing the same data (enables "copy embed code") */
  embed?: EmbedTarget;
}


export interface ShareMeta {
  /** chart title as shown */
  title: string;
  /** the unit (or peer group) the chart is about, as a label */
  unit?: string;
  /** period id (YYYY-MM, YYYY-Qn, YYYY) of the view */
  period?: string;
  /** the period as shown, e.g. "Tháng 3/2024" */
  periodLabel?: string;
  /** `asOf` of the snapshot the chart was drawn from */
  asOf?: string;
  /** "Dữ liệu đến 1 thg 1, 2025 00:00" as shown */
  asOfLabel?: string;
  /** the view's period is ongoing (its figures provisional) */
  provisional?: boolean;
  /** method table id, e.g. "766-v1" */
  method?: string;
  /** the page or embed the data comes from */
  link?: string;
  /** site host for the source line */
  site: string;
}

export interface DataTable {
  /** header names, in order */
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * The chart's data as a table: the category column (named `labelColumn`, optionally preceded
 * by stable ids and, for units, their official codes), one column per series, then the view's period (unless the categories are
 * periods), the method version, the as-of and the status of the figures (provisional or final:
 * per category where the categories are periods, `data.provisional`, else the view's).
 */
export function chartTable(data: ChartData, meta: ShareMeta, opts: { locale: ShareLocale; labelColumn: string; keys?: string[]; keyColumn?: string; codes?: readonly (string | null | undefined)[]; categoriesArePeriods?: boolean; table?: DataTable }): DataTable {
  const s = shareText(opts.locale);
  // the figure's own table when it has one (issue 19: a download matches the table on screen), else the drawn series
  const body: DataTable = opts.table ?? {
    columns: [opts.labelColumn, ...data.series.map((x) => x.label)],
    rows: data.labels.map((label, i) => [label, ...data.series.map((x) => x.values[i] ?? null)]),
  };
  const n = body.rows.length;
  const withKeys = !!opts.keys && opts.keys.length === n;
  // a registry without codes gets no empty column
  const withCodes = withKeys && !!opts.codes && opts.codes.length === n && opts.codes.some(Boolean);
  const withPeriod = !!meta.period && !opts.categoriesArePeriods;
  const perRow = !!data.provisional && data.provisional.length === n;
  const columns = [
    ...(withKeys ? [opts.keyColumn ?? s.colId] : []),
    ...(withCodes ? [s.colCode] : []),
    ...body.columns,
    ...(withPeriod ? [s.colPeriod] : []),
    s.colMethod,
    s.colAsOf,
    s.colStatus,
  ];
  const rows = body.rows.map((row, i) => [
    ...(withKeys ? [opts.keys![i]] : []),
    ...(withCodes ? [opts.codes![i] ?? null] : []),
    ...row,
    ...(withPeriod ? [meta.period!] : []),
    meta.method ?? null,
    meta.asOf ?? null,
    figureStatus(opts.locale, (perRow ? data.provisional![i] : undefined) ?? meta.provisional),
  ]);
  return { columns, rows };
}

/** RFC 4180 CSV, UTF-8 with a byte-order mark (so spreadsheet programs read Vietnamese). */
export function toCsv(table: DataTable): string {
  const cell = (v: string | number | null) => {
    if (v == null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    // a text cell that a spreadsheet would run as a formula is quoted with a leading apostrophe
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The figures of a download include provisional ones: the view's period, or any period charted. */
export function anyProvisional(data: Pick<ChartData, 'provisional'>, meta: Pick<ShareMeta, 'provisional'>): boolean {
  return !!meta.provisional || !!data.provisional?.some(Boolean);
}

/** JSON: the citation fields (with `provisional` and its note), then the same columns and rows as the CSV. */
export function toJson(table: DataTable, meta: ShareMeta, locale: ShareLocale, provisional = !!meta.provisional, citation?: string): string {
  const s = shareText(locale);
  return JSON.stringify({
    title: meta.title,
    unit: meta.unit ?? null,
    period: meta.period ?? null,
    asOf: meta.asOf ?? null,
    provisional,
    provisionalNote: provisional && meta.asOf ? provisionalLabel(locale, meta.asOf) : null,
    method: meta.method ?? null,
    source: sourceLine(meta, locale),
    link: meta.link ?? null,
    licenceNote: s.citeNote,
    ...(citation ? { citation } : {}),
    columns: table.columns,
    rows: table.rows,
  }, null, 2) + '\n';
}

export function sourceLine(meta: Pick<ShareMeta, 'site'>, locale: ShareLocale): string {
  return shareText(locale).source.replace('{site}', meta.site);
}

/** A file name without diacritics: itmap-<title>-<period>.<ext>. */
/** A file name's part: ASCII, lower case, words joined by `-` (Vietnamese diacritics and đ folded). */
export const slug = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
  .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);

export function fileName(meta: ShareMeta, ext: string, suffix = ''): string {
  return ['itmap', slug(meta.title), meta.period ? slug(meta.period) : '', suffix].filter(Boolean).join('-') + `.${ext}`;
}
