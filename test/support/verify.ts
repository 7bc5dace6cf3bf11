/**
 * How every reliability scenario ends: the published scores (the static snapshot and the read API)
 * equal a full recompute of what was sent (`scoreAll` over its latest state), and equal an independent
 * count of what was sent, made here without the engine.
 */
import { isDeepStrictEqual } from 'node:util';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../functions/src/store/dynamodb/client.ts';
import { loadCity } from '../../functions/src/commons/city.ts';
import { periodsBetween, type PeriodRange } from '../../shared-types/src/periods.ts';
import type { RecordCopy, SourceRecord, Unit } from '../../shared-types/src/records.ts';
import type { UnitScore } from '../../shared-types/src/scores.ts';
import { comparable, expectedScores } from './demo.ts';
import type { Registry } from '../../functions/src/domain/structure/structure.ts';

export interface Verdict {
  periods: number;
  /** unit scores compared, per source (snapshot, read API) */
  scoresCompared: number;
  /** unit scores that differ from the full recompute (or are missing or extra) */
  mismatchesRecompute: number;
  /** unit scores whose counts differ from the independent count */
  mismatchesCount: number;
  problems: string[];
}

/** The counts checked independently, as indicator id → which of its sides → what it counts. */
const counted = { '4.2': { d: 'dossiers' }, '4.4': { d: 'received', n: 'receivedReused' }, '5.1': { d: 'feedback' } } as const;
type Count = { dossiers: number; received: number; receivedReused: number; feedback: number };

/**
 * Per period and unit (pooled over the unit's subtree), straight from the latest copy of each record
 * sent (a record whose latest copy is a tombstone counts nowhere): dossiers in the period (received before
 * its end, open or finished after its start), dossiers received in it and those of them reusing digitized
 * data, and feedback in the period.
 */
export function independentCounts(registries: readonly Registry[], sent: RecordCopy[], periods: PeriodRange[]): Map<string, Count> {
  const latest = new Map<string, RecordCopy>();
  for (const record of sent) {
    const key = `${record.type}#${record.id}`;
    const known = latest.get(key);
    if (!known || Date.parse(record.updatedAt) > Date.parse(known.updatedAt)) latest.set(key, record);
  }
  // written apart from domain/structure
  const counts = new Map<string, Count>();
  let parents: Map<string, string | null>[] = [];
  const add = (period: string, unitId: string, field: keyof Count) => {
    const ancestors = new Set<string>();
    for (const parent of parents) {
      if (!parent.has(unitId)) continue;
      for (let id: string | null | undefined = unitId; id; id = parent.get(id)) ancestors.add(id);
    }
    for (const id of ancestors) {
      const key = `${period}|${id}`;
      const count = counts.get(key) ?? { dossiers: 0, received: 0, receivedReused: 0, feedback: 0 };
      count[field] += 1;
      counts.set(key, count);
    }
  };
  // dated records count for the unit's ancestors in every registry that lists it (INDEX-766.md § The city's structure over time)
  parents = registries.map((registry) => new Map(registry.units.map((unit) => [unit.id, unit.parentId])));
  for (const { id: period, start, end } of periods) {
    for (const record of latest.values()) {
      if (record.type === 'procedure' || 'deleted' in record) continue;
      const received = Date.parse(record.receivedAt);
      const finished = record.type === 'dossier' ? record.completedAt : record.resolvedAt;
      const inPeriod = received < end && (finished === null || Date.parse(finished) >= start);
      if (record.type === 'feedback') {
        if (inPeriod) add(period, record.unitId, 'feedback');
        continue;
      }
      if (inPeriod) add(period, record.unitId, 'dossiers');
      if (received >= start && received < end) {
        add(period, record.unitId, 'received');
        if (record.reusedDigitizedData) add(period, record.unitId, 'receivedReused');
      }
    }
  }
  return counts;
}

/**
 * Fetches the published scores of every period from `from` to `to` (months, quarters, years) from the
 * snapshot and the read API, and compares each unit's score with the recompute and the counts.
 */
export async function verifyPublished(options: { url: string; sent: RecordCopy[]; from: string; to: string }): Promise<Verdict> {
  const ranges = periodsBetween(options.from, options.to);
  const periods = ranges.map((range) => range.id);
  const counts = independentCounts(loadCity().registries, options.sent, ranges);
  const verdict: Verdict = { periods: periods.length, scoresCompared: 0, mismatchesRecompute: 0, mismatchesCount: 0, problems: [] };
  const problem = (text: string) => verdict.problems.length < 20 && verdict.problems.push(text);

  const units = loadCity().units.length;
  for (const period of periods) {
    for (const path of [`/data/scores/${period}.json`, `/api/v1/scores?period=${period}`]) {
      const response = await fetch(`${options.url}${path}`);
      if (!response.ok) {
        verdict.mismatchesRecompute += units;
        problem(`${path}: HTTP ${response.status}`);
        continue;
      }
      const snapshot = (await response.json()) as { asOf: string; scores: UnitScore[] };
      const want = new Map(comparable(JSON.parse(JSON.stringify(expectedScores(options.sent, period, snapshot.asOf)))).map((score) => [score.unitId, score]));
      const published = comparable(snapshot.scores);
      verdict.scoresCompared += published.length;
      const seen = new Set<string>();
      for (const score of published) {
        seen.add(score.unitId);
        if (!isDeepStrictEqual(score, want.get(score.unitId))) {
          verdict.mismatchesRecompute += 1;
          problem(`${path} ${score.unitId}: published ${JSON.stringify(score).slice(0, 300)} ≠ recomputed ${JSON.stringify(want.get(score.unitId) ?? null).slice(0, 300)}`);
        }
        const count = counts.get(`${period}|${score.unitId}`) ?? { dossiers: 0, received: 0, receivedReused: 0, feedback: 0 };
        const wrong = Object.entries(counted).flatMap(([indicator, sides]) =>
          Object.entries(sides).flatMap(([side, field]) => {
            const value = score.indicators[indicator]?.[side as 'n' | 'd'];
            return value === count[field as keyof Count] ? [] : [`${indicator}.${side} ${value} ≠ ${count[field as keyof Count]}`];
          }),
        );
        if (wrong.length > 0) {
          verdict.mismatchesCount += 1;
          problem(`${path} ${score.unitId}: published counts differ from what was sent: ${wrong.join(', ')}`);
        }
      }
      for (const unitId of want.keys()) {
        if (seen.has(unitId)) continue;
        verdict.mismatchesRecompute += 1;
        problem(`${path}: no score for ${unitId}`);
      }
    }
  }
  return verdict;
}

/** Over HTTP only (for a stack in another process): waits until nothing is pending and a snapshot is out. */
export async function waitUntilPublished(url: string, timeoutMs = 300_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    const status = (await (await fetch(`${url}/api/v1/status`)).json()) as { pending: number };
    const latest = await fetch(`${url}/data/latest.json`);
    if (status.pending === 0 && latest.ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** Every record stored in the in-process stack's records table, as stored (its body). */
export async function* storedRecords(): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoClient().send(new ScanCommand({ TableName: process.env.RECORDS_TABLE, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) yield JSON.parse(item.body.S!);
    start = page.LastEvaluatedKey;
  } while (start);
}
