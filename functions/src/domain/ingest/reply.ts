/**
 * Keeps an ingest reply small whatever the batch: Lambda answers at most 6 MB, and a batch of 10,000 broken
 * records (or one record with 100,000 unknown fields) would say more. Past the stated counts the reply lists
 * the first entries and counts the rest; a source system sends smaller batches to hear every error.
 */
import type { FieldError } from '../../../../shared-types/src/records.ts';
import type { IngestResponse, RejectedRecord } from '../../../../shared-types/src/snapshots.ts';

/** Rejections and pending entries listed in a reply, each. */
export const MAX_LISTED = 1_000;
/** The errors of one rejection listed, in bytes of JSON: every error of any real record fits several times. */
export const MAX_ERROR_BYTES_PER_RECORD = 3_000;

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

function boundedErrors(errors: FieldError[]): FieldError[] {
  const kept: FieldError[] = [];
  let size = 0;
  for (const error of errors) {
    size += bytes(error);
    if (size > MAX_ERROR_BYTES_PER_RECORD) {
      kept.push({ field: '(record)', message: `… and ${errors.length - kept.length} more errors` });
      break;
    }
    kept.push(error);
  }
  return kept;
}

/** The reply as sent: at most MAX_LISTED rejections (each with a bounded list of errors) and pending entries. */
export function boundedReply(reply: IngestResponse): IngestResponse {
  const rejected: RejectedRecord[] = reply.rejected.slice(0, MAX_LISTED).map((rejection) => ({ ...rejection, errors: boundedErrors(rejection.errors) }));
  const omitted = { rejected: reply.rejected.length - rejected.length, pending: Math.max(0, reply.pending.length - MAX_LISTED) };
  if (omitted.rejected === 0 && omitted.pending === 0) return { ...reply, rejected };
  const message =
    `This reply lists the first ${MAX_LISTED} rejected and pending records; ${omitted.rejected} more were rejected and ${omitted.pending} more are pending. ` +
    `Every accepted record is stored; send smaller batches to see every rejection.`;
  return { ...reply, rejected, pending: reply.pending.slice(0, MAX_LISTED), omitted: { ...omitted, message } };
}
