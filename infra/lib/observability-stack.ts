/**
 * Alarms and the dashboard for the whole product. Functions log JSON (Powertools, Lambda JSON log
 * format) and emit metrics under the `BanDoTheChe` namespace; this stack watches the AWS metrics that
 * need no cooperation from the code, so an alarm fires even when a handler cannot run at all.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';
import type { AppFunction } from './app-function.ts';
import { runsSkippedMetric } from '../../functions/src/services/lease.ts';
import { METRICS_SERVICE, PIPELINE_METRICS } from '../../functions/src/commons/pipeline-metrics.ts';
import { METRICS_NAMESPACE } from './app-function.ts';

export interface ObservabilityStackProps extends StackProps {
  config: AppConfig;
  apiFunctions: AppFunction[];
  aggregate: AppFunction;
  score: AppFunction;
  publish: AppFunction;
  deadLetters: sqs.IQueue;
  api: apigw.IHttpApi;
  tables: dynamodb.ITable[];
  distribution: cloudfront.IDistribution;
}

const FIVE_MINUTES = Duration.minutes(5);
/** Accepted records not scored after this long page someone: the scorer runs but falls behind. */
export const SCORER_LAG_ALARM_SECONDS = 15 * 60;

/** A metric the handlers emit with Powertools (namespace BanDoTheChe, dimension service). */
export const pipelineMetric = (metricName: string, statistic: string, period = Duration.minutes(1), label?: string) =>
  new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: METRICS_SERVICE }, period, statistic, label });

