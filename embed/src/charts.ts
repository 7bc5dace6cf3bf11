/**
 * The charts /embed/<chart> can show, each the same data as its dashboard chart:
 *   ranking  ?period=&peer=|unit=&top=   the overview's top-N of a peer group for a period
 *   history  ?unit=&period=              the unit profile's total score over periods of the same
 *                                        kind, up to and including `period`
 *   map      ?period=&district=          the overview's tile map: the districts, or the wards of
 *                                        `district` (the kit's mapUnitsOf), by band
 * Pure: data in, chart + table + texts out.
 */
import { formatNumber, formatPeriod, kt, lt, mapUnitsOf, noDataText, peerGroupLabel, periodKind, periodLabel, tileChartData, type Locale, type MethodTable, type Unit, type UnitScore } from '@itmap/kit/core';
import type { ChartData } from '@itmap/kit/share/scene';
import { st } from '@itmap/kit/share/strings';

export interface EmbedView {
  title: string;
  subtitle: string;
  summary: string;
  data: ChartData;
  columns: string[];
  rows: string[][];
  /** path on the site showing the same view (the "link back") */
  back: string;
}

const TEXT = {
  vi: {
    rankingTitle: '{n} đơn vị điểm cao nhất — {group}, {period}',
    rankingSummary: '{top} dẫn đầu với {topScore} điểm; {bottom} đứng thứ {n} với {bottomScore} điểm.',
    historyTitle: 'Tổng điểm theo {kind}, {unit}',
    historySummary: 'Từ {first} đến {last}: {from} → {to} điểm.',
    empty: 'Chưa có dữ liệu cho lựa chọn này.',
    mapCity: 'Quận, huyện theo xếp loại, {period}',
    mapWards: 'Phường, xã, đặc khu theo xếp loại, {period}',
    mapDistrict: 'Phường, xã của {district} theo xếp loại, {period}',
    mapSummary: '{count} đơn vị; cao nhất: {top} ({topScore} điểm), thấp nhất: {bottom} ({bottomScore} điểm). Mỗi ô là một đơn vị, đặt theo vị trí gần đúng.',
    kind_month: 'tháng', kind_quarter: 'quý', kind_year: 'năm',
    total: 'Tổng điểm',
  },
  en: {
    rankingTitle: 'Top {n} units — {group}, {period}',
    rankingSummary: '{top} leads with {topScore} points; {bottom} is number {n} with {bottomScore} points.',
    historyTitle: 'Total score by {kind}, {unit}',
    historySummary: 'From {first} to {last}: {from} → {to} points.',
    empty: 'No data for this selection yet.',
    mapCity: 'Districts by band, {period}',
    mapWards: 'Wards and communes by band, {period}',
    mapDistrict: 'Wards and communes of {district} by band, {period}',
    mapSummary: '{count} units; highest: {top} ({topScore} points), lowest: {bottom} ({bottomScore} points). Each tile is one unit, placed near where it is.',
    kind_month: 'month', kind_quarter: 'quarter', kind_year: 'year',
    total: 'Total score',
  },
} as const;
type Key = keyof (typeof TEXT)['vi'];
const tx = (l: Locale, k: Key, v: Record<string, string | number> = {}) => TEXT[l][k].replace(/\{(\w+)\}/g, (m, n) => (n in v ? String(v[n]) : m));
const round2 = (n: number) => Math.round(n * 100) / 100;

export function rankingView(o: { scores: UnitScore[]; units: Map<string, Unit>; period: string; group: string; top: number; locale: Locale }): EmbedView {
  const { locale } = o;
  const rows = o.scores.filter((s) => s.peerGroup === o.group)
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || b.total - a.total || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
    .slice(0, o.top);
  const name = (s: UnitScore) => lt(o.units.get(s.unitId)?.name, locale) || s.unitId;
  const fmt = (n: number) => formatNumber(n, locale);
  const last = rows[rows.length - 1];
  return {
    title: tx(locale, 'rankingTitle', { n: rows.length, group: peerGroupLabel(o.group, locale), period: formatPeriod(o.period, locale) }),
    subtitle: `${peerGroupLabel(o.group, locale)} · ${formatPeriod(o.period, locale)}`,
    summary: rows.length ? tx(locale, 'rankingSummary', { top: name(rows[0]), topScore: fmt(rows[0].total), bottom: name(last), n: rows.length, bottomScore: fmt(last.total) }) : tx(locale, 'empty'),
    data: { kind: 'bar', horizontal: true, max: 100, labels: rows.map(name), series: [{ label: kt(locale, 'score'), values: rows.map((r) => round2(r.total)) }] },
    columns: [kt(locale, 'unit'), kt(locale, 'rank'), kt(locale, 'score')],
    rows: rows.map((r) => [name(r), String(r.rank), fmt(r.total)]),
    back: `/?period=${encodeURIComponent(o.period)}&peer=${encodeURIComponent(o.group)}${locale === 'en' ? '&lang=en' : ''}`,
  };
}

