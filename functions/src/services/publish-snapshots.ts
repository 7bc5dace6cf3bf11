/**
 * The publisher: turns the stored scores of every queued period into the static snapshots the dashboards
 * read from the CDN (`data/...`), then `latest.json`. One run at a time (the `publishing` lease).
 *
 * It writes only what changed, in parallel: each snapshot is compared with the one it replaces (its body in
 * the bucket), and rewritten (and pinned) only when its figures differ, or when it is provisional and was
 * judged at a later instant (a final period's figures do not depend on when they were judged). It never
 * replaces a snapshot with one judged earlier. A unit's history is rebuilt only when one of its scores in a
 * queued period changed, and before the period's own snapshot: a run that stops in between finds the same
 * differences again on the next run. `latest.json` is written last, so a reader that follows it never finds
 * a period it announces missing.
 */
import { defaultPeriodOf, monthIdOf, monthIndexOf, parsePeriod, previousPeriod } from '../../../shared-types/src/periods.ts';
import { membersOf, structureIn, unitEntries, type Structure } from '../domain/structure/structure.ts';
import { methodFor, type City, type MethodSchedule } from '../commons/city.ts';
import { PINS_PREFIX, pinId, rankingsOf, type FeedbackFieldDef, type FeedbackView, type LatestSnapshot, type ScoresSnapshot, type UnitHistorySnapshot } from '../../../shared-types/src/snapshots.ts';
import { ScoresBeingWritten, type BlobStore, type PublishingStore, type PublishItem } from '../store/ports.ts';
import { inParallel } from '../commons/parallel.ts';
import { scoresCsv } from './score-csv.ts';
import { feedbackCsv, mergeFeedback } from './feedback-snapshot.ts';
import { DEFAULT_LEASE_TTL_MS, LEASES, withLease, type LeaseOptions } from './lease.ts';
import { CURRENT_PAGES, cardFacts, sharePageHtml, sharePagePath, SOCIAL_LOCALES } from './social/share.ts';
import { ATOM_TYPE, CITY_FEED, CITY_FEED_ENTRIES, cityFeedEntries, cityFeedXml, feedContext, mergeFeedEntries, unitFeedPath, unitFeedXml, type FeedEntry } from './feeds.ts';

export interface PublishConfig {
  /** the city's registries over time */
  structure: Structure;
  methods: MethodSchedule;
  /** what the site shows of the city itself (units.json) */
  city?: Pick<City, 'name' | 'timeZone' | 'peerGroups'>;
  fields: FeedbackFieldDef[];
  now: () => number;
  /** The `publishing` lease (default: DEFAULT_LEASE_TTL_MS on the wall clock). */
  lease?: LeaseOptions;
  /** The site's address for the social previews' absolute URLs (config.ts `siteUrl`); empty: relative. */
  siteUrl?: string;
}

export interface PublishResult {
  /** the queued periods handled (published, or found unchanged) */
  periods: string[];
  /** paths written under data/, pinned copies not counted */
  written: string[];
  skipped?: 'held elsewhere' | 'lost';
}

/** Snapshots change under a stable URL: caches may serve them a minute, then must revalidate. */
export const snapshotCache = 'public, max-age=60, stale-while-revalidate=300';
/** Pinned copies never change: an article's embed shows what it showed the day it was written. */
const pinnedCache = 'public, max-age=31536000, immutable';
const jsonType = 'application/json; charset=utf-8';
const csvType = 'text/csv; charset=utf-8';
const htmlType = 'text/html; charset=utf-8';
/** Periods and unit histories prepared and written at once. */
const PERIODS_IN_FLIGHT = 4;
const HISTORIES_IN_FLIGHT = 16;

/** The figures of a snapshot: everything but when it was judged. */
const figuresOf = (body: unknown) => JSON.stringify(body, (key, value) => (key === 'asOf' ? undefined : value));

type Verdict = 'write' | 'unchanged' | 'older';

/** What one run does with one queued period. */
interface PeriodPlan {
  item: PublishItem;
  /** false: its scores were being rewritten; it stays queued */
  ready: boolean;
  snapshot?: ScoresSnapshot;
  scores?: Verdict;
  /** units whose score in this period differs from the published one: their histories are rebuilt */
  changedUnits: string[];
  /** the units of the snapshot it replaces (none: the period's first publish) */
  previousUnits?: Set<string>;
  feedback?: FeedbackView;
  feedbackVerdict?: Verdict;
}

