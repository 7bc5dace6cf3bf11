/**
 * Feeds the records table's DynamoDB stream to the aggregate handler, as the Lambda event source
 * mapping does on AWS: in order per shard, retrying a failed batch, checkpointing after success.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { localClient } from './dynamodb.ts';

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every stream record written so far has been handled. */
  drain(): Promise<void>;
}

export function pollStream(options: {
  endpoint: string;
  table: string;
  checkpointFile?: string;
  /** The aggregate handler: throws to fail the batch whole, or answers its first failed record (ReportBatchItemFailures). */
  handle: (event: DynamoDBStreamEvent) => Promise<unknown>;
  onError?: (error: unknown) => void;
  /** Pause between polls unless the last page was full (DynamoDB Local's GetRecords is not free). */
  idleMs?: number;
}): StreamPoller {
  const idleMs = options.idleMs ?? 200;
  const pageSize = 1000;
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const checkpoints: Record<string, string> = readCheckpoints(options.checkpointFile);
  const iterators = new Map<string, string | undefined>();
  let running = true;
  let idleWaiters: (() => void)[] = [];

  const save = () => options.checkpointFile && writeFileSync(options.checkpointFile, JSON.stringify(checkpoints));

  async function discoverShards(streamArn: string) {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (iterators.has(shardId)) continue;
      const after = checkpoints[shardId];
      const reply = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          ...(after ? { SequenceNumber: after } : {}),
        }),
      );
      iterators.set(shardId, reply.ShardIterator);
    }
  }

  async function loop() {
    const tables = localClient(options.endpoint);
    const streamArn = (await tables.send(new DescribeTableCommand({ TableName: options.table }))).Table?.LatestStreamArn;
    tables.destroy();
    if (!streamArn) throw new Error(`Table ${options.table} has no stream`);
    let lastDiscovery = 0;
    while (running) {
      if (Date.now() - lastDiscovery > 5_000) {
        await discoverShards(streamArn);
        lastDiscovery = Date.now();
      }
      let sawRecords = false;
      let backlog = false;
      for (const [shardId, iterator] of iterators) {
        if (!iterator) continue;
        const reply = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: pageSize }));
        const records = reply.Records ?? [];
        if (records.length === pageSize) backlog = true;
        if (records.length > 0) {
          sawRecords = true;
          // A failed batch is retried from the same iterator: at-least-once, like the event source mapping.
          const failed = firstFailure(await options.handle({ Records: records.map(toLambdaRecord) } as DynamoDBStreamEvent));
          if (failed !== undefined) {
            // Reported failures, as the event source mapping takes them: the shard goes on from the first failed
            // record (the whole batch again when it is not one of the batch's), after a pause.
            const at = records.findIndex((record) => record.dynamodb?.SequenceNumber === failed);
            if (at > 0) checkpoints[shardId] = records[at - 1].dynamodb!.SequenceNumber!;
            save();
            options.onError?.(new Error(`stream batch failed from record ${failed}: retrying from it`));
            iterators.delete(shardId);
            lastDiscovery = 0;
            backlog = false;
            continue;
          }
          checkpoints[shardId] = records.at(-1)!.dynamodb!.SequenceNumber!;
          save();
        }
        iterators.set(shardId, reply.NextShardIterator);
      }
      if (!sawRecords) {
        for (const waiter of idleWaiters) waiter();
        idleWaiters = [];
      }
      // Like the event source mapping's batching window: a full page means a backlog, so read on at once;
      // otherwise wait, so a busy table is read in pages rather than a GetRecords call per write.
      if (!backlog) await new Promise((resolve) => setTimeout(resolve, idleMs));
    }
  }

  const done = (async () => {
    while (running) {
      try {
        await loop();
      } catch (error) {
        if (!running) break;
        // A trimmed or expired position (e.g. a checkpoint older than the stream's 24 h) restarts the shard
        // from its oldest record: replays are harmless, skipped records would not be.
        const expected = ['TrimmedDataAccessException', 'ExpiredIteratorException'].includes((error as Error).name);
        if (!expected) options.onError?.(error);
        else for (const shardId of iterators.keys()) delete checkpoints[shardId];
        iterators.clear();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  })();

  return {
    async stop() {
      running = false;
      for (const waiter of idleWaiters) waiter();
      await done;
      streams.destroy();
    },
    drain: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
}

/** The first failed record's sequence number in a handler's answer (`batchItemFailures`), if it reports any. */
export function firstFailure(answer: unknown): string | undefined {
  const failures = (answer as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return undefined;
  // Lambda retries from the lowest sequence number reported; one it cannot read fails the batch whole ('').
  const ids = failures.map((failure) => (typeof failure?.itemIdentifier === 'string' && /^\d+$/.test(failure.itemIdentifier) ? failure.itemIdentifier : ''));
  if (ids.includes('')) return '';
  return ids.reduce((low, id) => (BigInt(id) < BigInt(low) ? id : low));
}

function readCheckpoints(file: string | undefined): Record<string, string> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function toLambdaRecord(record: _Record) {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    dynamodb: record.dynamodb,
  };
}
