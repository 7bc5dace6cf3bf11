/**
 * /embed/<chart>?unit=&period=&lang=&theme=&pin=&peer=&top= — one chart alone, for an iframe in
 * an article: the chart (inline SVG drawn by the kit's share scene, no chart.js), its text
 * summary and data table, the citation (source, period, data as of, method) and a link back.
 * No framework, no inline script or style; the page posts its height to the host page:
 *   parent.postMessage({type: 'itmap:height', height, chart}, '*')
 * on load and whenever its height changes, and again when the host posts
 * {type: 'itmap:request-height'}.
 *
 * pin (an asOf or a pin id, see pinId) freezes the data: the page reads
 * /data/pins/<pin>/<snapshot path> (immutable copies written by the publisher) and, while those
 * do not exist, the live snapshot, saying so when it has changed since the pin.
 * Snapshots read: units.json; ranking: rankings/<period>.json (else scores/<period>.json);
 * history: units/<unitId>.json and method.json; map: rankings/<period>.json and method.json; latest.json when no period is given (then the
 * chart shows `defaultPeriod`, the last complete month).
 *
 * An ongoing period's figures are provisional (the snapshot's `provisional`, the history entry's):
 * the page says so with their asOf, and the history draws such a point dashed and hollow. A pinned
 * copy taken during the period stays provisional; a live embed becomes final when the period ends.
 */
import {
  createApi, defaultPeriodFrom, formatDateTime, lt, periodLabel, provisionalLabel, provisionalLegends, ApiError, type Locale, type ScoresSnapshot, type UnitHistorySnapshot,
} from '@itmap/kit/core';
import { canvasMeasure, layout, toSvgElement, type ThemeName } from '@itmap/kit/share/scene';
import { pinId, EMBED_CHARTS, type HeightMessage } from '@itmap/kit/share/embed-link';
import { st } from '@itmap/kit/share/strings';
import { historyView, mapView, rankingView, type EmbedView } from './charts.ts';

const url = new URL(location.href);
const q = url.searchParams;
const chart = decodeURIComponent(url.pathname.replace(/^\/embed\/?/, '').split('/')[0] ?? '');
const locale: Locale = q.get('lang') === 'en' ? 'en' : 'vi';
const themeParam = q.get('theme');
const prefersDark = () => globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
const theme = (): ThemeName => (themeParam === 'dark' || themeParam === 'light' ? themeParam : prefersDark() ? 'dark' : 'light');
const pin = q.get('pin') ? pinId(q.get('pin')!) : null;

document.documentElement.lang = locale;
document.documentElement.dataset.theme = theme();

const api = createApi();
const root = document.getElementById('embed')!;
const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

/**
 * The first of `paths` that exists, as of the pin when a pinned copy exists (/data/pins/<pin>/…),
 * else live (and whether it moved on since the pin).
 */
async function pinned<T extends { asOf: string }>(paths: string[], flagChanges = true): Promise<{ body: T; changed: boolean }> {
  const get = async (url: string) => {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    return res.ok && (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json()) as T) : null;
  };
  if (pin) for (const path of paths) { const body = await get(`/data/pins/${pin}/${path}`); if (body) return { body, changed: false }; }
  for (const path of paths) {
    const body = await get(`/data/${path}`);
    if (body) return { body, changed: flagChanges && !!pin && pinId(body.asOf) !== pin };
  }
  throw new ApiError(`/data/${paths[0]}`, 404, `not found: /data/${paths[0]}`);
}

interface Loaded { view: EmbedView; asOf: string; method: string; period: string; changed: boolean; provisional: boolean }