export function historyView(o: { history: UnitScore[]; unit: Unit | undefined; unitId: string; period: string; locale: Locale; bandLabel: (code: string) => string }): EmbedView {
  const { locale } = o;
  const kind = periodKind(o.period) ?? 'month';
  const series = o.history.filter((s) => periodKind(s.period) === kind && s.period <= o.period)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const unitName = lt(o.unit?.name, locale) || o.unitId;
  const fmt = (n: number) => formatNumber(n, locale);
  const first = series[0], last = series[series.length - 1];
  return {
    title: tx(locale, 'historyTitle', { kind: tx(locale, `kind_${kind}` as Key), unit: unitName }),
    subtitle: `${unitName} · ${formatPeriod(o.period, locale)}`,
    summary: series.length ? tx(locale, 'historySummary', { first: formatPeriod(first.period, locale), last: periodLabel(last.period, locale, last.provisional), from: fmt(first.total), to: fmt(last.total) }) : tx(locale, 'empty'),
    data: {
      kind: 'line', max: 100, labels: series.map((s) => formatPeriod(s.period, locale, true)),
      series: [{ label: tx(locale, 'total'), values: series.map((s) => round2(s.total)) }], provisional: series.map((s) => !!s.provisional),
    },
    columns: [kt(locale, 'period'), tx(locale, 'total'), kt(locale, 'band')],
    rows: series.map((s) => [periodLabel(s.period, locale, s.provisional), fmt(s.total), o.bandLabel(s.band)]),
    back: `/units/${encodeURIComponent(o.unitId)}?period=${encodeURIComponent(o.period)}${locale === 'en' ? '&lang=en' : ''}`,
  };
}

/** The overview's tile map (the same units, layout and labels: the kit's mapUnitsOf and tileChartData). */
export function mapView(o: { scores: Pick<UnitScore, 'unitId' | 'total' | 'band' | 'rank'>[]; units: Map<string, Unit>; period: string; district: string | null; locale: Locale; method: MethodTable }): EmbedView {
  const { locale } = o;
  const byUnit = new Map(o.scores.map((s) => [s.unitId, s]));
  // the units of the period: those scored in it
  const view = mapUnitsOf([...o.units.values()].filter((u) => byUnit.has(u.id)), o.district);
  // a district the period does not have (e.g. after a merger): say which it has, as for an unknown peer group
  if (o.district && !view.district) throw new Error(st(locale, 'unknownDistrict', { district: o.district, districts: view.districts.map((d) => d.id).join(', ') || '—' }));
  const fmt = (n: number) => formatNumber(n, locale);
  const bandLabel = (code: string) => lt(o.method.bands.find((b) => b.code === code)?.label, locale) || code;
  const items = view.units.map((u) => {
    const s = byUnit.get(u.id);
    return { id: u.id, name: lt(u.name, locale), nameVi: u.name.vi, centroid: u.centroid as [number, number] | undefined, score: s?.total ?? null, band: s?.band ?? null, rank: s?.rank ?? null };
  });
  const bands = [...o.method.bands].sort((a, b) => b.min - a.min);
  const legend = [...bands.map((b, i) => ({ code: b.code, label: `${lt(b.label, locale)} (${b.min > 0 || i === 0 ? `≥ ${b.min}` : `< ${bands[i - 1].min}`})` })), { code: 'none', label: noDataText(locale, 'not-scored').short }];
  const scored = items.filter((i) => i.score != null).sort((a, b) => b.score! - a.score!);
  const period = formatPeriod(o.period, locale);
  return {
    title: view.district ? tx(locale, 'mapDistrict', { district: lt(view.district.name, locale), period })
      : tx(locale, view.districts.length ? 'mapCity' : 'mapWards', { period }),
    subtitle: `${view.district ? `${lt(view.district.name, locale)} · ` : ''}${period}`,
    summary: scored.length ? tx(locale, 'mapSummary', { count: items.length, top: scored[0].name, topScore: fmt(scored[0].score!), bottom: scored.at(-1)!.name, bottomScore: fmt(scored.at(-1)!.score!) }) : tx(locale, 'empty'),
    data: tileChartData(items, legend, kt(locale, 'score')),
    columns: [kt(locale, 'unit'), kt(locale, 'score'), kt(locale, 'band'), kt(locale, 'rank')],
    rows: items.map((i) => [i.name, i.score == null ? noDataText(locale, 'not-scored').short : fmt(i.score), i.band ? bandLabel(i.band) : '', i.rank == null ? '' : String(i.rank)]),
    back: `/?period=${encodeURIComponent(o.period)}${view.district ? `&district=${encodeURIComponent(view.district.id)}` : ''}${locale === 'en' ? '&lang=en' : ''}`,
  };
}
