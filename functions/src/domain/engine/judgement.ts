/**
 * When the ongoing period's counts change with no new record. Every rule compares the evaluation
 * instant e = min(end, asOf) with a record's own timestamps (received, due, finished), so counts taken
 * at asOf hold until e passes the next of those instants: an open dossier becomes overdue when its
 * `dueAt` passes, a procedure's due date enters 1.1/1.2, a copy finished "later" counts as finished.
 */
import { parseTimestamp } from '../../../../shared-types/src/periods.ts';
import type { SourceRecord } from '../../../../shared-types/src/records.ts';

function instantsOf(record: SourceRecord): (string | null)[] {
  if (record.type === 'procedure') return [record.announcementDueAt, record.publicationDueAt];
  if (record.type === 'dossier') return [record.receivedAt, record.dueAt, record.completedAt];
  return [record.receivedAt, record.dueAt, record.resolvedAt];
}

/**
 * The earliest record instant t with asOfMs ≤ t < untilMs (the end of the last ongoing period), or null:
 * counts taken at asOf are those of every instant up to and including t; after it they must be taken again.
 */
export function nextJudgementAt(records: Iterable<SourceRecord>, asOfMs: number, untilMs: number): number | null {
  let next = Infinity;
  for (const record of records) {
    for (const value of instantsOf(record)) {
      if (value === null) continue;
      const t = parseTimestamp(value);
      if (t >= asOfMs && t < untilMs && t < next) next = t;
    }
  }
  return next === Infinity ? null : next;
}