async function load(): Promise<Loaded> {
  if (!(EMBED_CHARTS as readonly string[]).includes(chart)) throw new Error(st(locale, 'unknownChart', { chart }));
  const unitId = q.get('unit');
  const periodP = q.get('period') ? Promise.resolve(q.get('period')!) : api.latest().then(defaultPeriodFrom);
  const [units, period] = await Promise.all([api.units(), periodP]);
  const byId = new Map(units.units.map((u) => [u.id, u]));
  if (chart === 'ranking') {
    // rankings/<period>.json: the compact ranking the publisher writes for embeds (unitId, peerGroup,
    // rank, total, band); the full scores snapshot while it does not exist (too big on real data)
    const p = encodeURIComponent(period);
    const { body, changed } = await pinned<ScoresSnapshot>([`rankings/${p}.json`, `scores/${p}.json`]);
    const groups = [...new Set(body.scores.map((s) => s.peerGroup))];
    const peer = q.get('peer');
    // a peer group the period does not have (e.g. `district` where the city ranks `district-urban` and `district-rural`): say which it has
    if (peer && !groups.includes(peer)) throw new Error(st(locale, 'unknownPeer', { peer, groups: groups.join(', ') }));
    const group = peer || (unitId ? byId.get(unitId)?.peerGroup : undefined)
      || body.scores.find((s) => s.peerGroup === 'district')?.peerGroup || body.scores[0]?.peerGroup || 'district';
    const top = Math.min(50, Math.max(1, Number(q.get('top')) || 10));
    return { view: rankingView({ scores: body.scores, units: byId, period, group, top, locale }), asOf: body.asOf, method: body.method, period, changed, provisional: !!body.provisional };
  }
  if (chart === 'map') {
    const p = encodeURIComponent(period);
    const [{ body, changed }, method] = await Promise.all([pinned<ScoresSnapshot>([`rankings/${p}.json`, `scores/${p}.json`]), api.method()]);
    const view = mapView({ scores: body.scores, units: byId, period, district: q.get('district'), locale, method });
    return { view, asOf: body.asOf, method: body.method, period, changed, provisional: !!body.provisional };
  }
  if (!unitId) throw new Error(st(locale, 'needUnit'));
  const [{ body, changed }, method] = await Promise.all([// histories are rewritten (new asOf) on every publish today: no note until the publisher pins them
  pinned<UnitHistorySnapshot>([`units/${encodeURIComponent(unitId)}.json`], false), api.method()]);
  const bandLabel = (code: string) => lt(method.bands.find((b) => b.code === code)?.label, locale) || code;
  const view = historyView({ history: body.history, unit: byId.get(unitId), unitId, period, locale, bandLabel });
  return { view, asOf: body.asOf, method: body.method, period, changed, provisional: !!view.data.provisional?.some(Boolean) };
}

function render(d: Loaded) {
  const { view } = d;
  const figure = h('figure', { class: 'embed' });
  const chartBox = h('div', { class: 'embed__chart', role: 'img', 'aria-label': `${view.title}. ${view.summary}` });
  const draw = () => {
    const width = Math.max(280, Math.floor(chartBox.clientWidth || root.clientWidth || 600));
    const scene = layout(view.data, { width, theme: theme(), locale: locale === 'vi' ? 'vi-VN' : 'en-GB', measure: canvasMeasure(), provisionalLegend: provisionalLegends(locale) });
    chartBox.replaceChildren(toSvgElement(scene, document));
  };
  const back = new URL(view.back, location.origin).href;
  const table = h('table', { class: 'embed__table' },
    h('caption', {}, view.title),
    h('thead', {}, h('tr', {}, ...view.columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...view.rows.map((r) => h('tr', {}, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
  const asOfText = st(locale, 'asOf', { asOf: formatDateTime(d.asOf, locale) });
  figure.append(
    h('h1', { class: 'embed__title' }, view.title),
    chartBox,
    h('p', { class: 'embed__summary' }, view.summary),
    ...(d.provisional ? [h('p', { class: 'embed__note embed__note--provisional', role: 'note' }, provisionalLabel(locale, d.asOf))] : []),
    ...(d.changed && pin ? [h('p', { class: 'embed__note', role: 'note' }, st(locale, 'pinnedChanged', { pin, asOf: formatDateTime(d.asOf, locale) }))] : []),
    h('details', { class: 'embed__data' }, h('summary', {}, locale === 'vi' ? 'Bảng số liệu' : 'Data table'), table),
    h('figcaption', { class: 'embed__cite' },
      h('span', {}, `${st(locale, 'source', { site: location.host })} · ${periodLabel(d.period, locale, d.provisional)} · ${asOfText} · ${st(locale, 'method', { method: d.method })}`),
      ' ',
      h('a', { href: back, target: '_blank', rel: 'noopener' }, st(locale, 'viewOn'))),
  );
  root.replaceChildren(figure);
  document.title = `${view.title} — Bản đồ thể chế`;
  draw();
  let lastWidth = chartBox.clientWidth;
  new ResizeObserver(() => { if (chartBox.clientWidth !== lastWidth) { lastWidth = chartBox.clientWidth; draw(); } }).observe(chartBox);
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => { document.documentElement.dataset.theme = theme(); draw(); });
}

// ---- the height protocol
let lastHeight = -1;
function postHeight(force = false) {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (!force && height === lastHeight) return;
  lastHeight = height;
  if (parent !== window) parent.postMessage({ type: 'itmap:height', height, chart } satisfies HeightMessage, '*');
}
new ResizeObserver(() => postHeight()).observe(document.documentElement);
addEventListener('message', (e) => { if (e.source === parent && (e.data as { type?: string })?.type === 'itmap:request-height') postHeight(true); });

load().then(render, (err) => {
  console.error(err);
  const message = err instanceof ApiError ? st(locale, 'embedError') : err instanceof Error ? err.message : st(locale, 'embedError');
  root.replaceChildren(h('p', { class: 'embed__error', role: 'alert' }, message, ' ', h('a', { href: location.origin + '/', target: '_blank', rel: 'noopener' }, st(locale, 'viewOn'))));
}).finally(() => postHeight(true));
