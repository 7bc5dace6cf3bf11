/**
 * Wires the adapters the handlers run on, from the environment: the same code on AWS
 * (tables + S3 bucket) and locally (DynamoDB Local + a folder).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { env } from '../store/tables.ts';
import { dynamoClient, tableName } from '../store/dynamodb/client.ts';
import { DynamoRecordStore } from '../store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../store/dynamodb/tally-store.ts';
import { FsBlobStore } from '../store/blobs/fs-blob-store.ts';
import { S3BlobStore } from '../store/blobs/s3-blob-store.ts';
import type { FileStore } from '../store/ports.ts';
import { DEFAULT_LEASE_TTL_MS, type LeaseOptions } from '../services/lease.ts';

export const logger = new Logger({ serviceName: 'ban-do-the-che', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });
export const metrics = new Metrics({ namespace: 'BanDoTheChe', serviceName: 'ban-do-the-che' });

export function stores() {
  const client = dynamoClient();
  return {
    records: new DynamoRecordStore(client, tableName(env.recordsTable)),
    state: new DynamoStateStore(client, tableName(env.stateTable)),
    tallies: new DynamoTallyStore(client, tableName(env.stateTable)),
  };
}

export function blobStore(): FileStore {
  const bucket = process.env[env.publicBucket];
  if (bucket) return new S3BlobStore(bucket);
  return new FsBlobStore(process.env[env.publicDir] ?? '.data/public');
}

/** The scoring and publishing leases: `LEASE_TTL_MS` (the local stack sets a short one, so a killed stack's lease lapses fast). */
export function leaseOptions(): LeaseOptions {
  return { ttlMs: Number(process.env.LEASE_TTL_MS ?? DEFAULT_LEASE_TTL_MS) };
}
