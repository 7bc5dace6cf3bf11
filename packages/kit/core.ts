/**
 * @itmap/kit/core — the framework-free half of the shared kit: the snapshot API client,
 * the module props contract, UI strings and number/period formatting.
 * The shell and every module use this one instance (import map specifier `@itmap/kit/core`).
 */
import type { Unit, LocalizedText } from '@itmap/shared-types/records';
import type { MethodTable } from '@itmap/shared-types/method';
import type { UnitScore } from '@itmap/shared-types/scores';
import type { LatestSnapshot, UnitsSnapshot, ScoresSnapshot, RankingsSnapshot, RankingEntry, UnitHistorySnapshot, UnitEntry, FeedbackView, FieldsSnapshot } from '@itmap/shared-types/snapshots';
import { cityTimeZone, previousPeriod, useCityTimeZone, utcOffsetAt } from '@itmap/shared-types/periods';

export { previousPeriod };
// sortable tables (the rule of SortHeader.svelte), in the core so pure module code can use it
export { sortFromQuery, sortQuery, ariaSortOf, sortedBy, type SortDir, type SortState, type SortSpec } from './sort.ts';
// the compare set (?compare=a,b,c): the compare page and the profile's "add to comparison"
export { MAX_COMPARE, parseCompare, withUnit, withoutUnit, compareParam } from './compare-set.ts';
// a figure's Chart | Table tab in the URL (?table=<id>,…)
export { TABLE_PARAM, tableIdsOf, showsTable, tableParam } from './figure-tabs.ts';
// The figures on the page and "download everything of this view": one instance for the page (the shell's button, every module's figures).
export { registerFigure, downloadViewArchive, type PageFigure } from './share/figures.ts';
// Error reports: one instance for the page (the shell and every module's adapter), so a failure both see is reported once.
export { reportModuleError, versionOf } from './report.ts';
// embed links (the share menu's embed code and the embed builder page)
export { embedUrl, embedSnippet, EMBED_CHARTS, type EmbedTarget, type EmbedChart } from './share/embed-link.ts';
// a module's own data files (docs/MODULES.md § Data of its own)
export { moduleData, moduleDataUrl, type DataSchema } from './module-data.ts';
// the tile map (the overview's map, its share images, /embed/map)
export { mapUnitsOf, tileChartData, tileLayout, shortLabels, type TileInput, type TileLayout } from './tile-map.ts';
export type { ChartData, TileSpec } from './share/scene.ts';
// "no data": one rule and its words (NoData.svelte shows them)
export { noDataReason, noDataText, type NoDataReason, type NoDataSubject } from './no-data.ts';

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

// snapshot bodies (docs/CONTRACTS.md), re-exported so modules import types from the kit only
export type { Unit, LocalizedText, MethodTable, UnitScore, LatestSnapshot, UnitsSnapshot, ScoresSnapshot, RankingsSnapshot, RankingEntry, UnitHistorySnapshot, UnitEntry };
export type { FeedbackView, FieldsSnapshot };

export class ApiError extends Error {
  status: number;
  url: string;
  constructor(url: string, status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.url = url;
    this.status = status;
  }
}

/** A snapshot, or null where it is not published (404): `ifPublished(api.rankings(period))`. Other failures stay failures. */
export function ifPublished<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
}

export interface Api {
  readonly base: string;
  latest(opts?: { fresh?: boolean }): Promise<LatestSnapshot>;
  units(): Promise<UnitsSnapshot>;
  method(): Promise<MethodTable>;
  scores(period: string): Promise<ScoresSnapshot>;
  /** /data/rankings/{period}.json (rank, total, band of every unit), or the same cut from scores/{period}.json where a publisher older than the rankings wrote none */
  rankings(period: string): Promise<RankingsSnapshot>;
  unitHistory(unitId: string): Promise<UnitHistorySnapshot>;
  /** /data/feedback/{period}.json: the 1022 view */
  feedback(period: string): Promise<FeedbackView>;
  /** /data/fields.json: the city's 1022 field list */
  fields(): Promise<FieldsSnapshot>;
  /** Drop cached snapshots (all, or those whose path starts with one of `prefixes`). */
  invalidate(prefixes?: string[]): void;
}

