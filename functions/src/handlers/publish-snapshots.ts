import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { cityConfig } from '../commons/config.ts';
import { blobStore, leaseOptions, logger, stores } from '../commons/runtime.ts';
import { publishSnapshots } from '../services/publish-snapshots.ts';

export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const city = cityConfig();
    const result = await publishSnapshots(
      { state: stores().state, blobs: blobStore() },
      { units: city.units, method: city.method, fields: city.fields, now: Date.now, lease: leaseOptions() },
    );
    if (result.skipped === 'lost') logger.warn('publishing lease lost: run stopped, the next holder redoes its work');
    else if (result.skipped) logger.info('publishing lease held by another run: nothing done');
    if (result.written.length > 0) logger.info('published', { periods: result.periods.length, files: result.written.length });
    return result;
  });