/** Whether `next` replaces the published `previous`: never by an older one; a provisional one also when judged later. */
function compare(previous: { asOf: string | null } | undefined, next: { asOf: string | null }, provisional: boolean): Verdict {
  if (!previous) return 'write';
  if (previous.asOf && next.asOf && Date.parse(next.asOf) < Date.parse(previous.asOf)) return 'older';
  if (figuresOf(previous) !== figuresOf(next)) return 'write';
  return provisional && previous.asOf !== next.asOf ? 'write' : 'unchanged';
}

/** Periods in the order of their ids (2024, 2024-01, …, 2024-12, 2024-Q1, …), as histories and latest.json list them. */
const byPeriodId = (a: { period: string }, b: { period: string }) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);

/** Units whose score differs between two snapshots of one period (all of them when there is no previous one). */
function unitsChanged(previous: ScoresSnapshot | undefined, next: ScoresSnapshot): string[] {
  const before = new Map((previous?.scores ?? []).map((score) => [score.unitId, figuresOf(score)]));
  return next.scores.filter((score) => before.get(score.unitId) !== figuresOf(score)).map((score) => score.unitId);
}

export async function publishSnapshots(deps: { state: PublishingStore; blobs: BlobStore }, config: PublishConfig): Promise<PublishResult> {
  const run = await withLease(deps.state, LEASES.publishing, config.lease ?? { ttlMs: DEFAULT_LEASE_TTL_MS }, () => publishQueued(deps, config));
  return run.ran ? run.result : { periods: [], written: [], skipped: run.why };
}

