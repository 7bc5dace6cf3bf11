/**
 * The aggregate step: the records a stream batch changed are noted for the scorer, which counts each one's stored
 * copy against what it counted of it before. Noting is idempotent, so a replayed or reordered batch changes nothing.
 *
 * A batch that could not be noted is reported, not thrown (the event source mapping's ReportBatchItemFailures): its
 * first record that names a record is the first failed one, and the mapping retries the shard from it. The records
 * before it named nothing; those after it are noted again on the retry, which changes nothing.
 */
import type { DynamoDBBatchItemFailure, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ScoringStore } from '../store/ports.ts';

/** The key (`<type>#<id>`) of the record a stream record is about, if it names one. */
function recordKeyOf(record: DynamoDBRecord): string | undefined {
  return record.dynamodb?.Keys?.pk?.S ?? record.dynamodb?.NewImage?.pk?.S ?? record.dynamodb?.OldImage?.pk?.S;
}

export function recordsTouched(event: Pick<DynamoDBStreamEvent, 'Records'>): Set<string> {
  const keys = new Set<string>();
  for (const record of event.Records ?? []) {
    const key = recordKeyOf(record);
    if (key) keys.add(key);
  }
  return keys;
}

export interface StreamBatchResult {
  /** records noted */
  records: number;
  /** empty when the whole batch is noted; else the first record not noted, by its sequence number */
  batchItemFailures: DynamoDBBatchItemFailure[];
  /** why the batch was not noted */
  error?: unknown;
}

export async function markDirtyFromStream(deps: { state: Pick<ScoringStore, 'markRecordsDirty'> }, event: Pick<DynamoDBStreamEvent, 'Records'>): Promise<StreamBatchResult> {
  const records = recordsTouched(event);
  try {
    await deps.state.markRecordsDirty(records);
    return { records: records.size, batchItemFailures: [] };
  } catch (error) {
    // A failed call is not known to have noted any of the keys it was given.
    const first = (event.Records ?? []).find(recordKeyOf)?.dynamodb?.SequenceNumber;
    // Without a sequence number to report, fail the batch whole: the mapping retries all of it.
    if (!first) throw error;
    return { records: 0, batchItemFailures: [{ itemIdentifier: first }], error };
  }
}
