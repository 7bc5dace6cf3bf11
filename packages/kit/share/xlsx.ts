/**
 * The XLSX download of a figure (issue 19), written by write-excel-file (a maintained library, not
 * hand-made zip/XML), loaded only when a visitor asks for it, so no page pays for it. Two sheets:
 * the data (exactly the CSV's columns and rows: the figure's table, its ids, period, method, as-of
 * and status of each row; text is never written as a formula), and what cites it (title, unit,
 * period, provisional note, source, permanent link, citation).
 */
import type { DataTable, ShareMeta } from './data.ts';
import { sourceLine } from './data.ts';
import { shareText, type ShareLocale } from './strings.ts';
import { periodLabel, provisionalLabel } from '../core.ts';

type Cell = { value: string | number; type: StringConstructor | NumberConstructor; fontWeight?: 'bold' } | null;

export function xlsxSheets(table: DataTable, meta: ShareMeta, locale: ShareLocale, provisional: boolean, cite: string) {
  const s = shareText(locale);
  const text = (v: string, bold = false): Cell => ({ value: v, type: String, ...(bold ? { fontWeight: 'bold' as const } : {}) });
  const cell = (v: string | number | null): Cell => (v == null ? null : typeof v === 'number' ? (Number.isFinite(v) ? { value: v, type: Number } : null) : text(v));
  const data = [table.columns.map((c) => text(c, true)), ...table.rows.map((r) => r.map(cell))];
  const about: [string, string | undefined | null][] = [
    [s.aboutTitle, meta.title],
    [s.aboutUnit, meta.unit],
    [s.colPeriod, meta.period ? periodLabel(meta.period, locale, meta.provisional) : meta.periodLabel],
    [s.colStatus, provisional ? (meta.asOf ? provisionalLabel(locale, meta.asOf) : s.statusProvisional) : s.statusFinal],
    [s.colAsOf, meta.asOf],
    [s.colMethod, meta.method],
    [s.aboutSource, sourceLine(meta, locale)],
    [s.aboutLink, meta.link],
    [s.aboutCite, cite],
  ];
  const aboutRows = about.filter(([, v]) => v).map(([k, v]) => [text(k, true), text(v!)]);
  const width = (i: number) => Math.min(60, Math.max(8, ...data.map((r) => String(r[i]?.value ?? '').length + 2)));
  return [
    { data, sheet: s.sheetData, stickyRowsCount: 1, columns: table.columns.map((_, i) => ({ width: width(i) })) },
    { data: aboutRows, sheet: s.sheetAbout, columns: [{ width: 22 }, { width: 90 }] },
  ];
}

export async function xlsxBlob(table: DataTable, meta: ShareMeta, locale: ShareLocale, provisional: boolean, cite: string): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  return writeXlsxFile(xlsxSheets(table, meta, locale, provisional, cite) as Parameters<typeof writeXlsxFile>[0] & unknown[]).toBlob();
}
