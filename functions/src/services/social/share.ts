/**
 * Social previews (issue 19): what a link to a unit's view in a period shows when pasted into Facebook, Zalo, X,
 * Slack…: a title, a description and a 1200×630 image of the unit's score card. Link-preview robots do not run the
 * site's scripts, so the site's CDN (and the local stack) answers them with a small static page per unit, period and
 * language (`sharePagePath`, written by the publisher); the image it names is drawn on demand by the card function
 * (`card.ts`, `GET /api/v1/units/{id}/card.png`), from the same published snapshots the site reads.
 *
 * Pure: the facts of a card from the snapshots, their words, and the page.
 */
import type { MethodTable } from '../../../../shared-types/src/method.ts';
import type { LocalizedText } from '../../../../shared-types/src/records.ts';
import type { RankingsSnapshot, UnitEntry, UnitsSnapshot } from '../../../../shared-types/src/snapshots.ts';
import type { UnitScore } from '../../../../shared-types/src/scores.ts';
import { periodText, points, scoreChange, signed, type Locale } from '../wording.ts';

export const SOCIAL_LOCALES: readonly Locale[] = ['vi', 'en'];
export const CARD_SIZE = { width: 1200, height: 630 } as const;
const SITE_NAME: LocalizedText = { vi: 'Bản đồ thể chế', en: 'Institutional Transparency Map' };

/** Everything a card and its page say of one unit in one period. */
export interface CardFacts {
  unitId: string;
  period: string;
  name: LocalizedText;
  /** what tells the unit apart from another of the same name: its parent, else its official code */
  context: LocalizedText | null;
  city: LocalizedText | null;
  /** the peer group it is ranked in (its label) */
  peerGroup: LocalizedText | null;
  provisional: boolean;
  /** when the figures were judged (ISO) */
  asOf: string;
  /** the city's time zone, for asOf in words */
  timeZone: string;
  /** null: no score in the period */
  score: {
    total: number;
    band: { code: string; label: LocalizedText };
    rank: number | null;
    /** units ranked in its peer group */
    peers: number;
    /** since the previous period of the same kind (as shown: one decimal), null without one */
    change: { delta: number; period: string } | null;
    groups: { key: string; name: LocalizedText; points: number; max: number }[];
    retired: boolean;
  } | null;
}

export interface CardSources {
  unitId: string;
  period: string;
  units: Pick<UnitsSnapshot, 'asOf' | 'city' | 'units'>;
  /** the unit's score in the period and in the previous period of its kind, if any */
  now: UnitScore | undefined;
  before: UnitScore | undefined;
  /** the period's scores or ranking (for the size of the peer group, and the period's asOf without a score) */
  scores: Pick<RankingsSnapshot, 'asOf' | 'provisional'> & { scores: readonly Pick<UnitScore, 'peerGroup' | 'retired'>[] };
  method: MethodTable;
}

/** The facts of a card, or null when the unit is unknown. */
export function cardFacts(src: CardSources): CardFacts | null {
  const unit = src.units.units.find((u) => u.id === src.unitId);
  if (!unit) return null;
  const byId = new Map(src.units.units.map((u) => [u.id, u]));
  const { now, before } = src;
  const peerGroup = now?.peerGroup ?? unit.peerGroup;
  const band = now ? src.method.bands.find((b) => b.code === now.band) : undefined;
  const delta = now && before ? scoreChange(now.total, before.total) : null;
  return {
    unitId: unit.id,
    period: src.period,
    name: unit.name,
    context: contextOf(unit, byId),
    city: src.units.city?.name ?? null,
    peerGroup: src.units.city?.peerGroups.find((g) => g.id === peerGroup)?.name ?? null,
    provisional: now?.provisional ?? src.scores.provisional,
    asOf: now?.asOf ?? src.scores.asOf,
    timeZone: src.units.city?.timeZone ?? 'UTC',
    score: now && band
      ? {
        total: now.total,
        band: { code: band.code, label: band.label },
        rank: now.rank,
        peers: src.scores.scores.filter((s) => s.peerGroup === peerGroup && !s.retired).length,
        change: delta === null || !before ? null : { delta, period: before.period },
        groups: src.method.groups.map((g) => ({ key: g.key, name: g.name, points: now.groups[g.key]?.points ?? 0, max: now.groups[g.key]?.max ?? g.max })),
        retired: now.retired === true,
      }
      : null,
  };
}

