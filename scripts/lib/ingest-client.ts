/**
 * Sends records to the ingest API in batches, with bounded concurrency and retries. Retrying is always
 * safe: the API keeps the copy with the latest `updatedAt`, so a batch sent twice counts once.
 * Used by `npm run import`, the demo seeding of `npm start`, the benchmarks and the reliability suite.
 */
import type { IngestResponse } from '../../shared-types/src/snapshots.ts';

export type BatchResult = IngestResponse;

export interface SendOptions {
  url: string;
  key: string;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** Called after each acknowledged batch, with the batch's first record's position in the stream. */
  onBatch?: (info: { start: number; records: unknown[]; result: BatchResult; attempts: number }) => void | Promise<void>;
}

export interface SendSummary {
  sent: number;
  accepted: number;
  unchanged: number;
  rejected: (BatchResult['rejected'][number] & { position: number })[];
  /** rejections the API counted but did not list (a batch past its reply's limit: see IngestResponse.omitted) */
  rejectedUnlisted: number;
  /** accepted dossiers whose procedure was not stored yet */
  pending: number;
  retries: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs one batch; retries network errors, 429 and 5xx with backoff; any other status is final. */
export async function postBatch(options: Pick<SendOptions, 'url' | 'key' | 'maxAttempts'>, records: unknown[]): Promise<{ result: BatchResult; attempts: number }> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    let retryable: string;
    try {
      const response = await fetch(`${options.url.replace(/\/$/, '')}/api/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${options.key}` },
        body: records.map((record) => JSON.stringify(record)).join('\n'),
      });
      const body = await response.text();
      if (response.ok) return { result: JSON.parse(body) as BatchResult, attempts: attempt };
      if (response.status !== 429 && response.status < 500) throw new Error(`Ingest refused the batch: HTTP ${response.status} ${body}`);
      retryable = `HTTP ${response.status}`;
    } catch (error) {
      if ((error as Error).message.startsWith('Ingest refused')) throw error;
      retryable = (error as Error).message;
    }
    if (attempt >= maxAttempts) throw new Error(`Batch failed after ${attempt} attempts: ${retryable}`);
    await sleep(Math.min(10_000, 200 * 2 ** attempt) * (0.5 + Math.random()));
  }
}

export async function sendRecords(records: Iterable<unknown> | AsyncIterable<unknown>, options: SendOptions): Promise<SendSummary> {
  const batchSize = options.batchSize ?? 1_000;
  const summary: SendSummary = { sent: 0, accepted: 0, unchanged: 0, rejected: [], rejectedUnlisted: 0, pending: 0, retries: 0 };
  const inFlight = new Set<Promise<void>>();
  let batch: unknown[] = [];
  let position = 0;

  const flush = async () => {
    const records = batch;
    const start = position - records.length;
    batch = [];
    const task = postBatch(options, records).then(async ({ result, attempts }) => {
      summary.sent += records.length;
      summary.accepted += result.accepted;
      summary.unchanged += result.unchanged;
      summary.pending += result.pending.length + (result.omitted?.pending ?? 0);
      summary.rejectedUnlisted += result.omitted?.rejected ?? 0;
      summary.retries += attempts - 1;
      for (const rejection of result.rejected) summary.rejected.push({ ...rejection, position: start + rejection.index });
      await options.onBatch?.({ start, records, result, attempts });
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= (options.concurrency ?? 2)) await Promise.race(inFlight);
  };

  let sendingProcedures = false;
  for await (const record of records) {
    const isProcedure = (record as { type?: unknown } | null)?.type === 'procedure';
    if (sendingProcedures && !isProcedure) {
      // The API takes any order, but a dossier stored before its procedure waits (pending) until it arrives:
      // every procedure sent so far is stored before anything after it is sent.
      if (batch.length > 0) await flush();
      await Promise.all(inFlight);
    }
    sendingProcedures = isProcedure;
    batch.push(record);
    position += 1;
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  return summary;
}
