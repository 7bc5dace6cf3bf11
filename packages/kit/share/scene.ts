/**
 * One chart drawing for every output that is not the on-page chart.js canvas: the downloadable
 * SVG and PNG (title, unit, period, source and "data as of" drawn in) and the /embed chart (an
 * inline SVG, so an embed never loads chart.js). layout() computes a list of primitives once;
 * toSvg() serialises them, paint() draws them on a 2D canvas, toSvgElement() builds DOM nodes.
 * No DOM is needed for layout (a text measurer is passed in; the default estimates).
 */

export interface SeriesData { label: string; values: (number | null)[] }
/** One tile of a tile map (kind 'tiles'): its cell, short label and band code (null: no score) */
export interface TileSpec { col: number; row: number; label: string; band: string | null }
export interface ChartData {
  /** 'tiles': a tile map (tile-map.ts), one tile per category, its value the first series' */
  kind: 'bar' | 'line' | 'tiles';
  labels: string[];
  series: SeriesData[];
  /** value-axis maximum (e.g. 100 points) */
  max?: number;
  horizontal?: boolean;
  /** per category: true where it is a provisional (ongoing) period — drawn dashed, hollow */
  provisional?: boolean[];
  /** kind 'tiles': per category, where its tile is */
  tiles?: TileSpec[];
  /** kind 'tiles': the bands in the legend (a 'none' code: no score) */
  legend?: { code: string; label: string }[];
}
/** What is drawn around the chart in an image (omitted in the embed, where it is HTML). */
export interface Caption {
  title: string;
  /** unit · period */
  subtitle: string;
  /** "Nguồn: Bản đồ thể chế — <site>" */
  source: string;
  /** "Dữ liệu đến …" */
  asOf: string;
  /** the provisional note (provisionalLabel), drawn in when the figures are provisional */
  note?: string;
}
export type ThemeName = 'light' | 'dark';
export interface Theme { bg: string; fg: string; muted: string; grid: string; series: string[] }
/** The shell's design tokens (shell/src/styles.css), light and dark. */
export const THEMES: Record<ThemeName, Theme> = {
  light: { bg: '#ffffff', fg: '#17202a', muted: '#4f5b67', grid: '#d5dbe1', series: ['#1f6feb', '#c2410c', '#15803d'] },
  dark: { bg: '#10151b', fg: '#e6ebf0', muted: '#a9b4bf', grid: '#34404d', series: ['#6cb2ff', '#fb923c', '#4ade80'] },
};
/**
 * A tile map's fills by band: ColorBrewer Blues (5 classes, safe for the common colour-vision
 * deficiencies; darker = better), the same as the page's map (overview TileMap.svelte), in both themes;
 * the ink on the two darkest is white.
 */
export const TILE_FILLS: Record<string, string> = {
  excellent: '#08519c', good: '#2171b5', fair: '#6baed6', average: '#bdd7e7', weak: '#eff3ff', none: '#d4d4d4',
};
const TILE_LIGHT_INK = new Set(['excellent', 'good']);
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';

export type Anchor = 'start' | 'middle' | 'end';
export type Item =
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill: string; op?: number }
  | { t: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string; sw: number }
  | { t: 'poly'; pts: [number, number][]; stroke: string; sw: number; dash?: boolean }
  | { t: 'dot'; cx: number; cy: number; r: number; fill: string; stroke?: string }
  | { t: 'text'; x: number; y: number; s: string; size: number; fill: string; anchor: Anchor; bold?: boolean };
export interface Scene { width: number; height: number; bg: string; title: string; desc: string; items: Item[] }

/** Width of `text` at `size` px (bold or not). */
export type Measure = (text: string, size: number, bold?: boolean) => number;
/** A measurer without layout: average glyph widths of a sans-serif. */
export const estimate: Measure = (s, size, bold) => s.length * size * (bold ? 0.58 : 0.53);
/** A measurer backed by a canvas (browser only), falling back to the estimate. */
export function canvasMeasure(): Measure {
  const ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  if (!ctx) return estimate;
  return (s, size, bold) => { ctx.font = `${bold ? '700 ' : ''}${size}px ${FONT}`; return ctx.measureText(s).width; };
}