/** The parent's name when the parent is not the city itself (the card names the city already); else the official code. */
function contextOf(unit: UnitEntry, byId: Map<string, UnitEntry>): LocalizedText | null {
  const parent = unit.parentId ? byId.get(unit.parentId) : undefined;
  if (parent && parent.parentId !== null) return parent.name;
  return unit.code ? { vi: `Mã ${unit.code}`, en: `Code ${unit.code}` } : null;
}

/** `14:05 6/12/2026` in the city's time. */
export function asOfText(iso: string, timeZone: string, locale: Locale): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  );
  const date = `${Number(parts.day)}/${Number(parts.month)}/${parts.year}`;
  return locale === 'vi' ? `${parts.hour}:${parts.minute} ngày ${date}` : `${parts.hour}:${parts.minute}, ${date}`;
}

/** The words of a card and its page, in one language. */
export function cardWords(f: CardFacts, locale: Locale) {
  const vi = locale === 'vi';
  const name = f.name[locale];
  const period = periodText(f.period, locale);
  const Period = period.charAt(0).toUpperCase() + period.slice(1);
  const s = f.score;
  const provisional = f.provisional
    ? (vi ? `Tạm tính: kỳ chưa kết thúc, số liệu đến ${asOfText(f.asOf, f.timeZone, locale)}` : `Provisional: the period is ongoing, figures as of ${asOfText(f.asOf, f.timeZone, locale)}`)
    : null;
  const rank = s && s.rank !== null ? (vi ? `Hạng ${s.rank}/${s.peers}` : `Rank ${s.rank} of ${s.peers}`) : null;
  const change = s?.change
    ? (s.change.delta === 0
      ? (vi ? `Không đổi so với ${periodText(s.change.period, locale)}` : `Unchanged since ${periodText(s.change.period, locale)}`)
      : `${signed(s.change.delta, locale)} ${vi ? 'so với' : 'since'} ${periodText(s.change.period, locale)}`)
    : null;
  const scoreLine = s
    ? `${points(s.total, locale)} ${vi ? 'điểm' : 'points'}, ${vi ? 'xếp loại' : 'band'} ${s.band.label[locale]}${rank ? ` · ${rank}${f.peerGroup ? ` ${f.peerGroup[locale].toLowerCase()}` : ''}` : ''}${change ? ` · ${change}` : ''}`
    : (vi ? 'Chưa có điểm trong kỳ này' : 'No score in this period');
  const title = `${name}${f.context ? ` (${f.context[locale]})` : ''} — ${period}${f.provisional ? (vi ? ' (tạm tính)' : ' (provisional)') : ''}`;
  const index = vi ? 'Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)' : 'Service index for citizens and businesses (Decision 766/QĐ-TTg)';
  return {
    site: `${SITE_NAME[locale]}${f.city ? ` · ${f.city[locale]}` : ''}`,
    name, context: f.context?.[locale] ?? null, period: Period, peerGroup: f.peerGroup?.[locale] ?? null,
    total: s ? points(s.total, locale) : null, band: s?.band.label[locale] ?? null, rank, change,
    groups: (s?.groups ?? []).map((g) => ({ key: g.key, name: g.name[locale], points: points(g.points, locale, 1), max: points(g.max, locale, 0), ratio: g.max > 0 ? Math.min(1, Math.max(0, g.points / g.max)) : 0 })),
    noScore: s ? null : (vi ? 'Chưa có điểm trong kỳ này' : 'No score in this period'),
    retired: s?.retired ? (vi ? 'Đã thôi hoạt động trong kỳ: không xếp hạng' : 'Ceased during the period: not ranked') : null,
    provisional, index,
    title,
    description: `${scoreLine}.${provisional ? ` ${provisional}.` : ''} ${index}.`,
    /** a page written once for an ongoing period: no figure in it goes stale (its image is drawn when fetched) */
    ongoing: vi
      ? `Điểm, xếp loại và xếp hạng tạm tính của ${name} trong ${period}: kỳ chưa kết thúc, số liệu còn thay đổi. ${index}.`
      : `Provisional score, band and rank of ${name} in ${period}: the period is ongoing, the figures still change. ${index}.`,
    alt: `${title}: ${scoreLine}`,
  };
}

// ------------------------------------------------------------------------------------------------- the page
/** The pages of the period the site opens on, for a link without a period (`previewPageOf`'s 'current'). */
export const CURRENT_PAGES = 'current';

/** Where the page of a unit (or the city, `unitId` null) in a period (or CURRENT_PAGES) is, under data/. */
export function sharePagePath(period: string, unitId: string | null, locale: Locale): string {
  return `share/${period}/${unitId === null ? 'city' : `units/${encodeURIComponent(unitId)}`}.${locale}.html`;
}

