import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { publishSnapshots } from '../services/publish-snapshots.ts';
import { runsSkippedMetric } from '../services/lease.ts';
import { PIPELINE_METRICS, scorerLagSeconds } from '../commons/pipeline-metrics.ts';

export function publishSnapshotsHandler(runtime: Runtime) {
  const { logger, metrics } = runtime;
  return middy()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async () => {
      const city = runtime.city();
      const state = runtime.state();
      const result = await publishSnapshots(
        { state, blobs: runtime.blobs() },
        { structure: city.structure, methods: city.methods, city, fields: city.fields, now: Date.now, lease: runtime.lease, siteUrl: runtime.config.siteUrl },
      );
      metrics.addMetric(runsSkippedMetric('publishing'), MetricUnit.Count, result.skipped ? 1 : 0);
      // Once a minute, what the public does not see yet: the oldest accepted write's wait, and how much waits
      // (not read where metrics go nowhere: the local stack).
      if (!result.skipped && runtime.config.metrics) {
        const [notes, pending] = await Promise.all([state.listDirty(), state.countPending()]);
        metrics.addMetric(PIPELINE_METRICS.scorerLagSeconds, MetricUnit.Seconds, scorerLagSeconds(notes.map((note) => note.markedAtMs), Date.now()));
        metrics.addMetric(PIPELINE_METRICS.pendingWrites, MetricUnit.Count, pending);
      }
      if (result.skipped === 'lost') logger.warn('publishing lease lost: run stopped, the next holder redoes its work');
      else if (result.skipped) logger.info('publishing lease held by another run: nothing done');
      if (result.written.length > 0) logger.info('published', { periods: result.periods.length, files: result.written.length });
      return result;
    });
}

export const handler = publishSnapshotsHandler(lambdaRuntime());
