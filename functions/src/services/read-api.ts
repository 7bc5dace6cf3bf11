/**
 * GET /api/v1/*: the registry, scores (JSON or CSV), histories, the method, the 1022 view, status,
 * and the OpenAPI document. Bad parameters get a 400 naming the parameter; unknown things a 404.
 */
import { HttpError, json, text, type HttpResponse } from '../commons/http.ts';
import { defaultPeriodOf, isPeriod, parsePeriod, provisionalPeriodsOf } from '../../../shared-types/src/periods.ts';
import type { MethodTable } from '../../../shared-types/src/method.ts';
import type { Unit } from '../../../shared-types/src/records.ts';
import type { StateStore } from '../store/ports.ts';
import type { FeedbackFieldDef, ScoresSnapshot, StatusResponse } from '../../../shared-types/src/snapshots.ts';
import { scoresCsv } from './score-csv.ts';
import { feedbackCsv, mergeFeedback } from './feedback-snapshot.ts';
import { readWatch, type UnitCounts } from './refresh-scores.ts';
import { openApiDocument } from './openapi.ts';

export interface ReadRequest {
  path: string;
  query: Record<string, string | undefined>;
}

export interface ReadConfig {
  units: Unit[];
  method: MethodTable;
  fields: FeedbackFieldDef[];
  now: () => number;
}

/** API replies are computed on request; let a CDN keep them briefly. */
const apiCache = { 'cache-control': 'public, max-age=30' };

export async function readApi(deps: { state: StateStore }, config: ReadConfig, request: ReadRequest): Promise<HttpResponse> {
  const path = request.path.replace(/\/+$/, '');
  const unitsById = new Map(config.units.map((unit) => [unit.id, unit]));
  const period = (name = 'period') => {
    const value = request.query[name];
    if (!value) throw new HttpError(400, 'bad_request', `Query parameter "${name}" is required (YYYY, YYYY-Qn or YYYY-MM).`);
    return checkedPeriod(name, value);
  };
  const checkedPeriod = (name: string, value: string) => {
    if (!isPeriod(value)) throw new HttpError(400, 'bad_request', `Query parameter "${name}" must be a period YYYY, YYYY-Qn or YYYY-MM; got "${value}".`);
    return value;
  };
  /** `period`, or without it the default period (the last complete month), as a bare download of the site opens. */
  const periodOrDefault = async () => {
    if (request.query.period) return checkedPeriod('period', request.query.period);
    const scored = await deps.state.listScoredPeriods();
    const fallback = defaultPeriodOf(scored, provisionalPeriodsOf(scored, config.now()));
    if (!fallback) throw new HttpError(404, 'not_found', 'No period has been scored yet.');
    return fallback;
  };
  const unit = (id: string) => {
    const found = unitsById.get(id);
    if (!found) throw new HttpError(404, 'not_found', `Unknown unit "${id}".`);
    return found;
  };
  const format = () => {
    const value = request.query.format ?? 'json';
    if (value !== 'json' && value !== 'csv') throw new HttpError(400, 'bad_request', `Query parameter "format" must be json or csv; got "${value}".`);
    return value;
  };
  const scoresOf = async (id: string) => {
    const snapshot = (await deps.state.getPeriodScores(id)) as ScoresSnapshot | undefined;
    if (!snapshot) throw new HttpError(404, 'not_found', `No scores for period "${id}" yet.`);
    return snapshot;
  };

  if (path === '/api/v1/status') {
    const [pending, scoring, watch] = await Promise.all([deps.state.countPending(), deps.state.getMeta('scoring'), readWatch(deps.state)]);
    const awaitingProcedure = Object.values(watch.awaitingProcedure).reduce((sum, n) => sum + n, 0);
    return json(200, { pending, lastScoredAt: (scoring?.lastScoredAt as string | undefined) ?? null, awaitingProcedure } satisfies StatusResponse);
  }
  if (path === '/api/v1/units') return json(200, { units: config.units }, apiCache);
  if (path === '/api/v1/method') return json(200, config.method, apiCache);
  if (path === '/api/v1/openapi.json') return json(200, openApiDocument, apiCache);

  if (path === '/api/v1/scores') {
    const wanted = await periodOrDefault();
    const asCsv = format() === 'csv';
    const wantedUnit = request.query.unit;
    if (wantedUnit) unit(wantedUnit);
    const peerGroup = request.query.peerGroup;
    const snapshot = await scoresOf(wanted);
    const scores = snapshot.scores.filter((score) => (!wantedUnit || score.unitId === wantedUnit) && (!peerGroup || score.peerGroup === peerGroup));
    const body = { ...snapshot, scores };
    if (asCsv) return text(200, scoresCsv(body, config.units, config.method), 'text/csv; charset=utf-8', apiCache);
    return json(200, body, apiCache);
  }

  const history = /^\/api\/v1\/units\/([^/]+)\/scores$/.exec(path);
  if (history) {
    const unitId = unit(decodeURIComponent(history[1])).id;
    const from = request.query.from ? parsePeriod(period('from')) : undefined;
    const to = request.query.to ? parsePeriod(period('to')) : undefined;
    const periods = (await deps.state.listScoredPeriods())
      .map((id) => parsePeriod(id))
      .filter((p) => (!from || p.start >= from.start) && (!to || p.end <= to.end))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const scores = [];
    for (const p of periods) {
      const found = (await scoresOf(p.id)).scores.find((score) => score.unitId === unitId);
      if (found) scores.push(found);
    }
    return json(200, { unitId, method: config.method.id, scores }, apiCache);
  }

  if (path === '/api/v1/feedback') {
    const wanted = await periodOrDefault();
    const unitId = request.query.unit ? unit(request.query.unit).id : null;
    const asCsv = format() === 'csv';
    const snapshot = await scoresOf(wanted);
    const counts = (await deps.state.listUnitCounts()) as Map<string, UnitCounts>;
    const perUnit = new Map([...counts].map(([id, unitCounts]) => [id, unitCounts.feedback?.[wanted]]));
    const view = mergeFeedback({ units: config.units, fields: config.fields, period: wanted, asOf: snapshot.asOf, perUnit, unitId });
    return asCsv ? text(200, feedbackCsv(view, config.units), 'text/csv; charset=utf-8', apiCache) : json(200, view, apiCache);
  }

  throw new HttpError(404, 'not_found', `No such endpoint: ${path}. See /api/v1/openapi.json.`);
}
