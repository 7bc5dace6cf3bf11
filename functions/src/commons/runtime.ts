/**
 * The composition root: the adapters and options the handlers run on, wired from a `Config` — the same code on
 * AWS (tables + S3 bucket) and locally (DynamoDB Local + a folder). A Lambda function builds its runtime from its
 * environment, read once (`lambdaRuntime`); the local stack builds one from its own configuration (local/stack.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readConfig, tableOf, type Config } from '../config.ts';
import { dynamoClient } from '../store/dynamodb/client.ts';
import { DynamoRecordStore } from '../store/dynamodb/record-store.ts';
import { DynamoStateStore } from '../store/dynamodb/state-store.ts';
import { DynamoTallyStore } from '../store/dynamodb/tally-store.ts';
import { FsBlobStore } from '../store/blobs/fs-blob-store.ts';
import { S3BlobStore } from '../store/blobs/s3-blob-store.ts';
import type { BlobStore, FileStore } from '../store/ports.ts';
import type { LeaseOptions } from '../services/lease.ts';
import { loadCity, type City } from './city.ts';

export interface Runtime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The city's data (loaded and checked once per process; each call makes its time zone the process's). */
  city(): City;
  /** The state table's store (the one table every function has). */
  state(): DynamoStateStore;
  stores(): { records: DynamoRecordStore; state: DynamoStateStore; tallies: DynamoTallyStore };
  /** Where public files are written: the bucket, or locally the public folder. */
  blobs(): FileStore;
  /** Where the site's files are read: the bucket, or locally the public folder over the build, as the local server serves them. */
  site(): Pick<BlobStore, 'get' | 'getBytes'>;
  lease: LeaseOptions;
}

const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

export function runtimeOf(config: Config): Runtime {
  const state = once(() => new DynamoStateStore(dynamoClient(config.dynamodb), tableOf(config, 'state')));
  const blobs = once((): FileStore => ('bucket' in config.publicFiles ? new S3BlobStore(config.publicFiles.bucket) : new FsBlobStore(config.publicFiles.dir)));
  return {
    config,
    logger: new Logger({ serviceName: 'ban-do-the-che', logLevel: config.logLevel }),
    metrics: new Metrics({ namespace: 'BanDoTheChe', serviceName: 'ban-do-the-che' }),
    city: () => loadCity(config.city),
    state,
    stores: once(() => ({
      records: new DynamoRecordStore(dynamoClient(config.dynamodb), tableOf(config, 'records')),
      state: state(),
      tallies: new DynamoTallyStore(dynamoClient(config.dynamodb), tableOf(config, 'state')),
    })),
    blobs,
    site: once(() => {
      if (!config.webDir) return blobs();
      const build = new FsBlobStore(config.webDir);
      return {
        get: async (path: string) => (await blobs().get(path)) ?? build.get(path),
        getBytes: async (path: string) => (await blobs().getBytes(path)) ?? build.getBytes(path),
      };
    }),
    lease: { ttlMs: config.leaseTtlMs },
  };
}

/** A Lambda function's runtime: its environment, read once, on first use. */
export const lambdaRuntime = once(() => runtimeOf(readConfig()));

/** The stores of the tables the environment names: scripts and tests find them as a function does. */
export const stores = () => lambdaRuntime().stores();
