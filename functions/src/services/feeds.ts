/**
 * Atom feeds without servers (issue 19): what changed in the scores, as static files the publisher writes beside the
 * snapshots — `data/feeds/city.xml` (every unit's band crossings and the city's own score changes) and
 * `data/feeds/units/<unitId>.xml` (one unit's score changes and band crossings). Only complete periods: a provisional
 * score still moves. Each period is compared with the previous one of the same kind (previousPeriod: month with
 * month, quarter with quarter, year with year), and a unit without a score then has no entry (nothing, not 0).
 *
 * Pure: no store, no clock. Titles in Vietnamese (the site's first language), the summary in both languages.
 * Links are relative to the feed's own address (/data/feeds/…), so they resolve on whatever host serves the site.
 */
import { parsePeriod, previousPeriod } from '../../../shared-types/src/periods.ts';
import type { BandDef } from '../../../shared-types/src/method.ts';
import type { LocalizedText } from '../../../shared-types/src/records.ts';
import type { UnitScore } from '../../../shared-types/src/scores.ts';
import { scoreChange, periodText, points, signed } from './wording.ts';

/** What an entry is made of (kept as JSON beside the city feed, so a run adds its periods without rereading every unit). */
export interface FeedEntry {
  /** a tag: URI, stable: the same event always has the same id */
  id: string;
  unitId: string;
  period: string;
  kind: 'band' | 'change';
  /** ISO instant: the end of the period (when its figures became final) */
  updated: string;
  title: string;
  summary: string;
  /** the unit's profile in that period, relative to the site */
  link: string;
}

/** The part of a score an entry needs (a UnitScore or a ranking line). */
export type FeedScore = Pick<UnitScore, 'unitId' | 'period' | 'total' | 'band' | 'provisional'>;

export interface FeedContext {
  /** a unit's name (both languages); the id when unknown */
  nameOf: (unitId: string) => LocalizedText | undefined;
  /** the bands of the method of a period (the method can change between periods) */
  bandsOf: (period: string) => readonly BandDef[];
}

/** Ids are tag: URIs (RFC 4151) under the project's name: stable, whatever host serves the feed. */
const TAG_AUTHORITY = 'tag:ban-do-the-che,2024:';

// ------------------------------------------------------------------------------------------------- wording
const bandOf = (bands: readonly BandDef[], code: string) => bands.find((b) => b.code === code);

// ------------------------------------------------------------------------------------------------- events
/**
 * The entries of one unit in one period against the previous period of the same kind: a band crossing (the band
 * changed: "fell below 80", "reached 90") and a score change (any change as shown, ±0.1 or more). None when either
 * period is provisional or the unit had no score then.
 */
