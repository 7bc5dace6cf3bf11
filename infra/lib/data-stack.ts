/**
 * Everything stateful, in one stack that is retained on deletion: the DynamoDB tables (built from
 * the same definitions the local stack uses) and the public bucket (site, module bundles, snapshots).
 * Every other stack is stateless and can be destroyed and recreated without losing anything.
 */
import { Duration, RemovalPolicy, Stack, type StackProps, CfnOutput } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { recordsTable, stateTable, type KeyAttribute, type TableDefinition } from '../../functions/src/store/tables.ts';
import { PINS_PREFIX } from '../../shared-types/src/snapshots.ts';
import { PREVIEW, STAGING_PREFIX } from '../../functions/src/domain/modules/rules.ts';
import type { AppConfig } from '../config.ts';

const attribute = (key: KeyAttribute): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

const streamView: Record<NonNullable<TableDefinition['stream']>, dynamodb.StreamViewType> = {
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  KEYS_ONLY: dynamodb.StreamViewType.KEYS_ONLY,
};

/** A table from its shared definition: keys, stream, indexes and TTL come from `tables.ts`, never restated here. */
export function tableFromDefinition(scope: Construct, definition: TableDefinition): dynamodb.Table {
  const table = new dynamodb.Table(scope, definition.id, {
    partitionKey: attribute(definition.partitionKey),
    sortKey: definition.sortKey ? attribute(definition.sortKey) : undefined,
    stream: definition.stream ? streamView[definition.stream] : undefined,
    timeToLiveAttribute: definition.timeToLiveAttribute,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: attribute(index.partitionKey),
      sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

export interface DataStackProps extends StackProps {
  /** Days the access logs (S3 server access logs, CloudFront standard logs) are kept. */
  logRetentionDays: number;
  /** The pinned snapshots' lifecycle (context `pinRetention`). */
  pinRetention: AppConfig['pinRetention'];
}

/** Prefixes in the access-log bucket. */
export const LOG_PREFIX = { bucket: 's3/public-bucket/', cloudFront: 'cloudfront/' };

/**
 * Pinned snapshots are written once and read by the embeds of articles, mostly in the days after
 * publication: to cheaper classes that still answer CloudFront at once (never a Glacier class that needs a
 * restore), then deleted by the policy operators promise journalists (docs/JOURNALISTS.md).
 */
export function pinLifecycle(pins: AppConfig['pinRetention']): s3.LifecycleRule {
  return {
    id: 'pinned-snapshots',
    prefix: PINS_PREFIX,
    transitions: [
      { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(pins.infrequentAccessAfterDays) },
      { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(pins.archiveAfterDays) },
    ],
    expiration: pins.expireAfterDays > 0 ? Duration.days(pins.expireAfterDays) : undefined,
  };
}

export class DataStack extends Stack {
  readonly records: dynamodb.Table;
  readonly state: dynamodb.Table;
  readonly bucket: s3.Bucket;
  /** Access logs of the public bucket and of CloudFront (who read or wrote what, from where). */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.records = tableFromDefinition(this, recordsTable);
    this.state = tableFromDefinition(this, stateTable);

    // CloudFront's standard logs need object ACLs (the log delivery account writes them with
    // bucket-owner-full-control), hence BUCKET_OWNER_PREFERRED; S3 server access logs are allowed by
    // the bucket policy (feature flag serverAccessLogsUseBucketPolicy). Visitors' IP addresses are
    // personal data: kept no longer than the function logs.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.logRetentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    // Private: only CloudFront (origin access control) reads it. Its one bucket policy lives in the web
    // stack, beside the distribution it names; a second policy here would overwrite that one.
    this.bucket = new s3.Bucket(this, 'PublicBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: LOG_PREFIX.bucket,
      // Objects under 128 KB never change storage class (Standard-IA and Glacier bill them as 128 KB).
      transitionDefaultMinimumObjectSize: s3.TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
      lifecycleRules: [
        // Snapshots are rewritten every minute and rebuilt from the tables at will: keep old copies a day.
        // A delete marker left alone (a pin expired below, once its old version is gone) goes too.
        { id: 'snapshot-history', prefix: 'data/', noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true },
        pinLifecycle(props.pinRetention),
        // A deploy's staged module files: the registry copied what it accepted, the deploy deletes them; leftovers go in a day.
        { id: 'staged-module-files', prefix: STAGING_PREFIX, expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
        // Preview pages (the site with a module version not yet live): a week to look, then gone.
        { id: 'module-previews', prefix: PREVIEW.prefix, expiration: Duration.days(7), noncurrentVersionExpiration: Duration.days(1) },
        // Overwritten site files (import map, index.html): a quarter of history for forensics.
        { id: 'site-history', noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    new CfnOutput(this, 'RecordsTableName', { value: this.records.tableName });
    new CfnOutput(this, 'StateTableName', { value: this.state.tableName });
    new CfnOutput(this, 'PublicBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'AccessLogBucketName', { value: this.accessLogs.bucketName });
  }
}
