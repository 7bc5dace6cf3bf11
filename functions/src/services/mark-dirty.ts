/**
 * The aggregate step: the records a stream batch changed are noted for the scorer, which counts each one's stored
 * copy against what it counted of it before. Noting is idempotent, so a replayed or reordered batch changes nothing.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { ScoringStore } from '../store/ports.ts';

export function recordsTouched(event: Pick<DynamoDBStreamEvent, 'Records'>): Set<string> {
  const keys = new Set<string>();
  for (const record of event.Records ?? []) {
    const key = record.dynamodb?.Keys?.pk?.S ?? record.dynamodb?.NewImage?.pk?.S ?? record.dynamodb?.OldImage?.pk?.S;
    if (key) keys.add(key);
  }
  return keys;
}

export async function markDirtyFromStream(deps: { state: Pick<ScoringStore, 'markRecordsDirty'> }, event: Pick<DynamoDBStreamEvent, 'Records'>) {
  const records = recordsTouched(event);
  await deps.state.markRecordsDirty(records);
  return { records: records.size };
}
