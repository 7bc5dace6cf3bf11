import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { cityConfig } from '../commons/config.ts';
import { logger, metrics, stores } from '../commons/runtime.ts';
import { refreshScores } from '../services/refresh-scores.ts';

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => {
    const city = cityConfig();
    const result = await refreshScores(stores(), {
      units: city.units,
      method: city.method,
      fields: city.fields,
      firstMonth: city.firstMonth,
      now: Date.now,
      settleMs: Number(process.env.SCORE_SETTLE_MS ?? 2_000),
    });
    metrics.addMetric('UnitsScored', MetricUnit.Count, result.units);
    metrics.addMetric('PeriodsScored', MetricUnit.Count, result.periods.length);
    if (result.units > 0) logger.info('scored', { units: result.units, periods: result.periods.length });
    return result;
  });
