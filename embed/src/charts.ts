/**
 * The charts /embed/<chart> can show, each the same data as its dashboard chart:
 *   ranking  ?period=&peer=|unit=&top=   the overview's top-N of a peer group for a period
 *   history  ?unit=&period=              the unit profile's total score over periods of the same
 *                                        kind, up to and including `period`
 * Pure: data in, chart + table + texts out.
 */
import { formatNumber, formatPeriod, kt, lt, peerGroupLabel, periodKind, periodLabel, type Locale, type Unit, type UnitScore } from '@itmap/kit/core';
import type { ChartData } from '@itmap/kit/share/scene';

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
    kind_month: 'tháng', kind_quarter: 'quý', kind_year: 'năm',
    total: 'Tổng điểm',
  },
  en: {
    rankingTitle: 'Top {n} units — {group}, {period}',
    rankingSummary: '{top} leads with {topScore} points; {bottom} is number {n} with {bottomScore} points.',
    historyTitle: 'Total score by {kind}, {unit}',
    historySummary: 'From {first} to {last}: {from} → {to} points.',
    empty: 'No data for this selection yet.',
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