export interface LayoutOptions {
  width?: number;
  theme?: ThemeName;
  locale?: string;
  measure?: Measure;
  /** draw title, subtitle, source and as-of (images); false for the embed */
  caption?: Caption | null;
  /** an accessible description (the text summary) */
  desc?: string;
  /** the legend of provisional periods (core provisionalLegends), drawn when data.provisional marks any */
  provisionalLegend?: { line: string; bar: string };
}

function niceMax(values: number[]): number {
  const top = Math.max(0, ...values);
  if (top <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(top));
  return Math.ceil(top / step) * step;
}

function wrap(text: string, width: number, size: number, measure: Measure, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next, size, bold) > width) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
function clip(text: string, width: number, size: number, measure: Measure): string {
  if (measure(text, size) <= width) return text;
  let s = text;
  while (s.length > 1 && measure(`${s}…`, size) > width) s = s.slice(0, -1);
  return `${s.trimEnd()}…`;
}

/** Lays a chart (and, for images, its caption) out as primitives. */
export function layout(data: ChartData, opts: LayoutOptions = {}): Scene {
  const W = Math.max(280, Math.round(opts.width ?? 800));
  const theme = THEMES[opts.theme ?? 'light'];
  const m = opts.measure ?? estimate;
  const num = new Intl.NumberFormat(opts.locale ?? 'vi-VN', { maximumFractionDigits: 2 });
  const items: Item[] = [];
  const pad = 16;
  const text = (x: number, y: number, s: string, size: number, fill: string, anchor: Anchor = 'start', bold = false) =>
    items.push({ t: 'text', x, y, s, size, fill, anchor, bold });
  let y = pad;

  const cap = opts.caption;
  if (cap) {
    for (const line of wrap(cap.title, W - 2 * pad, 18, m, true)) { y += 22; text(pad, y, line, 18, theme.fg, 'start', true); }
    if (cap.subtitle) for (const line of wrap(cap.subtitle, W - 2 * pad, 13, m)) { y += 18; text(pad, y, line, 13, theme.muted); }
    y += 8;
  }
  if (data.series.length > 1) {
    let x = pad;
    y += 16;
    data.series.forEach((s, i) => {
      items.push({ t: 'rect', x, y: y - 10, w: 12, h: 12, fill: theme.series[i % theme.series.length] });
      text(x + 16, y, s.label, 12, theme.fg);
      x += 16 + m(s.label, 12) + 16;
    });
    y += 6;
  }

  const provisionalAt = (i: number) => !!data.provisional?.[i];
  if (opts.provisionalLegend && data.kind !== 'tiles' && !data.horizontal && data.provisional?.some(Boolean)) {
    y += 16;
    if (data.kind === 'line') items.push({ t: 'poly', pts: [[pad, y - 4], [pad + 20, y - 4]], stroke: theme.fg, sw: 2, dash: true }, { t: 'dot', cx: pad + 24, cy: y - 4, r: 3.5, fill: theme.bg, stroke: theme.fg });
    else items.push({ t: 'rect', x: pad + 8, y: y - 10, w: 12, h: 12, fill: theme.series[0], op: PROVISIONAL_OPACITY });
    wrap(opts.provisionalLegend[data.kind], W - 2 * pad - 34, 12, m).forEach((line, i) => { if (i) y += 16; text(pad + 34, y, line, 12, theme.fg); });
    y += 6;
  }

  const all = data.series.flatMap((s) => s.values).filter((v): v is number => v != null && Number.isFinite(v));
  const max = data.max ?? niceMax(all);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => max * f);
  const n = data.labels.length;

  if (data.kind === 'tiles') {
    y = tileMap(data, items, text, { W, pad, y, theme, m, locale: opts.locale ?? 'vi-VN' });
  } else if (data.horizontal) {
    const row = 14 + 10 * data.series.length;
    const labelW = Math.min(W * 0.4, Math.max(40, ...data.labels.map((l) => m(l, 12))) + 8);
    const valueW = m(num.format(max), 11) + 8;
    const x0 = pad + labelW, x1 = W - pad - valueW, top = y + 6;
    const sx = (v: number) => x0 + ((x1 - x0) * Math.max(0, Math.min(v, max))) / max;
    const bottom = top + n * row;
    for (const t of ticks) items.push({ t: 'line', x1: sx(t), y1: top, x2: sx(t), y2: bottom, stroke: theme.grid, sw: 1 });
    data.labels.forEach((label, i) => {
      const ry = top + i * row;
      text(x0 - 8, ry + row / 2 + 4, clip(label, labelW - 8, 12, m), 12, theme.fg, 'end');
      data.series.forEach((s, j) => {
        const v = s.values[i];
        const by = ry + 4 + j * 10, bh = 10 * 0.9 + (data.series.length === 1 ? 4 : 0);
        if (v == null) return;
        items.push({ t: 'rect', x: x0, y: by, w: Math.max(1, sx(v) - x0), h: bh, fill: theme.series[j % theme.series.length] });
        text(sx(v) + 4, by + bh - 1, num.format(v), 11, theme.muted);
      });
    });
    y = bottom + 14;
    for (const t of ticks) text(sx(t), y, num.format(t), 11, theme.muted, 'middle');
    y += 6;
  } else {
    const plotH = 220;
    const axisW = m(num.format(max), 11) + 8;
    const x0 = pad + axisW, x1 = W - pad, top = y + 8, bottom = top + plotH;
    const sy = (v: number) => bottom - (plotH * Math.max(0, Math.min(v, max))) / max;
    for (const t of ticks) {
      items.push({ t: 'line', x1: x0, y1: sy(t), x2: x1, y2: sy(t), stroke: theme.grid, sw: 1 });
      text(x0 - 6, sy(t) + 4, num.format(t), 11, theme.muted, 'end');
    }
    const slot = n ? (x1 - x0) / n : 0;
    const cx = (i: number) => x0 + slot * (i + 0.5);
    data.series.forEach((s, j) => {
      const color = theme.series[j % theme.series.length];
      if (data.kind === 'bar') {
        const bw = (slot * 0.7) / data.series.length;
        s.values.forEach((v, i) => {
          if (v == null) return;
          items.push({ t: 'rect', x: x0 + slot * i + slot * 0.15 + j * bw, y: sy(v), w: bw, h: bottom - sy(v), fill: color, ...(provisionalAt(i) ? { op: PROVISIONAL_OPACITY } : {}) });
        });
      } else {
        // a segment into a provisional point is dashed, the point hollow: an ongoing period is not a fall
        let run: [number, number][] = [];
        const flush = () => { if (run.length > 1) items.push({ t: 'poly', pts: run, stroke: color, sw: 2 }); run = []; };
        s.values.forEach((v, i) => {
          if (v == null) { flush(); return; }
          const p: [number, number] = [cx(i), sy(v)];
          if (provisionalAt(i) && run.length) { const from = run[run.length - 1]; flush(); items.push({ t: 'poly', pts: [from, p], stroke: color, sw: 2, dash: true }); }
          run.push(p);
        });
        flush();
        s.values.forEach((v, i) => {
          if (v != null) items.push(provisionalAt(i) ? { t: 'dot', cx: cx(i), cy: sy(v), r: 3.5, fill: theme.bg, stroke: color } : { t: 'dot', cx: cx(i), cy: sy(v), r: 3, fill: color });
        });
      }
    });
    // category labels: every k-th so that they do not overlap
    const widest = Math.max(0, ...data.labels.map((l) => m(l, 11))) + 8;
    const every = Math.max(1, Math.ceil(widest / Math.max(1, slot)));
    y = bottom + 16;
    data.labels.forEach((l, i) => { if (i % every === 0) text(cx(i), y, l, 11, theme.muted, 'middle'); });
    y += 6;
  }

  if (cap) {
    y += 8;
    for (const line of wrap(cap.source, W - 2 * pad, 12, m)) { y += 16; text(pad, y, line, 12, theme.muted); }
    if (cap.asOf) { y += 16; text(pad, y, cap.asOf, 12, theme.muted); }
    if (cap.note) for (const line of wrap(cap.note, W - 2 * pad, 12, m, true)) { y += 16; text(pad, y, line, 12, theme.fg, 'start', true); }
  }
  y += pad;
  return { width: W, height: Math.ceil(y), bg: theme.bg, title: cap?.title ?? '', desc: opts.desc ?? '', items };
}

