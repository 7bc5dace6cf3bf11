import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { cityConfig } from '../commons/config.ts';
import { blobStore, leaseOptions, logger, metrics, stores } from '../commons/runtime.ts';
import { publishSnapshots } from '../services/publish-snapshots.ts';
import { runsSkippedMetric } from '../services/lease.ts';

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => {
    const city = cityConfig();
    const result = await publishSnapshots(
      { state: stores().state, blobs: blobStore() },
      { units: city.units, method: city.method, fields: city.fields, now: Date.now, lease: leaseOptions() },
    );
    metrics.addMetric(runsSkippedMetric('publishing'), MetricUnit.Count, result.skipped ? 1 : 0);
    if (result.skipped === 'lost') logger.warn('publishing lease lost: run stopped, the next holder redoes its work');
    else if (result.skipped) logger.info('publishing lease held by another run: nothing done');
    if (result.written.length > 0) logger.info('published', { periods: result.periods.length, files: result.written.length });
    return result;
  });
