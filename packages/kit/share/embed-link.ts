import { pinId } from '@itmap/shared-types/snapshots';
/**
 * Embed URLs, the snippet journalists paste, the pin id and the postMessage height protocol.
 * Documented for host pages in docs/JOURNALISTS.md.
 */

/** Charts /embed can render alone (embed/src/charts.ts). */
export const EMBED_CHARTS = ['ranking', 'history', 'map'] as const;
export type EmbedChart = (typeof EMBED_CHARTS)[number];

export interface EmbedTarget {
  chart: EmbedChart;
  /** the chart's own parameters, e.g. {unit}, {peer} */
  params?: Record<string, string | undefined>;
}

/** The message an embed posts to its host page whenever its height changes. */
export interface HeightMessage { type: 'itmap:height'; height: number; chart: string }
/** What a host may post to an embed to have it post its height again. */
export interface HeightRequest { type: 'itmap:request-height' }

/**
 * A pin id names one published state of a snapshot: its `asOf` in UTC, compact
 * ("2025-01-01T00:00:00+07:00" → "20241231T170000Z"). Accepts an asOf or a pin id.
 */
export { pinId };

export function embedUrl(origin: string, target: EmbedTarget, view: { period?: string; lang?: string; theme?: string; asOf?: string }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(target.params ?? {})) if (v) q.set(k, v);
  if (view.period && !q.has('period')) q.set('period', view.period);
  if (view.lang) q.set('lang', view.lang);
  if (view.theme) q.set('theme', view.theme);
  const pin = view.asOf && q.has('period') ? pinId(view.asOf) : null;
  if (pin) q.set('pin', pin);
  return `${origin}/embed/${target.chart}?${q.toString()}`;
}

const escAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The one-line snippet: the iframe (no inline style, so a host CSP may forbid them) and the resize helper; width 100% (or px) and height (px). */
export function embedSnippet(origin: string, src: string, title: string, height = 460, width = '100%'): string {
  return `<iframe src="${escAttr(src)}" title="${escAttr(title)}" width="${escAttr(width)}" height="${height}" loading="lazy" frameborder="0" referrerpolicy="strict-origin-when-cross-origin"></iframe>`
    + `<script src="${escAttr(origin)}/embed/host.js" async></script>`;
}