/** Client for the static snapshots under /data: one in-flight request per path, cached until invalidated. */
export function createApi(opts: { base?: string; fetch?: typeof fetch } = {}): Api {
  const base = (opts.base ?? '/data').replace(/\/$/, '');
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const cache = new Map<string, Promise<unknown>>();

  // after new data is published, ask the HTTP cache to revalidate (snapshot URLs are stable)
  let revalidate = false;
  async function load<T>(path: string, fresh: boolean): Promise<T> {
    const url = `${base}/${path}`;
    const res = await doFetch(url, { headers: { accept: 'application/json' }, cache: fresh || revalidate ? 'no-cache' : 'default' });
    if (!res.ok) throw new ApiError(url, res.status, `${res.status} ${res.statusText || 'error'} — ${url}`);
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(url, res.status, `invalid JSON — ${url}`);
    }
  }
  function get<T>(path: string, fresh = false): Promise<T> {
    let p = fresh ? undefined : cache.get(path);
    if (!p) {
      p = load<T>(path, fresh);
      cache.set(path, p);
      // failures are not cached: the next call (a Retry) asks again
      p.catch(() => { if (cache.get(path) === p) cache.delete(path); });
    }
    return p as Promise<T>;
  }
  const seg = (s: string) => encodeURIComponent(s);
  const scores = (period: string) => get<ScoresSnapshot>(`scores/${seg(period)}.json`);
  return {
    base,
    latest: (o) => get<LatestSnapshot>('latest.json', o?.fresh),
    // the city's own data comes with its units: its time zone (periods and times) and its peer groups' labels
    units: () => get<UnitsSnapshot>('units.json').then((snapshot) => (useCity(snapshot), snapshot)),
    method: () => get<MethodTable>('method.json'),
    scores,
    rankings: (period) => get<RankingsSnapshot>(`rankings/${seg(period)}.json`).catch((e) => {
      if (e instanceof ApiError && e.status === 404) return scores(period);
      throw e;
    }),
    unitHistory: (unitId) => get<UnitHistorySnapshot>(`units/${seg(unitId)}.json`),
    feedback: (period) => get<FeedbackView>(`feedback/${seg(period)}.json`),
    fields: () => get<FieldsSnapshot>('fields.json'),
    invalidate(prefixes) {
      revalidate = true;
      for (const key of [...cache.keys()]) {
        if (!prefixes || prefixes.some((p) => key.startsWith(p))) cache.delete(key);
      }
    },
  };
}

// ---------------------------------------------------------------- module props contract
/** What the shell navigates to; omitted fields keep their current value, `null` clears. */
export interface NavigateTo {
  path?: string;
  query?: Record<string, string | null>;
  replace?: boolean;
}
export interface ModuleProps {
  locale: Locale;
  /** period id (YYYY-MM, YYYY-Qn, YYYY); `defaultPeriodFrom(latest)` (the last complete month) when the URL names none */
  period: string;
  /** the selected unit, if any (e.g. from /units/{id}) */
  unitId: string | null;
  navigate: (to: NavigateTo) => void;
  /** href for a link to a view (so links are real links: open in new tab, share, copy) */
  href: (to: NavigateTo) => string;
  api: Api;
  /** true when rendered alone inside /embed */
  embed: boolean;
  /** the module's own view state from the URL query (e.g. `peer` for the overview) */
  query: Record<string, string>;
  /** `asOf` of the snapshots; changes when live updates publish new data */
  asOf: string;
}