async function publishQueued(deps: { state: PublishingStore; blobs: BlobStore }, config: PublishConfig): Promise<PublishResult> {
  const queue = await deps.state.listPublishQueue();
  if (queue.length === 0) return { periods: [], written: [] };
  const asOf = new Date(config.now()).toISOString();
  const written: string[] = [];
  const readJson = async <T>(path: string) => {
    const body = await deps.blobs.get(`data/${path}`);
    return body === undefined ? undefined : (JSON.parse(body) as T);
  };
  const put = async (path: string, body: string, contentType = jsonType) => {
    await deps.blobs.put(`data/${path}`, body, { contentType, cacheControl: snapshotCache });
    written.push(path);
  };
  /** Writes the live snapshot after its immutable copy under `data/pins/<pin of its asOf>/`. */
  const putPinned = async (path: string, snapshotAsOf: string, body: string) => {
    await deps.blobs.put(`${PINS_PREFIX}${pinId(snapshotAsOf)}/${path}`, body, { contentType: jsonType, cacheControl: pinnedCache });
    await put(path, body);
  };
  /** Writes a registry-wide file when its figures changed. */
  const putIfChanged = async (path: string, body: object) => {
    const previous = await readJson(path);
    if (previous === undefined || figuresOf(previous) !== figuresOf(body)) await put(path, JSON.stringify(body));
  };

  const currentMethod = methodFor(config.methods, monthIdOf(monthIndexOf(config.now())));
  await Promise.all([
    // every unit of every registry, with its dates, predecessors and successors: the site shows those of the period chosen
    putIfChanged('units.json', { asOf, ...(config.city ? { city: { name: config.city.name, timeZone: config.city.timeZone, peerGroups: config.city.peerGroups } } : {}), units: unitEntries(config.structure) }),
    putIfChanged('method.json', currentMethod),
    putIfChanged('fields.json', { asOf, fields: config.fields }),
  ]);

  const heads = (await deps.state.listScoredPeriods()).sort(byPeriodId);
  const periods = heads.map((head) => head.period);

  // Each queued period: its scores and 1022 view, and what to write of them.
  const plans = await inParallel(queue, PERIODS_IN_FLIGHT, async (item): Promise<PeriodPlan> => {
    let snapshot: ScoresSnapshot | undefined;
    try {
      snapshot = await deps.state.getPeriodScores(item.period);
    } catch (error) {
      if (error instanceof ScoresBeingWritten) return { item, ready: false, changedUnits: [] }; // stays queued for the next run
      throw error;
    }
    if (!snapshot) return { item, ready: true, changedUnits: [] };
    const previous = await readJson<ScoresSnapshot>(`scores/${item.period}.json`);
    const scores = compare(previous, snapshot, snapshot.provisional);
    const counts = await deps.state.listPeriodCounts(item.period);
    const perUnit = new Map([...counts].map(([unitId, unitCounts]) => [unitId, unitCounts.feedback]));
    const { start, end } = parsePeriod(item.period);
    const members = membersOf(structureIn(config.structure, start, Math.min(end, Date.parse(snapshot.asOf))), null, config.structure);
    const feedback = mergeFeedback({ members, fields: config.fields, period: item.period, asOf: snapshot.asOf, perUnit });
    const feedbackVerdict = compare(await readJson<FeedbackView>(`feedback/${item.period}.json`), feedback, snapshot.provisional);
    const previousUnits = previous ? new Set(previous.scores.map((score) => score.unitId)) : undefined;
    return { item, ready: true, snapshot, scores, changedUnits: scores === 'write' ? unitsChanged(previous, snapshot) : [], previousUnits, feedback, feedbackVerdict };
  });

  const feeds = feedContext(unitEntries(config.structure), (period) => methodFor(config.methods, period).bands);
  // Histories first: one file per unit with every period; only for units whose score moved in a queued period.
  const historyUnits = [...new Set(plans.flatMap((plan) => plan.changedUnits))];
  await inParallel(historyUnits, HISTORIES_IN_FLIGHT, async (unitId) => {
    const history = (await deps.state.getUnitScores(unitId, periods)).sort(byPeriodId);
    const previous = await readJson<UnitHistorySnapshot>(`units/${unitId}.json`);
    if (previous && figuresOf(previous.history) === figuresOf(history)) return;
    await putPinned(`units/${unitId}.json`, asOf, JSON.stringify({ unitId, method: currentMethod.id, asOf, history } satisfies UnitHistorySnapshot));
    await put(unitFeedPath(unitId), unitFeedXml(unitId, history, feeds, asOf), ATOM_TYPE); // its Atom feed (feeds.ts)
  });

  await inParallel(plans, PERIODS_IN_FLIGHT, async ({ snapshot, scores, feedback, feedbackVerdict }) => {
    if (snapshot && scores === 'write') {
      await putPinned(`scores/${snapshot.period}.json`, snapshot.asOf, JSON.stringify(snapshot));
      // A compact ranking (≈ 4 KB gzipped for a city, the full scores ≈ 50 KB): what a ranking embed and the overview read.
      await putPinned(`rankings/${snapshot.period}.json`, snapshot.asOf, JSON.stringify(rankingsOf(snapshot)));
      await put(`scores/${snapshot.period}.csv`, scoresCsv(snapshot, config.structure, methodFor(config.methods, snapshot.period)), csvType);
    }
    if (feedback && feedbackVerdict === 'write') {
      await put(`feedback/${feedback.period}.json`, JSON.stringify(feedback));
      await put(`feedback/${feedback.period}.csv`, feedbackCsv(feedback, config.structure), csvType);
    }
  });

  const provisionalPeriods = heads.filter((head) => head.provisional).map((head) => head.period);
  const defaultPeriod = defaultPeriodOf(periods, provisionalPeriods) ?? '';
  await writeSharePages(plans, periods, defaultPeriod, { readJson, put }, config, asOf);

  // The city's Atom feed (feeds.ts): the complete periods written now, and those that follow them (compared with them),
  // each against the previous period of its kind
  const finalNow = plans.flatMap((plan) => (plan.snapshot && plan.scores === 'write' && !plan.snapshot.provisional ? [plan.snapshot] : []));
  const following = periods.filter((id) => !finalNow.some((s) => s.period === id) && finalNow.some((s) => s.period === previousPeriod(id)));
  const finals = [...finalNow, ...(await Promise.all(following.map((id) => readJson<ScoresSnapshot>(`scores/${id}.json`)))).filter((s) => s && !s.provisional) as ScoresSnapshot[]];
  if (finals.length > 0) {
    const cityId = config.structure.units.find((unit) => unit.parentId === null)?.id ?? null;
    const fresh = await Promise.all(finals.map(async (snapshot) => cityFeedEntries(snapshot.scores, (await readJson<ScoresSnapshot>(`scores/${previousPeriod(snapshot.period)}.json`))?.scores, cityId, feeds)));
    const entries = mergeFeedEntries((await readJson<FeedEntry[]>(CITY_FEED_ENTRIES)) ?? [], fresh.flat(), finals.map((snapshot) => snapshot.period));
    await put(CITY_FEED_ENTRIES, JSON.stringify(entries));
    await put(CITY_FEED, cityFeedXml(entries, config.city?.name, asOf), ATOM_TYPE);
  }

  const months = periods.filter((period) => /^\d{4}-\d{2}$/.test(period));
  const done = plans.filter((plan) => plan.ready);
  const changed = done.filter((plan) => plan.scores === 'write' || plan.feedbackVerdict === 'write').map((plan) => plan.item.period).sort();
  // Provisional as stored: a period is final once its scores were taken at or after its end.
  const latest: LatestSnapshot = { asOf, method: currentMethod.id, periods, latestPeriod: months.at(-1) ?? '', changed, defaultPeriod, provisionalPeriods };
  const previousLatest = await readJson<LatestSnapshot>('latest.json');
  if (written.length > 0 || !previousLatest || figuresOf({ ...previousLatest, changed: [] }) !== figuresOf({ ...latest, changed: [] })) {
    await put('latest.json', JSON.stringify(latest));
  }
  for (const plan of done) await deps.state.clearPublish(plan.item);
  await deps.state.putMeta('publish', { lastPublishedAt: asOf });
  return { periods: done.map((plan) => plan.item.period), written };
}