export function entriesOf(now: FeedScore, before: FeedScore | undefined, ctx: FeedContext, kinds: readonly FeedEntry['kind'][] = ['band', 'change']): FeedEntry[] {
  if (!before || now.provisional || before.provisional || previousPeriod(now.period) !== before.period) return [];
  const name = ctx.nameOf(now.unitId);
  const vi = name?.vi || now.unitId;
  const en = name?.en || vi;
  const updated = new Date(parsePeriod(now.period).end).toISOString();
  const link = `/units/${encodeURIComponent(now.unitId)}?period=${now.period}`;
  const id = (kind: string) => `${TAG_AUTHORITY}${kind}/${encodeURIComponent(now.unitId)}/${now.period}`;
  const out: FeedEntry[] = [];
  const bands = ctx.bandsOf(now.period);
  const was = bandOf(ctx.bandsOf(before.period), before.band);
  const is = bandOf(bands, now.band);
  if (kinds.includes('band') && was && is && was.code !== is.code) {
    const fell = is.min < was.min;
    // fell: below the lower edge of the band it left; rose: to the lower edge of the band it reached
    const line = fell ? was.min : is.min;
    out.push({
      id: id('band'), unitId: now.unitId, period: now.period, kind: 'band', updated, link,
      title: fell
        ? `${vi} xuống dưới ${line} điểm trong ${periodText(now.period, 'vi')}`
        : `${vi} đạt từ ${line} điểm trở lên trong ${periodText(now.period, 'vi')}`,
      summary: [
        `${vi}: ${points(now.total, 'vi')} điểm trong ${periodText(now.period, 'vi')} (${periodText(before.period, 'vi')}: ${points(before.total, 'vi')}), xếp loại ${is.label.vi} (trước: ${was.label.vi}).`,
        `${en} ${fell ? 'fell below' : 'reached'} ${line} points in ${periodText(now.period, 'en')}: ${points(now.total, 'en')} (${periodText(before.period, 'en')}: ${points(before.total, 'en')}), band ${is.label.en} (was ${was.label.en}).`,
      ].join('\n'),
    });
  }
  const delta = scoreChange(now.total, before.total);
  if (kinds.includes('change') && delta !== 0) {
    out.push({
      id: id('change'), unitId: now.unitId, period: now.period, kind: 'change', updated, link,
      title: `${vi}: ${points(now.total, 'vi')} điểm trong ${periodText(now.period, 'vi')} (${signed(delta, 'vi')} so với ${periodText(before.period, 'vi')})`,
      summary: [
        `${vi}: ${points(now.total, 'vi')} điểm trong ${periodText(now.period, 'vi')}, ${delta > 0 ? 'tăng' : 'giảm'} ${points(Math.abs(delta), 'vi', 1)} điểm so với ${periodText(before.period, 'vi')} (${points(before.total, 'vi')}).`,
        `${en}: ${points(now.total, 'en')} points in ${periodText(now.period, 'en')}, ${delta > 0 ? 'up' : 'down'} ${points(Math.abs(delta), 'en', 1)} since ${periodText(before.period, 'en')} (${points(before.total, 'en')}).`,
      ].join('\n'),
    });
  }
  return out;
}

/** A unit's feed entries from its whole history (every complete period against the previous one of its kind). */
export function unitFeedEntries(history: readonly FeedScore[], ctx: FeedContext): FeedEntry[] {
  const byPeriod = new Map(history.map((s) => [s.period, s]));
  return newestFirst(history.flatMap((s) => entriesOf(s, byPeriod.get(previousPeriod(s.period) ?? ''), ctx)));
}

/**
 * The city feed's entries of one period: every unit's band crossing, and the city's own (`cityId`) score change,
 * from the period's scores and those of the previous period of its kind.
 */
export function cityFeedEntries(now: readonly FeedScore[], before: readonly FeedScore[] | undefined, cityId: string | null, ctx: FeedContext): FeedEntry[] {
  const previous = new Map((before ?? []).map((s) => [s.unitId, s]));
  return newestFirst(now.flatMap((s) => entriesOf(s, previous.get(s.unitId), ctx, s.unitId === cityId ? ['band', 'change'] : ['band'])));
}

/** The entries kept: those of `periods` replaced by `fresh`, newest first, at most `cap`. */
export function mergeFeedEntries(existing: readonly FeedEntry[], fresh: readonly FeedEntry[], periods: readonly string[], cap = 200): FeedEntry[] {
  const replaced = new Set(periods);
  return newestFirst([...existing.filter((e) => !replaced.has(e.period)), ...fresh]).slice(0, cap);
}

function newestFirst(entries: FeedEntry[]): FeedEntry[] {
  // by the end of the period (newest first), then a month before its quarter before its year, then by title
  const rank = (p: string) => (/-\d{2}$/.test(p) ? 0 : /-Q/.test(p) ? 1 : 2);
  return entries.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0) || rank(a.period) - rank(b.period) || a.title.localeCompare(b.title, 'vi') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// ------------------------------------------------------------------------------------------------- Atom
const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
  // characters XML 1.0 does not allow
  .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