/** The view a page stands for: the profile of the unit (the overview for the city) in the period and language. */
export function viewPath(period: string, unitId: string | null, locale: Locale): string {
  const query = `?period=${period}${locale === 'vi' ? '' : `&lang=${locale}`}`;
  return unitId === null ? `/${query}` : `/units/${encodeURIComponent(unitId)}${query}`;
}

/** A short hash of what a card says (FNV-1a): its image's URL changes with it, as robots keep images by URL. */
export function cardVersion(f: CardFacts): string {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(f)) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The card image of a unit in a period, at a version (cardVersion). */
export function cardPath(period: string, unitId: string, locale: Locale, version: string): string {
  return `/api/v1/units/${encodeURIComponent(unitId)}/card.png?period=${period}&lang=${locale}&v=${encodeURIComponent(version)}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The page a link-preview robot is given for a view: Open Graph and Twitter tags naming the card, the view as its
 * canonical address, and a link (and an instant refresh) to the view for a person who opens it.
 * `siteUrl` makes the addresses absolute, as Open Graph asks (empty: relative to the host).
 */
export function sharePageHtml(f: CardFacts, locale: Locale, opts: { siteUrl: string; viewUnitId: string | null }): string {
  const w = cardWords(f, locale);
  const description = f.provisional ? w.ongoing : w.description;
  const alt = f.provisional ? w.title : w.alt;
  const view = opts.siteUrl + viewPath(f.period, opts.viewUnitId, locale);
  const image = opts.siteUrl + cardPath(f.period, f.unitId, locale, cardVersion(f));
  const meta = (attr: 'property' | 'name', key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`;
  return [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${w.title} · ${SITE_NAME[locale]}`)}</title>`,
    meta('name', 'description', description),
    `<link rel="canonical" href="${escapeHtml(view)}">`,
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', SITE_NAME[locale]),
    meta('property', 'og:locale', locale === 'vi' ? 'vi_VN' : 'en_GB'),
    meta('property', 'og:title', w.title),
    meta('property', 'og:description', description),
    meta('property', 'og:url', view),
    meta('property', 'og:image', image),
    meta('property', 'og:image:type', 'image/png'),
    meta('property', 'og:image:width', String(CARD_SIZE.width)),
    meta('property', 'og:image:height', String(CARD_SIZE.height)),
    meta('property', 'og:image:alt', alt),
    meta('name', 'twitter:card', 'summary_large_image'),
    meta('name', 'twitter:title', w.title),
    meta('name', 'twitter:description', description),
    meta('name', 'twitter:image', image),
    meta('name', 'twitter:image:alt', alt),
    `<meta http-equiv="refresh" content="0; url=${escapeHtml(view)}">`,
    '</head>',
    '<body>',
    `<p><a href="${escapeHtml(view)}">${escapeHtml(w.title)}</a></p>`,
    `<p>${escapeHtml(description)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------- who gets the page
/**
 * The social preview page a request for a view is answered with, or null for the view itself: only for a
 * link-preview robot (they do not run scripts; search engines do, and get the site), only for the overview or a
 * unit's profile; a link without a period gets the page of the period the site opens on (CURRENT_PAGES, written out
 * here: this function may name nothing from outside).
 *
 * The CDN runs this very function (infra/lib/security-headers.ts puts its source into a CloudFront Function), so it
 * is written self-contained, in the JavaScript CloudFront runs: no imports, no names from outside.
 * The page's key holds the unit id %-escaped (sharePagePath); the bucket and the local stack decode the request
 * path once, so the path asked is escaped twice.
 */
export function previewPageOf(uri: string, query: { period?: string; lang?: string }, userAgent: string): string | null {
  const robots = /facebookexternalhit|facebookcatalog|meta-externalagent|Twitterbot|Slackbot|LinkedInBot|Discordbot|TelegramBot|WhatsApp|Zalo|SkypeUriPreview|Pinterest|redditbot|Embedly|Iframely|vkShare|Mastodon|Bluesky/i;
  if (!robots.test(userAgent || '')) return null;
  const period = query.period || 'current';
  if (period !== 'current' && !/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(period)) return null;
  const lang = query.lang === 'en' ? 'en' : 'vi';
  if (uri === '/' || uri === '/index.html') return '/data/share/' + period + '/city.' + lang + '.html';
  const match = /^\/units\/([^/]+)\/?$/.exec(uri);
  if (!match) return null;
  let id;
  try {
    id = decodeURIComponent(match[1]);
  } catch (e) {
    return null;
  }
  return '/data/share/' + period + '/units/' + encodeURIComponent(encodeURIComponent(id)) + '.' + lang + '.html';
}