/** A tile map: the tiles on their grid (label and score, filled by band), then the legend; returns the y below it. */
function tileMap(data: ChartData, items: Item[], text: (x: number, y: number, s: string, size: number, fill: string, anchor?: Anchor, bold?: boolean) => void,
  o: { W: number; pad: number; y: number; theme: Theme; m: Measure; locale: string }): number {
  const tiles = data.tiles ?? [];
  const values = data.series[0]?.values ?? [];
  const one = new Intl.NumberFormat(o.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const cols = Math.max(1, ...tiles.map((t) => t.col + 1)), rows = Math.max(0, ...tiles.map((t) => t.row + 1));
  const gap = 4;
  const cell = Math.max(24, Math.min(72, Math.floor((o.W - 2 * o.pad - (cols - 1) * gap) / cols)));
  const top = o.y + 8;
  tiles.forEach((t, i) => {
    const code = t.band && t.band in TILE_FILLS ? t.band : 'none';
    const x = o.pad + t.col * (cell + gap), y = top + t.row * (cell + gap);
    const ink = TILE_LIGHT_INK.has(code) ? '#ffffff' : '#0b1220';
    items.push({ t: 'rect', x, y, w: cell, h: cell, fill: o.theme.muted }, { t: 'rect', x: x + 1, y: y + 1, w: cell - 2, h: cell - 2, fill: TILE_FILLS[code] });
    const v = values[i];
    text(x + cell / 2, y + cell * 0.42, t.label, Math.round(cell * 0.24), ink, 'middle', true);
    text(x + cell / 2, y + cell * 0.74, v == null ? '—' : one.format(v), Math.round(cell * 0.2), ink, 'middle');
  });
  let y = top + rows * (cell + gap) + 4;
  // the legend: a swatch and the band's name, wrapping
  let x = o.pad;
  y += 16;
  for (const b of data.legend ?? []) {
    const w = 16 + o.m(b.label, 12) + 16;
    if (x > o.pad && x + w > o.W - o.pad) { x = o.pad; y += 18; }
    items.push({ t: 'rect', x, y: y - 11, w: 12, h: 12, fill: o.theme.muted }, { t: 'rect', x: x + 1, y: y - 10, w: 10, h: 10, fill: TILE_FILLS[b.code] ?? TILE_FILLS.none });
    text(x + 16, y, b.label, 12, o.theme.fg);
    x += w;
  }
  return y + 6;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const r = (n: number) => String(Math.round(n * 10) / 10);

function attrsOf(it: Item): Record<string, string> {
  switch (it.t) {
    case 'rect': return { x: r(it.x), y: r(it.y), width: r(it.w), height: r(it.h), fill: it.fill, ...(it.op != null ? { 'fill-opacity': String(it.op) } : {}) };
    case 'line': return { x1: r(it.x1), y1: r(it.y1), x2: r(it.x2), y2: r(it.y2), stroke: it.stroke, 'stroke-width': r(it.sw) };
    case 'poly': return { points: it.pts.map(([x, y]) => `${r(x)},${r(y)}`).join(' '), fill: 'none', stroke: it.stroke, 'stroke-width': r(it.sw), 'stroke-linejoin': 'round', ...(it.dash ? { 'stroke-dasharray': DASH.join(' ') } : {}) };
    case 'dot': return { cx: r(it.cx), cy: r(it.cy), r: r(it.r), fill: it.fill, ...(it.stroke ? { stroke: it.stroke, 'stroke-width': '2' } : {}) };
    case 'text': return { x: r(it.x), y: r(it.y), 'font-size': r(it.size), fill: it.fill, ...(it.anchor !== 'start' ? { 'text-anchor': it.anchor } : {}), ...(it.bold ? { 'font-weight': '700' } : {}) };
  }
}
/** dash pattern of a segment into a provisional point, opacity of a provisional bar (SVG, canvas, chart.js) */
export const DASH = [5, 4];
export const PROVISIONAL_OPACITY = 0.45;
const TAG = { rect: 'rect', line: 'line', poly: 'polyline', dot: 'circle', text: 'text' } as const;

/** A standalone SVG document (UTF-8, no external references, no scripts or styles). */
export function toSvg(scene: Scene): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" role="img" font-family="${esc(FONT)}">`,
    `<title>${esc(scene.title)}</title>`,
    scene.desc ? `<desc>${esc(scene.desc)}</desc>` : '',
    `<rect width="100%" height="100%" fill="${scene.bg}"/>`,
  ];
  for (const it of scene.items) {
    const a = Object.entries(attrsOf(it)).map(([k, v]) => `${k}="${esc(v)}"`).join(' ');
    out.push(it.t === 'text' ? `<text ${a}>${esc(it.s)}</text>` : `<${TAG[it.t]} ${a}/>`);
  }
  out.push('</svg>');
  return out.filter(Boolean).join('\n') + '\n';
}