/**
 * Social previews (social/share.ts): the page a link-preview robot gets for a unit's view in a period, per language.
 * Which pages: on a period's first publish, every unit's; when a complete period's figures change, its changed
 * units', and theirs in the period that follows it (their change since it moved); for an ongoing period only its new
 * units': its page names no figure (the image it names is drawn when fetched), so it is not rewritten as they move.
 * The pages of the period the site opens on are also written as `current` (a link without a period). That period
 * moves when a month ends, and then its every page is written (each score's `provisional` changed).
 */
async function writeSharePages(
  plans: readonly PeriodPlan[], periods: readonly string[], openingPeriod: string,
  io: { readJson: <T>(path: string) => Promise<T | undefined>; put: (path: string, body: string, contentType: string) => Promise<void> },
  config: PublishConfig, asOf: string,
): Promise<void> {
  const due = new Map<string, { snapshot?: ScoresSnapshot; units: Set<string> }>();
  const add = (period: string, snapshot: ScoresSnapshot | undefined, units: Iterable<string>) => {
    const entry = due.get(period) ?? { units: new Set<string>() };
    if (snapshot) entry.snapshot = snapshot;
    for (const id of units) entry.units.add(id);
    due.set(period, entry);
  };
  for (const { snapshot, scores, changedUnits, previousUnits } of plans) {
    if (!snapshot || scores !== 'write') continue;
    add(snapshot.period, snapshot, !previousUnits ? snapshot.scores.map((score) => score.unitId)
      : snapshot.provisional ? changedUnits.filter((id) => !previousUnits.has(id))
      : changedUnits);
    if (!snapshot.provisional) for (const next of periods.filter((id) => previousPeriod(id) === snapshot.period)) add(next, undefined, changedUnits);
  }
  const units = { asOf, city: config.city ? { name: config.city.name, timeZone: config.city.timeZone, peerGroups: config.city.peerGroups } : undefined, units: unitEntries(config.structure) };
  const cityId = config.structure.units.find((unit) => unit.parentId === null)?.id ?? null;
  const siteUrl = config.siteUrl ?? '';
  await inParallel([...due], PERIODS_IN_FLIGHT, async ([period, entry]) => {
    const snapshot = entry.snapshot ?? (await io.readJson<ScoresSnapshot>(`scores/${period}.json`));
    if (!snapshot || entry.units.size === 0) return;
    const before = new Map(((await io.readJson<ScoresSnapshot>(`scores/${previousPeriod(period)}.json`))?.scores ?? []).map((score) => [score.unitId, score]));
    const now = new Map(snapshot.scores.map((score) => [score.unitId, score]));
    const method = methodFor(config.methods, period);
    await inParallel([...entry.units], HISTORIES_IN_FLIGHT, async (unitId) => {
      const facts = cardFacts({ unitId, period, units, now: now.get(unitId), before: before.get(unitId), scores: snapshot, method });
      if (!facts) return;
      const keys = period === openingPeriod ? [period, CURRENT_PAGES] : [period];
      for (const locale of SOCIAL_LOCALES) {
        const page = sharePageHtml(facts, locale, { siteUrl, viewUnitId: unitId });
        const cityPage = unitId === cityId ? sharePageHtml(facts, locale, { siteUrl, viewUnitId: null }) : undefined;
        for (const key of keys) {
          await io.put(sharePagePath(key, unitId, locale), page, htmlType);
          if (cityPage) await io.put(sharePagePath(key, null, locale), cityPage, htmlType);
        }
      }
    });
  });
}
