import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { refreshScores } from '../services/refresh-scores.ts';
import { runsSkippedMetric } from '../services/lease.ts';

export function scoreDirtyHandler(runtime: Runtime) {
  const { logger, metrics } = runtime;
  return middy()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async () => {
      const city = runtime.city();
      const result = await refreshScores(runtime.stores(), {
        structure: city.structure,
        methods: city.methods,
        fields: city.fields,
        firstMonth: city.firstMonth,
        now: Date.now,
        lease: runtime.lease,
      });
      metrics.addMetric('RecordsCounted', MetricUnit.Count, result.records);
      metrics.addMetric('PeriodsScored', MetricUnit.Count, result.periods.length);
      metrics.addMetric(runsSkippedMetric('scoring'), MetricUnit.Count, result.skipped ? 1 : 0);
      // Held elsewhere is the normal answer while a long run goes on; lost means this run outlived its lease.
      if (result.skipped === 'lost') logger.warn('scoring lease lost: run stopped, the next holder redoes its work');
      else if (result.skipped) logger.info('scoring lease held by another run: nothing done');
      if (result.records > 0 || result.periods.length > 0) logger.info('scored', { records: result.records, periods: result.periods.length });
      return result;
    });
}

export const handler = scoreDirtyHandler(lambdaRuntime());
