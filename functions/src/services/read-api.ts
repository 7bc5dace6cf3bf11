/**
 * GET /api/v1/*: the registry, scores (JSON or CSV), histories, the method, the 1022 view, status,
 * and the OpenAPI document. Bad parameters get a 400 naming the parameter; unknown things a 404.
 */
import { HttpError, json, text, type ApiRequest, type RoutesOf } from '../commons/http.ts';
import { isPeriod, monthIdOf, monthIndexOf, monthIndexStart, parsePeriod, periodsBetween, type PeriodRange } from '../../../shared-types/src/periods.ts';
import { membersOf, structureIn, unitEntries, unitsAt, type Structure } from '../domain/structure/structure.ts';
import { methodFor, type MethodSchedule } from '../commons/city.ts';
import { ScoresBeingWritten, type BlobStore, type ReadStore } from '../store/ports.ts';
import type { FeedbackFieldDef, FeedbackView, ScoresSnapshot, StatusResponse } from '../../../shared-types/src/snapshots.ts';
import { scoresCsv } from './score-csv.ts';
import { feedbackCsv, mergeFeedback } from './feedback-snapshot.ts';
import { openApiDocument } from './openapi.ts';

export interface ReadConfig {
  /** the city's registries over time */
  structure: Structure;
  methods: MethodSchedule;
  fields: FeedbackFieldDef[];
  /** First month scored, e.g. `2023-01`. */
  firstMonth: string;
  now: () => number;
}

/** API replies are computed on request; let a CDN keep them briefly (CloudFront caches them by query string). */
const apiCache = { 'cache-control': 'public, max-age=30' };
/** Status is live, but a CDN may absorb a crowd polling it. */
const statusCache = { 'cache-control': 'public, max-age=5' };
/** The widest history one request may ask for: 60 months, 20 quarters, 5 years = at most 85 scores, one BatchGetItem. */
export const MAX_HISTORY_MONTHS = 60;

/**
 * The read API's routes. Every route reads what its answer holds and no more (no whole partition for an anonymous
 * caller): a period's scores (one Query of that period), one unit's scores (its keys), a subtree's 1022 figures
 * (its keys), the city's 1022 view (the published snapshot).
 */
