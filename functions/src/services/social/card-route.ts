/**
 * `GET /api/v1/units/{id}/card.png?period=&lang=`: a unit's card in a period, drawn on request from the published
 * snapshots (what the site shows): the unit (data/units.json), its history (data/units/<id>.json) and the period's
 * ranking (data/rankings/<period>.json). Drawn on request, not at publish: a city has hundreds of units and dozens
 * of periods, and only the links someone shares are ever asked for (robots keep the image they fetched).
 */
import { previousPeriod } from '../../../../shared-types/src/periods.ts';
import type { MethodTable } from '../../../../shared-types/src/method.ts';
import type { RankingsSnapshot, UnitHistorySnapshot, UnitsSnapshot } from '../../../../shared-types/src/snapshots.ts';
import { HttpError, type RoutesOf } from '../../commons/http.ts';
import type { BlobStore } from '../../store/ports.ts';
import { period } from '../read-api.ts';
import type { Locale } from '../wording.ts';
import { renderCard } from './card.ts';
import { cardFacts, SOCIAL_LOCALES } from './share.ts';

export interface CardConfig {
  /** the method of a period */
  methodOf: (period: string) => MethodTable;
}

/** The figures of a card change only with a publish: a day in caches; a new publish is a new `v` in the page. */
const cardCache = 'public, max-age=86400';

export function cardRoutes(deps: { blobs: Pick<BlobStore, 'get'> }, config: CardConfig): RoutesOf<'social-card'> {
  const read = async <T>(path: string) => {
    const body = await deps.blobs.get(`data/${path}`);
    return body === undefined ? undefined : (JSON.parse(body) as T);
  };
  return {
    async unitCard({ params, query }) {
      const unitId = decodeURIComponent(params.id ?? '');
      const wanted = period(query);
      const lang = query.lang ?? 'vi';
      if (!SOCIAL_LOCALES.includes(lang as Locale)) throw new HttpError(400, 'bad_request', `Query parameter "lang" must be one of ${SOCIAL_LOCALES.join(', ')}; got "${lang}".`);
      const [units, history, rankings] = await Promise.all([
        read<UnitsSnapshot>('units.json'),
        read<UnitHistorySnapshot>(`units/${unitId}.json`),
        read<RankingsSnapshot>(`rankings/${wanted}.json`),
      ]);
      if (!units) throw new HttpError(404, 'not_found', 'Nothing is published yet.');
      if (!rankings) throw new HttpError(404, 'not_found', `No scores for period "${wanted}" yet.`);
      const scoreIn = (id: string | null) => history?.history.find((s) => s.period === id);
      const facts = cardFacts({ unitId, period: wanted, units, now: scoreIn(wanted), before: scoreIn(previousPeriod(wanted)), scores: rankings, method: config.methodOf(wanted) });
      if (!facts) throw new HttpError(404, 'not_found', `Unknown unit "${unitId}".`);
      const png = await renderCard(facts, lang as Locale);
      return { statusCode: 200, headers: { 'content-type': 'image/png', 'cache-control': cardCache }, body: Buffer.from(png).toString('base64'), isBase64Encoded: true };
    },
  };
}