export interface AtomFeed {
  /** `city` or `unit/<id>` (the feed's tag: id) */
  key: string;
  title: string;
  subtitle: string;
  /** the feed's own path (rel=self), e.g. /data/feeds/city.xml */
  self: string;
  /** the page it follows (rel=alternate), e.g. / or /units/<id> */
  alternate: string;
  entries: readonly FeedEntry[];
  /** when the feed has no entry: the instant it was made (Atom requires an updated) */
  emptyUpdated: string;
}

/** An Atom 1.0 document (RFC 4287), deterministic: the same entries give the same bytes. */
export function atomXml(feed: AtomFeed): string {
  const updated = feed.entries.reduce((max, e) => (e.updated > max ? e.updated : max), '') || feed.emptyUpdated;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
    `  <id>${escapeXml(`${TAG_AUTHORITY}feed/${feed.key}`)}</id>`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <subtitle>${escapeXml(feed.subtitle)}</subtitle>`,
    `  <updated>${updated}</updated>`,
    '  <author><name>Bản đồ thể chế</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(feed.alternate)}"/>`,
    ...feed.entries.flatMap((e) => [
      '  <entry>',
      `    <id>${escapeXml(e.id)}</id>`,
      `    <title>${escapeXml(e.title)}</title>`,
      `    <updated>${e.updated}</updated>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>`,
      `    <category term="${e.kind}"/>`,
      `    <summary type="text">${escapeXml(e.summary)}</summary>`,
      '  </entry>',
    ]),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------------- the two feeds
/** Where the feeds are, under data/ (the site links the city's: shell/index.html, the overview). */
export const CITY_FEED = 'feeds/city.xml';
/** The city feed's entries as JSON, read back by the next run (it adds the periods it publishes). */
export const CITY_FEED_ENTRIES = 'feeds/city.json';
export const unitFeedPath = (unitId: string) => `feeds/units/${encodeURIComponent(unitId)}.xml`;
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/** The context of a city: names from its units (every registry), bands from the method of each period. */
export function feedContext(units: readonly { id: string; name: LocalizedText }[], bandsOf: (period: string) => readonly BandDef[]): FeedContext {
  const byId = new Map(units.map((u) => [u.id, u.name]));
  return { nameOf: (id) => byId.get(id), bandsOf };
}

/** data/feeds/units/<unitId>.xml: the unit's score changes and band crossings, newest first (at most 100). */
export function unitFeedXml(unitId: string, history: readonly FeedScore[], ctx: FeedContext, asOf: string): string {
  const name = ctx.nameOf(unitId);
  return atomXml({
    key: `unit/${encodeURIComponent(unitId)}`,
    title: `${name?.vi ?? unitId} — Bản đồ thể chế`,
    subtitle: `Thay đổi điểm và xếp loại của ${name?.vi ?? unitId} theo từng kỳ đã kết thúc / Score changes and band crossings of ${name?.en ?? unitId}, complete periods`,
    self: `/data/${unitFeedPath(unitId)}`, alternate: `/units/${encodeURIComponent(unitId)}`,
    entries: unitFeedEntries(history, ctx).slice(0, 100), emptyUpdated: asOf,
  });
}

/** data/feeds/city.xml: every unit's band crossings and the city's score changes, newest first. */
export function cityFeedXml(entries: readonly FeedEntry[], city: LocalizedText | undefined, asOf: string): string {
  return atomXml({
    key: 'city',
    title: `${city?.vi ?? 'Thành phố'} — Bản đồ thể chế`,
    subtitle: `Đơn vị thay đổi xếp loại (ví dụ xuống dưới 80 điểm) và điểm của thành phố theo từng kỳ đã kết thúc / Units crossing a band (e.g. falling below 80 points) and the city's score, complete periods`,
    self: `/data/${CITY_FEED}`, alternate: '/', entries, emptyUpdated: asOf,
  });
}
