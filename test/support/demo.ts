/** Small deterministic data sets for the integration and reliability suites, from the demo generator. */
import { generateDemoData, mulberry32 } from '../../tools/demo/generate.ts';
import { loadCity, methodFor } from '../../functions/src/commons/city.ts';
import { latestState, scoreAll } from '../../functions/src/domain/engine/index.ts';
import { subtreeOf } from '../../functions/src/domain/structure/structure.ts';
import { periodsBetween } from '../../shared-types/src/periods.ts';
import type { RecordCopy, SourceRecord } from '../../shared-types/src/records.ts';
import type { UnitScore } from '../../shared-types/src/scores.ts';

/** A data set of the demo generator: months, seed, volume (`scale`) and the subtree kept. */
export interface DataSet {
  from: string;
  to: string;
  seed: number;
  scale: number;
  /** the unit whose subtree is kept (District 1 by default) */
  subtree?: string;
}

/** Demo records of one subtree only (District 1 by default), so a suite sends thousands, not hundreds of thousands. */
export function demoRecords(options: DataSet): SourceRecord[] {
  const { subtree = 'q1', ...generatorOptions } = options;
  const inSubtree = subtreeOf(loadCity().structure, subtree);
  const records = [...generateDemoData({ units: loadCity().registries, ...generatorOptions })].filter((record) => inSubtree.has(record.unitId));
  // Wards carry ~100 procedures each: keep those cited by a dossier and every tenth other one.
  const cited = new Set(records.flatMap((record) => (record.type === 'dossier' ? [record.procedureId] : [])));
  return records.filter((record, i) => record.type !== 'procedure' || cited.has(record.id) || i % 10 === 0);
}

/** Deterministic shuffle, so a failing order can be replayed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * A later copy of some open dossiers: completed on their due date and updated an hour after, so later than
 * the first copy (updated when received), and in the past for the suites' data sets (the API refuses dates
 * ahead of its clock). Both copies get sent; the later must win.
 */
export function laterCopies(records: SourceRecord[], every: number): SourceRecord[] {
  return records
    .filter((record, i) => record.type === 'dossier' && record.completedAt === null && i % every === 0)
    .map((record) => {
      const dueAt = (record as { dueAt: string }).dueAt;
      return { ...record, completedAt: dueAt, updatedAt: new Date(Date.parse(dueAt) + 3_600_000).toISOString() } as SourceRecord;
    });
}

/**
 * The full recompute the published scores must equal: the pure engine over the latest state of everything sent,
 * judged at the published asOf (a complete period at its end, the ongoing one at asOf).
 */
export function expectedScores(sent: RecordCopy[], period: string, asOf: string): UnitScore[] {
  const city = loadCity();
  return scoreAll({ units: city.structure, records: latestState(sent), periods: [period], method: methodFor(city.methods, period), asOf });
}

/** What must match between published and recomputed scores (everything but the time of computation). */
export const comparable = (scores: UnitScore[]) =>
  [...scores].sort((a, b) => (a.unitId < b.unitId ? -1 : 1)).map(({ asOf: _, ...rest }) => rest);
