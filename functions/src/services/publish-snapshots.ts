/**
 * The publisher: turns the stored scores of every queued period into the static snapshots the
 * dashboards read from the CDN (`data/...`), then the unit histories and `latest.json`.
 * Snapshots are replaced whole, and `latest.json` is written last, so a reader that follows it
 * never finds a period it announces missing.
 */
import type { MethodTable } from '../../../shared-types/src/method.ts';
import type { Unit } from '../../../shared-types/src/records.ts';
import type { UnitScore } from '../../../shared-types/src/scores.ts';
import { defaultPeriodOf } from '../../../shared-types/src/periods.ts';
import { pinId, rankingsOf, type FeedbackFieldDef, type LatestSnapshot, type ScoresSnapshot, type UnitHistorySnapshot } from '../../../shared-types/src/snapshots.ts';
import type { BlobStore, StateStore } from '../store/ports.ts';
import { scoresCsv } from './score-csv.ts';
import { feedbackCsv, mergeFeedback } from './feedback-snapshot.ts';
import type { UnitCounts } from './refresh-scores.ts';

export interface PublishConfig {
  units: Unit[];
  method: MethodTable;
  fields: FeedbackFieldDef[];
  now: () => number;
}

/** Snapshots change under a stable URL: caches may serve them a minute, then must revalidate. */
export const snapshotCache = 'public, max-age=60, stale-while-revalidate=300';
/** Pinned copies never change: an article's embed shows what it showed the day it was written. */
const pinnedCache = 'public, max-age=31536000, immutable';
const jsonType = 'application/json; charset=utf-8';
const csvType = 'text/csv; charset=utf-8';

export async function publishSnapshots(deps: { state: StateStore; blobs: BlobStore }, config: PublishConfig) {
  const queue = await deps.state.listPublishQueue();
  if (queue.length === 0) return { periods: [] as string[] };
  const put = (path: string, body: string, contentType = jsonType) => deps.blobs.put(path, body, { contentType, cacheControl: snapshotCache });
  const asOf = new Date(config.now()).toISOString();
  /** Writes the live snapshot and its immutable copy under `data/pins/<pin of its asOf>/`. */
  const putPinned = async (path: string, snapshotAsOf: string, body: string) => {
    await deps.blobs.put(`data/pins/${pinId(snapshotAsOf)}/${path}`, body, { contentType: jsonType, cacheControl: pinnedCache });
    await put(`data/${path}`, body);
  };

  await put('data/units.json', JSON.stringify({ asOf, units: config.units }));
  await put('data/method.json', JSON.stringify(config.method));
  await put('data/fields.json', JSON.stringify({ asOf, fields: config.fields }));

  const periods = (await deps.state.listScoredPeriods()).sort();
  const all = new Map<string, ScoresSnapshot>();
  for (const period of periods) all.set(period, (await deps.state.getPeriodScores(period)) as ScoresSnapshot);

  const counts = (await deps.state.listUnitCounts()) as Map<string, UnitCounts>;
  for (const { period } of queue) {
    const snapshot = all.get(period);
    if (!snapshot) continue;
    await putPinned(`scores/${period}.json`, snapshot.asOf, JSON.stringify(snapshot));
    // A compact ranking (≈ 4 KB gzipped for a city, the full scores ≈ 50 KB): what a ranking embed and the overview read.
    await putPinned(`rankings/${period}.json`, snapshot.asOf, JSON.stringify(rankingsOf(snapshot)));
    await put(`data/scores/${period}.csv`, scoresCsv(snapshot, config.units, config.method), csvType);
    const perUnit = new Map([...counts].map(([unitId, unitCounts]) => [unitId, unitCounts.feedback?.[period]]));
    const feedback = mergeFeedback({ units: config.units, fields: config.fields, period, asOf: snapshot.asOf, perUnit });
    await put(`data/feedback/${period}.json`, JSON.stringify(feedback));
    await put(`data/feedback/${period}.csv`, feedbackCsv(feedback, config.units), csvType);
  }

  // Histories: one file per unit with every period, oldest first; rewritten (and re-pinned) only when
  // a figure in it changed, so a pinned history embed keeps its pin until the unit's numbers move.
  const histories = new Map<string, UnitScore[]>(config.units.map((unit) => [unit.id, []]));
  for (const period of periods) for (const score of all.get(period)!.scores) histories.get(score.unitId)?.push(score);
  const figures = (history: UnitScore[]) => JSON.stringify(history.map(({ asOf: _, ...rest }) => rest));
  for (const [unitId, history] of histories) {
    const previous = await deps.blobs.get(`data/units/${unitId}.json`);
    if (previous && figures((JSON.parse(previous) as UnitHistorySnapshot).history) === figures(history)) continue;
    await putPinned(`units/${unitId}.json`, asOf, JSON.stringify({ unitId, method: config.method.id, asOf, history }));
  }

  const months = periods.filter((period) => /^\d{4}-\d{2}$/.test(period));
  const changed = queue.map((item) => item.period).sort();
  // Provisional as published: a period is final once its scores were taken at or after its end.
  const provisionalPeriods = periods.filter((period) => all.get(period)?.provisional);
  const latest: LatestSnapshot = {
    asOf, method: config.method.id, periods, latestPeriod: months.at(-1) ?? '', changed,
    defaultPeriod: defaultPeriodOf(periods, provisionalPeriods) ?? '', provisionalPeriods,
  };
  await put('data/latest.json', JSON.stringify(latest));
  for (const item of queue) await deps.state.clearPublish(item);
  await deps.state.putMeta('publish', { lastPublishedAt: asOf });
  return { periods: changed };
}