export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config, apiFunctions, aggregate, score, publish, deadLetters, api, tables, distribution } = props;
    const functions = [...apiFunctions, aggregate, score, publish];

    this.topic = new sns.Topic(this, 'Alarms', { displayName: `${config.prefix} alarms`, enforceSSL: true });
    // Context `alarmEmail`: each address gets a subscription (AWS e-mails it a confirmation link first).
    for (const address of config.alarmEmails) this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (name: string, props: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, name, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      return created;
    };

    for (const fn of functions) {
      const id = fn.node.id;
      alarm(`${id}Errors`, {
        alarmDescription: `${fn.handlerName}: invocations failed`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: apiFunctions.includes(fn) ? 5 : 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${id}Throttles`, {
        alarmDescription: `${fn.handlerName}: invocations throttled (account or reserved concurrency)`,
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    const apiMetric = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: api.apiId }, period: FIVE_MINUTES, statistic });
    alarm('Api5xx', {
      alarmDescription: 'API: server errors',
      metric: apiMetric('5xx'),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    alarm('DeadLetters', {
      alarmDescription: 'Stream batches failed after every retry: their records are not in the scores (see OPERATIONS.md, replay)',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    const iteratorAge = new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName: 'IteratorAge',
      dimensionsMap: { FunctionName: aggregate.functionName },
      period: FIVE_MINUTES,
      statistic: 'Maximum',
    });
    alarm('StreamBacklog', {
      alarmDescription: 'The aggregate function is more than 5 minutes behind the records stream',
      metric: iteratorAge,
      threshold: 5 * 60 * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
    });

    // Stale scores: the schedules run every minute; ten minutes without one clean run means the scores
    // (or the snapshots) the public sees are falling behind the records. Missing data counts as stale.
    // A tick that found the job's lease held (another run still going) is no clean run: a run stuck
    // for the whole Lambda limit does not hide behind the ticks that give way to it.
    const cleanRuns = (fn: AppFunction, job: 'scoring' | 'publishing') => {
      const key = fn.handlerName.replace(/[^a-z0-9]/g, '_');
      return new cloudwatch.MathExpression({
        expression: `FILL(invocations_${key}, 0) - FILL(errors_${key}, 0) - FILL(skipped_${key}, 0)`,
        usingMetrics: {
          [`invocations_${key}`]: fn.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
          [`errors_${key}`]: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          // Powertools metrics (functions/src/commons/runtime.ts): namespace BanDoTheChe, dimension service.
          [`skipped_${key}`]: pipelineMetric(runsSkippedMetric(job), 'Sum', FIVE_MINUTES),
        },
        period: FIVE_MINUTES,
        label: `${fn.handlerName} clean runs`,
      });
    };
    alarm('StaleScores', {
      alarmDescription: 'No successful scoring run for 10 minutes: published scores are stale',
      metric: cleanRuns(score, 'scoring'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm('StaleSnapshots', {
      alarmDescription: 'No successful publish run for 10 minutes: snapshots under /data are stale',
      metric: cleanRuns(publish, 'publishing'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    // Accepted → published: the oldest accepted write not scored yet, measured by each publishing run.
    const scorerLag = pipelineMetric(PIPELINE_METRICS.scorerLagSeconds, 'Maximum', Duration.minutes(1), 'oldest accepted write not yet scored (s)');
    alarm('ScorerLag', {
      alarmDescription: `Records accepted more than ${SCORER_LAG_ALARM_SECONDS / 60} minutes ago are not in the scores yet: scoring runs but falls behind`,
      metric: pipelineMetric(PIPELINE_METRICS.scorerLagSeconds, 'Maximum', FIVE_MINUTES),
      threshold: SCORER_LAG_ALARM_SECONDS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
    });

    // Read and write throttle events of a table and its indexes (on-demand tables throttle on hot keys).
    const tableThrottles = tables.map(
      (table) =>
        new cloudwatch.MathExpression({
          expression: `FILL(reads_${table.node.id}, 0) + FILL(writes_${table.node.id}, 0)`,
          usingMetrics: {
            [`reads_${table.node.id}`]: table.metric('ReadThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
            [`writes_${table.node.id}`]: table.metric('WriteThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
          },
          period: FIVE_MINUTES,
          label: `${table.node.id} throttle events`,
        }),
    );
    tables.forEach((table, index) =>
      alarm(`${table.node.id}Throttles`, {
        alarmDescription: `DynamoDB ${table.node.id}: requests throttled`,
        metric: tableThrottles[index],
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      }),
    );

    // The dashboard.
    const fnMetric = (label: string, metric: (fn: AppFunction) => cloudwatch.IMetric) =>
      new cloudwatch.GraphWidget({ title: label, width: 8, left: functions.map(metric) });
    const cloudFront = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        region: 'us-east-1', // CloudFront publishes its metrics there only
        dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
        period: FIVE_MINUTES,
        statistic,
      });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.prefix}-operations`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.node.children.filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm) }),
    );
    // The pipeline at a glance: what arrives, what is refused, how far behind the public figures are, what fails.
    const perMinute = (name: string, label: string) => pipelineMetric(name, 'Sum', Duration.minutes(1), label);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Ingest: records per minute',
        width: 6,
        left: [perMinute(PIPELINE_METRICS.recordsAccepted, 'accepted'), perMinute(PIPELINE_METRICS.recordsUnchanged, 'unchanged (resent)')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Ingest: records rejected per minute',
        width: 6,
        left: [perMinute(PIPELINE_METRICS.recordsRejected, 'rejected')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Scorer lag: accepted → scored (published within a minute)',
        width: 6,
        left: [scorerLag],
        right: [pipelineMetric(PIPELINE_METRICS.pendingWrites, 'Maximum', Duration.minutes(1), 'writes and periods not yet published')],
        leftAnnotations: [{ value: SCORER_LAG_ALARM_SECONDS, label: 'ScorerLag alarm' }],
      }),
      new cloudwatch.GraphWidget({
        title: 'Errors: functions and API 5xx',
        width: 6,
        left: [
          new cloudwatch.MathExpression({
            expression: 'SUM(METRICS("fnerr"))',
            usingMetrics: Object.fromEntries(functions.map((fn, index) => [`fnerr${index}`, fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' })])),
            period: Duration.minutes(1),
            label: 'function errors',
          }),
          apiMetric('5xx').with({ period: Duration.minutes(1), label: 'API 5xx' }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests and errors', width: 8, left: [apiMetric('Count'), apiMetric('4xx'), apiMetric('5xx')] }),
      new cloudwatch.GraphWidget({ title: 'API latency (p50, p99)', width: 8, left: [apiMetric('Latency', 'p50'), apiMetric('Latency', 'p99')] }),
      new cloudwatch.GraphWidget({
        title: 'CloudFront requests and error rate',
        width: 8,
        left: [cloudFront('Requests', 'Sum')],
        right: [cloudFront('4xxErrorRate', 'Average'), cloudFront('5xxErrorRate', 'Average')],
      }),
    );
    this.dashboard.addWidgets(
      fnMetric('Invocations', (fn) => fn.metricInvocations({ label: fn.handlerName })),
      fnMetric('Errors', (fn) => fn.metricErrors({ label: fn.handlerName })),
      fnMetric('Throttles', (fn) => fn.metricThrottles({ label: fn.handlerName })),
    );
    this.dashboard.addWidgets(
      fnMetric('Duration p99', (fn) => fn.metricDuration({ label: fn.handlerName, statistic: 'p99' })),
      new cloudwatch.GraphWidget({ title: 'Stream backlog (iterator age) and dead letters', width: 8, left: [iteratorAge], right: [deadLetters.metricApproximateNumberOfMessagesVisible()] }),
      new cloudwatch.GraphWidget({ title: 'Scoring and publishing: clean runs per 5 min', width: 8, left: [cleanRuns(score, 'scoring'), cleanRuns(publish, 'publishing')] }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'DynamoDB consumed capacity',
        width: 12,
        left: tables.map((t) => t.metricConsumedWriteCapacityUnits({ label: `${t.node.id} writes` })),
        right: tables.map((t) => t.metricConsumedReadCapacityUnits({ label: `${t.node.id} reads` })),
      }),
      new cloudwatch.GraphWidget({ title: 'DynamoDB throttled requests', width: 12, left: tableThrottles }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Recent errors (structured logs)',
        width: 24,
        logGroupNames: functions.map((fn) => fn.logGroupRef.logGroupName),
        queryLines: ['fields @timestamp, service, level, message, error.message', 'filter level = "ERROR"', 'sort @timestamp desc', 'limit 50'],
      }),
    );

    new CfnOutput(this, 'AlarmTopicArn', { value: this.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${config.prefix}-operations`,
    });
  }
}