// ---------------------------------------------------------------- strings & formatting
const STRINGS = {
  vi: {
    loading: 'Đang tải…',
    error: 'Không tải được phần này',
    retry: 'Thử lại',
    dataTable: 'Bảng số liệu',
    noData: 'Chưa có dữ liệu',
    points: 'điểm',
    rank: 'Hạng',
    unit: 'Đơn vị',
    score: 'Điểm',
    band: 'Xếp loại',
    period: 'Kỳ',
    showAll: 'Hiện tất cả {n}',
    showTop: 'Chỉ hiện {n} đầu',
    chartLoading: 'Đang vẽ biểu đồ…',
    chartUnavailable: 'Không vẽ được biểu đồ; số liệu ở thẻ Bảng.',
    tabChart: 'Biểu đồ',
    tabMap: 'Bản đồ',
    tabTable: 'Bảng',
    figureTabs: 'Cách xem: {title}',
    source: 'Nguồn: Bản đồ thể chế, dữ liệu đến {asOf}',
    provisional: 'tạm tính',
    provisionalNote: 'Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến {asOf}, còn thay đổi cho đến hết kỳ.',
    provisionalLegend: 'Nét đứt, chấm rỗng: kỳ tạm tính (chưa kết thúc)',
    provisionalLegendBar: 'Cột nhạt màu: kỳ tạm tính (chưa kết thúc)',
    statusFinal: 'chính thức',
    changeSince: 'so với {period}',
    changeUp: 'tăng {delta} điểm so với {period}',
    changeDown: 'giảm {delta} điểm so với {period}',
    changeSame: 'không đổi so với {period}',
    rankUp: 'tăng {n} bậc so với {period}',
    rankDown: 'giảm {n} bậc so với {period}',
    rankSame: 'giữ hạng so với {period}',
    sortedAsc: 'tăng dần',
    sortedDesc: 'giảm dần',
    change: 'Thay đổi',
  },
  en: {
    loading: 'Loading…',
    error: 'This part could not be loaded',
    retry: 'Retry',
    dataTable: 'Data table',
    noData: 'No data yet',
    points: 'points',
    rank: 'Rank',
    unit: 'Unit',
    score: 'Score',
    band: 'Band',
    period: 'Period',
    showAll: 'Show all {n}',
    showTop: 'Show the top {n} only',
    chartLoading: 'Drawing the chart…',
    chartUnavailable: 'The chart could not be drawn; the figures are under the Table tab.',
    tabChart: 'Chart',
    tabMap: 'Map',
    tabTable: 'Table',
    figureTabs: 'View: {title}',
    source: 'Source: Institutional Transparency Map, data as of {asOf}',
    provisional: 'provisional',
    provisionalNote: 'Provisional: this period is not over. Figures as of {asOf}; they will change until the period ends.',
    provisionalLegend: 'Dashed line, hollow dot: provisional period (not over yet)',
    provisionalLegendBar: 'Lighter bars: provisional period (not over yet)',
    statusFinal: 'final',
    changeSince: 'since {period}',
    changeUp: 'up {delta} points since {period}',
    changeDown: 'down {delta} points since {period}',
    changeSame: 'unchanged since {period}',
    rankUp: 'up {n} places since {period}',
    rankDown: 'down {n} places since {period}',
    rankSame: 'same rank as in {period}',
    sortedAsc: 'ascending',
    sortedDesc: 'descending',
    change: 'Change',
  },
} as const satisfies Record<Locale, Record<string, string>>;
export type KitStringKey = keyof (typeof STRINGS)['vi'];

/** Look up a kit string, filling `{name}` placeholders. */
export function kt(locale: Locale, key: KitStringKey, vars: Record<string, string | number> = {}): string {
  return fill(STRINGS[locale]?.[key] ?? STRINGS.vi[key], vars);
}
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}
/**
 * A module's `t(locale, key, vars)` over its strings table `{vi, en}`: the locale's text (Vietnamese where it has
 * none), `{name}` placeholders filled from `vars`.
 */
