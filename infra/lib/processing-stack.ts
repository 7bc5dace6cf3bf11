/**
 * The write path behind the API: the records table's stream feeds the aggregate function (bisect on
 * error, failures to a dead-letter queue); two schedules run scoring and publishing every minute.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';
import { AppFunction } from './app-function.ts';
import { WRITE_STATE, allowRead, allowWrite } from './permissions.ts';
import { DEFAULT_LEASE_TTL_MS } from '../../functions/src/services/lease.ts';
import { env } from '../../functions/src/config.ts';

export interface ProcessingStackProps extends StackProps {
  config: AppConfig;
  records: dynamodb.ITable;
  state: dynamodb.ITable;
  bucket: s3.IBucket;
}

export class ProcessingStack extends Stack {
  readonly aggregate: AppFunction;
  readonly score: AppFunction;
  readonly publish: AppFunction;
  readonly deadLetters: sqs.Queue;
  readonly scoreSchedule: events.Rule;
  readonly publishSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: ProcessingStackProps) {
    super(scope, id, props);
    const { config, records, state, bucket } = props;
    const environment = { [env.recordsTable]: records.tableName, [env.stateTable]: state.tableName, [env.city]: config.city };
    const common = { logRetentionDays: config.logRetentionDays };

    // Holds pointers (shard, sequence numbers) to the batches that kept failing; replay them from the
    // table itself, which keeps every record for 24 hours in the stream and for ever in the table.
    this.deadLetters = new sqs.Queue(this, 'StreamDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.aggregate = new AppFunction(this, 'AggregateStream', {
      ...common,
      handler: 'aggregate-stream',
      description: 'Records stream → mark (unit, period) dirty in the state table',
      environment,
      timeout: Duration.seconds(60),
    });
    allowRead(this.aggregate, state);
    allowWrite(this.aggregate, state, WRITE_STATE);
    this.aggregate.addEventSource(
      new DynamoEventSource(records, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 8,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );

    // Schedules: the next tick is the retry, so no async retries that would overlap it. Each run takes a lease
    // in the state table first (one scorer, one publisher at a time): a tick that finds it held returns at once,
    // so a run may take longer than the schedule's minute, up to the Lambda limit, renewing its lease as it goes.
    // A run that dies holding it delays the next ones by LEASE_TTL_MS at most.
    const leased = { ...environment, [env.leaseTtlMs]: String(DEFAULT_LEASE_TTL_MS) };
    this.score = new AppFunction(this, 'ScoreDirty', {
      ...common,
      handler: 'score-dirty',
      description: 'Every minute (one run at a time): recompute the scores of dirty units with the pure engine',
      environment: leased,
      memorySize: 1769,
      timeout: Duration.minutes(15),
      retryAttempts: 0,
    });
    allowRead(this.score, records); // a dirty unit's records, through the byUnit index
    allowRead(this.score, state);
    allowWrite(this.score, state, WRITE_STATE);

    this.publish = new AppFunction(this, 'PublishSnapshots', {
      ...common,
      handler: 'publish-snapshots',
      description: 'Every minute (one run at a time): write the changed JSON and CSV snapshots under data/ in the public bucket',
      environment: { ...leased, [env.publicBucket]: bucket.bucketName },
      timeout: Duration.minutes(15),
      retryAttempts: 0,
    });
    allowRead(this.publish, state);
    allowWrite(this.publish, state, WRITE_STATE); // clears its publish queue
    this.publish.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'Snapshots', actions: ['s3:GetObject', 's3:PutObject'], resources: [bucket.arnForObjects('data/*')] }),
    );
    // Without ListBucket a missing snapshot reads as 403 instead of 404. Key names are public anyway.
    this.publish.addToRolePolicy(new iam.PolicyStatement({ sid: 'MissingIsNotFound', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));

    const everyMinute = events.Schedule.rate(Duration.minutes(1));
    const target = (fn: lambda.IFunction) => new targets.LambdaFunction(fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    this.scoreSchedule = new events.Rule(this, 'ScoreSchedule', { schedule: everyMinute, targets: [target(this.score)], description: 'Score dirty units' });
    this.publishSchedule = new events.Rule(this, 'PublishSchedule', { schedule: everyMinute, targets: [target(this.publish)], description: 'Publish changed snapshots' });

    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetters.queueUrl });
  }
}