export function readRoutes(deps: { state: ReadStore; blobs: Pick<BlobStore, 'get'> }, config: ReadConfig): RoutesOf<'read-api'> {
  const unitsById = config.structure.byId;
  const unit = (id: string) => {
    const found = unitsById.get(id);
    if (!found) throw new HttpError(404, 'not_found', `Unknown unit "${id}".`);
    return found;
  };
  const noScores = (id: string) => new HttpError(404, 'not_found', `No scores for period "${id}" yet.`);
  const headOf = async (id: string) => (await deps.state.getPeriodHead(id)) ?? Promise.reject(noScores(id));
  const scoresOf = async (id: string) => {
    try {
      return (await deps.state.getPeriodScores(id)) ?? Promise.reject(noScores(id));
    } catch (error) {
      if (error instanceof ScoresBeingWritten) throw new HttpError(503, 'unavailable', error.message);
      throw error;
    }
  };
  /** `period`, or without it the default period (the last complete month), as a bare download of the site opens. */
  const periodOrDefault = async (query: ApiRequest['query']) => {
    if (query.period) return checkedPeriod('period', query.period);
    const lastComplete = monthIdOf(monthIndexOf(config.now()) - 1);
    const fallback = (await deps.state.lastScoredMonth(lastComplete)) ?? (await deps.state.lastScoredMonth());
    if (!fallback) throw new HttpError(404, 'not_found', 'No period has been scored yet.');
    return fallback;
  };

  return {
    async status() {
      const [pending, scoring] = await Promise.all([deps.state.countPending(), deps.state.getMeta('scoring')]);
      const awaitingProcedure = (scoring?.awaitingProcedure as number | undefined) ?? 0;
      return json(200, { pending, lastScoredAt: (scoring?.lastScoredAt as string | undefined) ?? null, awaitingProcedure } satisfies StatusResponse, statusCache);
    },

    async units({ query }) {
      // the units of a period (with those that ceased during it marked retired), or those in force now
      const nowMs = config.now();
      if (!query.period) return json(200, { period: null, units: unitEntries(config.structure, unitsAt(config.structure, nowMs)) }, apiCache);
      const wanted = period(query);
      const { start, end } = parsePeriod(wanted);
      const of = structureIn(config.structure, start, Math.min(end, nowMs)); // the period as judged now
      return json(200, { period: wanted, units: unitEntries(config.structure, of.units, of.retired) }, apiCache);
    },

    async method({ query }) {
      return json(200, methodFor(config.methods, query.period ? period(query) : monthIdOf(monthIndexOf(config.now()))), apiCache);
    },

    async openapi() {
      return json(200, openApiDocument, apiCache);
    },

    async scores({ query }) {
      const wanted = await periodOrDefault(query);
      const asCsv = format(query) === 'csv';
      const wantedUnit = query.unit ? unit(query.unit).id : undefined;
      const peerGroup = query.peerGroup;
      let body: ScoresSnapshot;
      if (wantedUnit) {
        // One unit: its own item and the period's head, whatever the size of the city.
        const [head, scores] = await Promise.all([headOf(wanted), deps.state.getUnitScores(wantedUnit, [wanted])]);
        body = { period: wanted, method: head.method, asOf: head.asOf, provisional: head.provisional, scores: scores.filter((score) => !peerGroup || score.peerGroup === peerGroup) };
      } else {
        const snapshot = await scoresOf(wanted);
        body = { ...snapshot, scores: snapshot.scores.filter((score) => !peerGroup || score.peerGroup === peerGroup) };
      }
      if (asCsv) return text(200, scoresCsv(body, config.structure, methodFor(config.methods, wanted)), 'text/csv; charset=utf-8', apiCache);
      return json(200, body, apiCache);
    },

    async unitScores({ params, query }) {
      const unitId = unit(decodeURIComponent(params.id ?? '')).id;
      const periods = historyPeriods(query.from ? period(query, 'from') : undefined, query.to ? period(query, 'to') : undefined, config);
      const ranges = new Map(periods.map((p) => [p.id, p]));
      const scores = (await deps.state.getUnitScores(unitId, [...ranges.keys()])).sort(
        (a, b) => ranges.get(a.period)!.start - ranges.get(b.period)!.start || ranges.get(b.period)!.end - ranges.get(a.period)!.end,
      );
      return json(200, { unitId, method: methodFor(config.methods, monthIdOf(monthIndexOf(config.now()))).id, scores }, apiCache);
    },

    async feedback({ query }) {
      const wanted = await periodOrDefault(query);
      const scope = query.unit ? unit(query.unit) : null;
      const asCsv = format(query) === 'csv';
      if (!scope || scope.parentId === null) {
        // The whole city: the view the publisher wrote, one object read, whatever the number of units.
        const published = await deps.blobs.get(`data/feedback/${wanted}.${asCsv ? 'csv' : 'json'}`);
        if (published === undefined) throw new HttpError(404, 'not_found', `No 1022 view for period "${wanted}" yet.`);
        if (asCsv) return text(200, published, 'text/csv; charset=utf-8', apiCache);
        return json(200, { ...(JSON.parse(published) as FeedbackView), unitId: scope?.id ?? null }, apiCache);
      }
      // A district or a unit: the own figures of its subtree's units, read by key.
      const head = await headOf(wanted);
      const { start, end } = parsePeriod(wanted);
      const inPeriod = structureIn(config.structure, start, Math.min(end, head.asOf ? Date.parse(head.asOf) : end));
      if (!inPeriod.byId.has(scope.id)) throw new HttpError(404, 'not_found', `Unit "${scope.id}" is not in force in ${wanted}.`);
      const members = membersOf(inPeriod, scope.id);
      const counts = await deps.state.getPeriodCountsOf(wanted, [...members]);
      const perUnit = new Map([...counts].map(([id, unitCounts]) => [id, unitCounts.feedback]));
      const view = mergeFeedback({ members, fields: config.fields, period: wanted, asOf: head.asOf, perUnit, unitId: scope.id });
      return asCsv ? text(200, feedbackCsv(view, config.structure), 'text/csv; charset=utf-8', apiCache) : json(200, view, apiCache);
    },
  };
}

/** The query parameter `name`, a period; a 400 naming it when it is missing or malformed. */
export function period(query: ApiRequest['query'], name = 'period'): string {
  const value = query[name];
  if (!value) throw new HttpError(400, 'bad_request', `Query parameter "${name}" is required (YYYY, YYYY-Qn or YYYY-MM).`);
  return checkedPeriod(name, value);
}

function checkedPeriod(name: string, value: string): string {
  if (!isPeriod(value)) throw new HttpError(400, 'bad_request', `Query parameter "${name}" must be a period YYYY, YYYY-Qn or YYYY-MM; got "${value}".`);
  return value;
}

function format(query: ApiRequest['query']): 'json' | 'csv' {
  const value = query.format ?? 'json';
  if (value !== 'json' && value !== 'csv') throw new HttpError(400, 'bad_request', `Query parameter "format" must be json or csv; got "${value}".`);
  return value;
}

/**
 * The periods a history request covers: those lying within [from, to] (default: the last MAX_HISTORY_MONTHS
 * months up to the current one, not before the first month scored); a wider range is a 400.
 */
function historyPeriods(from: string | undefined, to: string | undefined, config: Pick<ReadConfig, 'firstMonth' | 'now'>): PeriodRange[] {
  const firstScored = monthIndexOf(parsePeriod(config.firstMonth).start);
  const last = to ? monthIndexOf(parsePeriod(to).end - 1) : monthIndexOf(config.now());
  const first = from ? monthIndexOf(parsePeriod(from).start) : Math.max(firstScored, last - MAX_HISTORY_MONTHS + 1);
  if (last - first + 1 > MAX_HISTORY_MONTHS) {
    throw new HttpError(400, 'bad_request', `A history covers at most ${MAX_HISTORY_MONTHS} months; ask for a narrower range with "from" and "to".`);
  }
  const lo = Math.max(first, firstScored);
  if (last < lo) return [];
  const [start, end] = [monthIndexStart(first), monthIndexStart(last + 1)];
  return periodsBetween(monthIdOf(lo), monthIdOf(last)).filter((p) => p.start >= start && p.end <= end);
}