export function translator<Table extends Record<string, string>>(strings: { vi: Table; en: Partial<Record<keyof Table, string>> }) {
  return (locale: Locale, key: keyof Table & string, vars: Record<string, string | number> = {}): string =>
    fill(strings[locale]?.[key] ?? strings.vi[key], vars);
}
/** Pick the text for the locale from a {vi, en} pair (Vietnamese when the other is missing). */
export function lt(text: LocalizedText | undefined | null, locale: Locale): string {
  if (!text) return '';
  return text[locale] || text.vi || text.en || '';
}

const intlLocale = (l: Locale) => (l === 'vi' ? 'vi-VN' : 'en-GB');
// The first Intl object a page makes loads ICU's data (30–40 ms on a laptop, four times that on a mid-range phone),
// inside the first view's longest task. The formats these two locales use for a number and for a date and time are
// written here instead, exactly as Intl writes them (core.test.ts compares them over many values); anything else
// (other locales, huge or non-finite numbers) goes to Intl.
const SEPARATORS: Record<Locale, { decimal: string; group: string }> = { vi: { decimal: ',', group: '.' }, en: { decimal: '.', group: ',' } };
const numberFormats = new Map<string, Intl.NumberFormat>();
function intlNumber(value: number, locale: Locale, digits: number): string {
  const key = `${locale}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(value);
}
/** `value` with `digits` decimals, grouped, in vi-VN ("1.234,50") or en-GB ("1,234.50"), as Intl.NumberFormat writes it. */
export function formatNumber(value: number, locale: Locale, digits = 2): string {
  const sep = SEPARATORS[locale];
  // the shortest decimal that reads back as `value` (what ICU rounds), unless it is in exponent form
  const text = String(Math.abs(value));
  if (!sep || !Number.isInteger(digits) || digits < 0 || digits > 20 || !/^\d+(\.\d+)?$/.test(text)) return intlNumber(value, locale, digits);
  const [int, frac = ''] = text.split('.');
  // round half away from zero (ICU's halfExpand) on the decimal digits
  let all = int + frac.slice(0, digits).padEnd(digits, '0');
  if (frac.length > digits && frac.charCodeAt(digits) >= 53 /* '5' */) {
    const d = all.split('');
    let i = d.length - 1;
    while (i >= 0 && d[i] === '9') d[i--] = '0';
    if (i >= 0) d[i] = String(Number(d[i]) + 1);
    else d.unshift('1');
    all = d.join('');
  }
  const whole = all.slice(0, all.length - digits).replace(/^0+(?=\d)/, '') || '0';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep.group);
  const negative = value < 0 || Object.is(value, -0);
  return `${negative ? '-' : ''}${grouped}${digits ? sep.decimal + all.slice(all.length - digits) : ''}`;
}
export function formatPercent(ratio: number | null | undefined, locale: Locale, digits = 1): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  return `${formatNumber(ratio * 100, locale, digits)} %`;
}
const MONTHS_SHORT_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
/**
 * A date and time in the city's time zone (units.json names it; HCMC's by default), as Intl.DateTimeFormat's medium
 * date and short time write it: "17:15 6 thg 12, 2026" / "6 Dec 2026, 17:15". The zone's offset is known
 * (shared-types' periods.ts), so no time-zone data is loaded for it.
 */
export function formatDateTime(iso: string, locale: Locale): string {
  const d = new Date(iso);
  const t = d.getTime();
  if (Number.isNaN(t)) return iso;
  const local = new Date(t + utcOffsetAt(t));
  const year = local.getUTCFullYear(), month = local.getUTCMonth(), day = local.getUTCDate();
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  if (year < 1000 || year > 9999) return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone: cityTimeZone() }).format(d);
  return locale === 'vi' ? `${time} ${day} thg ${month + 1}, ${year}` : `${day} ${MONTHS_SHORT_EN[month]} ${year}, ${time}`;
}

/** Takes the city's time zone and peer-group labels (in their display order) from units.json. */
function useCity(snapshot: UnitsSnapshot): void {
  if (!snapshot.city) return;
  try {
    useCityTimeZone(snapshot.city.timeZone);
  } catch {
    // an unknown zone: periods stay in the default one rather than the page failing
  }
  for (const group of snapshot.city.peerGroups) PEER_GROUP_LABELS[group.id] = group.name;
  PEER_GROUP_ORDER.splice(0, PEER_GROUP_ORDER.length, ...snapshot.city.peerGroups.map((group) => group.id), ...PEER_GROUP_ORDER.filter((id) => !snapshot.city!.peerGroups.some((group) => group.id === id)));
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "Tháng 3/2024" / "March 2024", "Quý 1/2024" / "Q1 2024", "Năm 2024" / "2024". */
export function formatPeriod(id: string, locale: Locale, short = false): string {
  let m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) {
    const month = Number(m[2]);
    if (locale === 'vi') return short ? `${month}/${m[1]}` : `Tháng ${month}/${m[1]}`;
    return short ? `${MONTHS_EN[month - 1].slice(0, 3)} ${m[1]}` : `${MONTHS_EN[month - 1]} ${m[1]}`;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(id);
  if (m) return locale === 'vi' ? `Quý ${m[2]}/${m[1]}` : `Q${m[2]} ${m[1]}`;
  if (/^\d{4}$/.test(id)) return locale === 'vi' ? `Năm ${id}` : id;
  return id;
}
/** "Tháng 12/2026 (tạm tính)" / "December 2026 (provisional)" for a provisional period, else formatPeriod(). */
export function periodLabel(id: string, locale: Locale, provisional: boolean | undefined, short = false): string {
  const label = formatPeriod(id, locale, short);
  return provisional ? `${label} (${kt(locale, 'provisional')})` : label;
}

// ---------------------------------------------------------------- ongoing periods (INDEX-766.md § Results: provisional)
/**
 * The period a view opens on when its URL names none: `defaultPeriod` (the last complete month),
 * or `latestPeriod` from a publisher older than `defaultPeriod`.
 */
export function defaultPeriodFrom(latest: Partial<Pick<LatestSnapshot, 'latestPeriod' | 'defaultPeriod'>> | null | undefined): string {
  return latest?.defaultPeriod || latest?.latestPeriod || '';
}
/** True when latest.json lists `period` among the ongoing ones (its numbers are provisional). */
export function isProvisionalPeriod(latest: Partial<Pick<LatestSnapshot, 'provisionalPeriods'>> | null | undefined, period: string): boolean {
  return !!latest?.provisionalPeriods?.includes(period);
}
/** The one sentence every view, image, download and embed of a provisional period shows (asOf: an ISO time). */
export function provisionalLabel(locale: Locale, asOf: string): string {
  return kt(locale, 'provisionalNote', { asOf: formatDateTime(asOf, locale) });
}
/** How a chart over periods marks a provisional one (share/scene.ts, charts.ts): the legend of a line and of a bar chart. */
export function provisionalLegends(locale: Locale): { line: string; bar: string } {
  return { line: kt(locale, 'provisionalLegend'), bar: kt(locale, 'provisionalLegendBar') };
}
/** The status cell of a download's row: "tạm tính" / "chính thức" ("provisional" / "final"). */
export function figureStatus(locale: Locale, provisional: boolean | undefined): string {
  return kt(locale, provisional ? 'provisional' : 'statusFinal');
}

export function periodKind(id: string): 'month' | 'quarter' | 'year' | null {
  if (/^\d{4}-\d{2}$/.test(id)) return 'month';
  if (/^\d{4}-Q[1-4]$/.test(id)) return 'quarter';
  if (/^\d{4}$/.test(id)) return 'year';
  return null;
}

export const PEER_GROUP_LABELS: Record<string, LocalizedText> = {
  city: { vi: 'Thành phố', en: 'City' },
  department: { vi: 'Sở, ban, ngành', en: 'Departments' },
  district: { vi: 'Quận, huyện, TP. Thủ Đức', en: 'Districts' },
  ward: { vi: 'Phường, xã, thị trấn', en: 'Wards and communes' },
};
export function peerGroupLabel(group: string, locale: Locale): string {
  return PEER_GROUP_LABELS[group] ? lt(PEER_GROUP_LABELS[group], locale) : group;
}

// ---------------------------------------------------------------- dashboards (issue #8): peer groups, search, helpers
// HCMC 2024 ranks urban and rural districts, wards and communes apart (config/cities/hcmc/registries/hcmc-2024.json)
Object.assign(PEER_GROUP_LABELS, {
  'district-urban': { vi: 'Quận, TP. Thủ Đức', en: 'Urban districts' },
  'district-rural': { vi: 'Huyện', en: 'Rural districts' },
  'ward-urban': { vi: 'Phường, thị trấn', en: 'Wards and townships' },
  'commune-rural': { vi: 'Xã', en: 'Rural communes' },
} satisfies Record<string, LocalizedText>);

/** Peer groups in display order (unknown groups last, by name). */
export const PEER_GROUP_ORDER = ['district-urban', 'district-rural', 'district', 'ward-urban', 'commune-rural', 'ward', 'department', 'city'];
export function sortPeerGroups(groups: Iterable<string>): string[] {
  const present = new Set(groups);
  return [...PEER_GROUP_ORDER.filter((g) => present.has(g)), ...[...present].filter((g) => !PEER_GROUP_ORDER.includes(g)).sort()];
}

/** Lower-case, without diacritics, "đ" → "d", spaces collapsed: "Phường Bến Nghé" → "phuong ben nghe". */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Units matching a query typed with or without diacritics ("ben nghe", "Bến Nghé", "đa kao" ↔ "da kao"),
 * best first: the id, a whole name, a name starting with the query, a word starting with it, a name containing it.
 * Every word of the query must occur; names of both locales count. `within`: only that unit and those below it (a chosen district).
 */
export function searchUnits(units: readonly Unit[], query: string, limit = 10, opts: { within?: string | null } = {}): Unit[] {
  const q = foldText(query);
  if (!q) return [];
  const words = q.split(' ');
  const scored: { unit: Unit; score: number; i: number }[] = [];
  const inScope = opts.within ? withinOf(units, opts.within) : () => true;
  units.forEach((unit, i) => {
    if (!inScope(unit)) return;
    if (unit.id === query.trim() || (unit.code && unit.code === query.trim())) { scored.push({ unit, score: 0, i }); return; }
    // units in force today first: a ward that ceased (validTo set) comes after those of the current structure
    const former = (unit as UnitEntry).validTo ? 500 : 0;
    let best = Infinity;
    for (const name of [unit.name.vi, unit.name.en]) {
      const n = foldText(name);
      if (!words.every((w) => n.includes(w))) continue;
      // "phuong ben nghe": the name without its kind word also counts as a whole name
      const bare = n.replace(/^(phuong|xa|thi tran|quan|huyen|thanh pho|so|ward|commune|township|district|city|department of)\s+|\s+(ward|commune|township|district|city)$/g, '');
      const s = n === q || bare === q ? 1 : n.startsWith(q) || bare.startsWith(q) ? 2 : ` ${n}`.includes(` ${q}`) ? 3 : n.includes(q) ? 4 : 5;
      best = Math.min(best, s * 1000 + former + n.length);
    }
    if (best < Infinity) scored.push({ unit, score: best, i });
  });
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).slice(0, limit).map((s) => s.unit);
}
/** A test of "is this unit `root` or below it" (through parentId, every registry's units). */
export function withinOf(units: readonly Pick<Unit, 'id' | 'parentId'>[], root: string): (unit: Pick<Unit, 'id'>) => boolean {
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  return (unit) => {
    let id: string | null | undefined = unit.id;
    for (let depth = 0; id && depth < 16; depth++, id = parent.get(id)) if (id === root) return true;
    return false;
  };
}

const integerFormats = new Map<Locale, Intl.NumberFormat>();
/** 1 234 (vi: 1.234) */
export function formatInteger(value: number, locale: Locale): string {
  let f = integerFormats.get(locale);
  if (!f) { f = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }); integerFormats.set(locale, f); }
  return f.format(value);
}

/** The label of a band code in the method table ("Khá" / "Fair"). */
export function bandLabel(method: MethodTable | null | undefined, code: string, locale: Locale): string {
  return lt(method?.bands.find((b) => b.code === code)?.label, locale) || code;
}

export function median(values: readonly number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** History entries of the same kind as `period` (months for a month…) up to it, oldest first. */
export function seriesOfKind<T extends { period: string }>(items: readonly T[], period: string): T[] {
  const kind = periodKind(period) ?? 'month';
  return items.filter((s) => periodKind(s.period) === kind && (!period || s.period <= period))
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

// ---------------------------------------------------------------- change since the previous period (issue 19)
/**
 * The scores of the period before `period` (same kind), by unit, read with `read` (the full scores or the compact
 * rankings); null when that period is not published (only a period latest.json lists is asked for: no 404).
 */
export async function previousScores<T extends { unitId: string }>(api: Pick<Api, 'latest'>, period: string | undefined, read: (period: string) => Promise<{ scores: T[] }>): Promise<{ period: string; byUnit: Map<string, T> } | null> {
  const before = period ? previousPeriod(period) : null;
  if (!before || !(await api.latest()).periods.includes(before)) return null;
  const { scores } = await read(before);
  return { period: before, byUnit: new Map(scores.map((s) => [s.unitId, s])) };
}

/**
 * A score's change since the previous period of the same kind (`previousPeriod`), rounded to one decimal as shown:
 * null (show nothing, not 0) when the unit had no score then or has none now.
 */
export function scoreChange(now: number | null | undefined, before: number | null | undefined): number | null {
  if (now == null || before == null || !Number.isFinite(now) || !Number.isFinite(before)) return null;
  // the difference of the two scores as shown (two decimals), in hundredths, then to one decimal half away from zero
  const hundredths = Math.round(now * 100) - Math.round(before * 100);
  const tenths = Math.round(Math.abs(hundredths) / 10);
  return tenths === 0 ? 0 : (Math.sign(hundredths) * tenths) / 10; // never −0
}
/**
 * Places moved in the ranking since the previous period: positive when the unit climbed (rank 5 → 3 is +2);
 * null when either rank is missing (no score, retired: rank null) or the unit was ranked in another peer group.
 */
export function rankMove(
  now: { rank: number | null; peerGroup?: string } | null | undefined,
  before: { rank: number | null; peerGroup?: string } | null | undefined,
): number | null {
  if (!now || !before || now.rank == null || before.rank == null) return null;
  if (now.peerGroup !== undefined && before.peerGroup !== undefined && now.peerGroup !== before.peerGroup) return null;
  return before.rank - now.rank;
}
/** "+3,2" / "−1,5" / "0,0" (vi) — a change as shown, with its sign (a true minus). */
export function formatChange(delta: number, locale: Locale, digits = 1): string {
  const text = formatNumber(Math.abs(delta), locale, digits);
  return delta > 0 ? `+${text}` : delta < 0 ? `\u2212${text}` : text;
}
/** "▲2" / "▼3" / "=" — a rank move as shown. */
export function formatRankMove(move: number): string {
  return move > 0 ? `\u25B2${move}` : move < 0 ? `\u25BC${-move}` : '=';
}
/** What a screen reader hears for a change: "up 3.2 points since February 2024", "down 2 places since …". */
export function changeText(locale: Locale, kind: 'score' | 'rank', value: number, previous: string): string {
  const period = formatPeriod(previous, locale);
  if (kind === 'rank') return kt(locale, value > 0 ? 'rankUp' : value < 0 ? 'rankDown' : 'rankSame', { n: Math.abs(value), period });
  return kt(locale, value > 0 ? 'changeUp' : value < 0 ? 'changeDown' : 'changeSame', { delta: formatNumber(Math.abs(value), locale, 1), period });
}