/** The same drawing as DOM nodes (the embed; no markup parsing). */
export function toSvgElement(scene: Scene, doc: Document, opts: { background?: boolean } = {}): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const el = (tag: string, attrs: Record<string, string>, text?: string) => {
    const e = doc.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text != null) e.textContent = text;
    return e;
  };
  const svg = el('svg', { viewBox: `0 0 ${scene.width} ${scene.height}`, width: String(scene.width), height: String(scene.height), 'font-family': FONT, 'aria-hidden': 'true', focusable: 'false' }) as SVGSVGElement;
  if (opts.background) svg.append(el('rect', { width: '100%', height: '100%', fill: scene.bg }));
  for (const it of scene.items) svg.append(el(TAG[it.t], attrsOf(it), it.t === 'text' ? it.s : undefined));
  return svg;
}

/** Paints the scene on a canvas at `scale` device pixels per unit (1x, 2x). */
export function paint(canvas: HTMLCanvasElement, scene: Scene, scale = 1): void {
  canvas.width = Math.round(scene.width * scale);
  canvas.height = Math.round(scene.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = scene.bg;
  ctx.fillRect(0, 0, scene.width, scene.height);
  for (const it of scene.items) {
    switch (it.t) {
      case 'rect': ctx.fillStyle = it.fill; ctx.globalAlpha = it.op ?? 1; ctx.fillRect(it.x, it.y, it.w, it.h); ctx.globalAlpha = 1; break;
      case 'line': ctx.strokeStyle = it.stroke; ctx.lineWidth = it.sw; ctx.beginPath(); ctx.moveTo(it.x1, it.y1); ctx.lineTo(it.x2, it.y2); ctx.stroke(); break;
      case 'poly':
        ctx.strokeStyle = it.stroke; ctx.lineWidth = it.sw; ctx.lineJoin = 'round'; ctx.setLineDash(it.dash ? DASH : []); ctx.beginPath();
        it.pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
        ctx.stroke(); ctx.setLineDash([]); break;
      case 'dot':
        ctx.fillStyle = it.fill; ctx.beginPath(); ctx.arc(it.cx, it.cy, it.r, 0, Math.PI * 2); ctx.fill();
        if (it.stroke) { ctx.strokeStyle = it.stroke; ctx.lineWidth = 2; ctx.stroke(); }
        break;
      case 'text':
        ctx.fillStyle = it.fill; ctx.font = `${it.bold ? '700 ' : ''}${it.size}px ${FONT}`;
        ctx.textAlign = it.anchor === 'middle' ? 'center' : it.anchor === 'end' ? 'right' : 'left';
        ctx.fillText(it.s, it.x, it.y); break;
    }
  }
}
