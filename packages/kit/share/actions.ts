/**
 * What the share menu does (loaded when the menu first opens, so pages do not pay for it):
 * images drawn with the share scene (PNG 1x/2x light/dark via a canvas, SVG as text), data as
 * CSV/JSON, Blob downloads, clipboard. Browser only.
 */
import { canvasMeasure, layout, paint, toSvg, type ChartData, type ThemeName } from './scene.ts';
import { anyProvisional, chartTable, fileName, sourceLine, toCsv, toJson, type DataTable, type ShareMeta } from './data.ts';
import { st, type ShareLocale } from './strings.ts';
import { periodLabel, provisionalLabel, provisionalLegends } from '../core.ts';
import { citeText } from './cite.ts';

export interface ShareInput {
  data: ChartData;
  meta: ShareMeta;
  locale: ShareLocale;
  /** name of the category column (the data table's first header) */
  labelColumn: string;
  keys?: string[];
  keyColumn?: string;
  /** the units' official codes, parallel to `keys` (data.ts ChartShare.codes) */
  codes?: (string | null | undefined)[];
  categoriesArePeriods?: boolean;
  summary?: string;
  /** the figure's table as shown, with raw values (numbers unformatted): what the downloads hold */
  table?: DataTable;
}
export type ImageFormat = 'png' | 'svg';
export interface ImageRequest { format: ImageFormat; scale: 1 | 2; theme: ThemeName }

/** Width of downloaded images in CSS pixels (PNG 2x is twice this in pixels). */
export const IMAGE_WIDTH = 800;

export function sceneFor(input: ShareInput, theme: ThemeName) {
  const { meta, locale } = input;
  return layout(input.data, {
    width: IMAGE_WIDTH,
    theme,
    locale: locale === 'vi' ? 'vi-VN' : 'en-GB',
    measure: canvasMeasure(),
    desc: input.summary,
    provisionalLegend: provisionalLegends(locale),
    caption: {
      title: meta.title,
      subtitle: [meta.unit, meta.period ? periodLabel(meta.period, locale, meta.provisional) : meta.periodLabel].filter(Boolean).join(' · '),
      source: sourceLine(meta, locale),
      asOf: [meta.asOfLabel ? st(locale, 'asOf', { asOf: meta.asOfLabel }) : '', meta.method ? st(locale, 'method', { method: meta.method }) : ''].filter(Boolean).join(' · '),
      note: anyProvisional(input.data, meta) && meta.asOf ? provisionalLabel(locale, meta.asOf) : undefined,
    },
  });
}

export async function imageBlob(input: ShareInput, req: ImageRequest): Promise<{ blob: Blob; name: string }> {
  const scene = sceneFor(input, req.theme);
  const suffix = [req.theme === 'dark' ? 'dark' : '', req.format === 'png' && req.scale === 2 ? '2x' : ''].filter(Boolean).join('-');
  if (req.format === 'svg') {
    return { blob: new Blob([toSvg(scene)], { type: 'image/svg+xml;charset=utf-8' }), name: fileName(input.meta, 'svg', suffix) };
  }
  const canvas = document.createElement('canvas');
  paint(canvas, scene, req.scale);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('PNG encoding failed');
  return { blob, name: fileName(input.meta, 'png', suffix) };
}

export function table(input: ShareInput): DataTable {
  return chartTable(input.data, input.meta, input);
}
/** The figure's citation (share/cite.ts), retrieved now. */
export function cite(input: ShareInput): string {
  return citeText(input.meta, input.locale, new Date());
}
/** XLSX: the same table as the CSV and a citation sheet; write-excel-file is loaded here, on click. */
export async function xlsxFile(input: ShareInput): Promise<{ blob: Blob; name: string }> {
  const { xlsxBlob } = await import('./xlsx.ts');
  const blob = await xlsxBlob(table(input), input.meta, input.locale, anyProvisional(input.data, input.meta), cite(input));
  return { blob, name: fileName(input.meta, 'xlsx') };
}
export function dataBlob(input: ShareInput, format: 'csv' | 'json'): { blob: Blob; name: string } {
  const t = table(input);
  return format === 'csv'
    ? { blob: new Blob([toCsv(t)], { type: 'text/csv;charset=utf-8' }), name: fileName(input.meta, 'csv') }
    : { blob: new Blob([toJson(t, input.meta, input.locale, anyProvisional(input.data, input.meta), cite(input))], { type: 'application/json;charset=utf-8' }), name: fileName(input.meta, 'json') };
}

/** Saves a Blob through a temporary link (no data: URL, nothing inline: fine under the CSP). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Copies text; false when the clipboard is not available (the menu then shows the text to copy by hand). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
