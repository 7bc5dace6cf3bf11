import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { cityConfig } from '../commons/config.ts';
import { blobStore, logger, stores } from '../commons/runtime.ts';
import { publishSnapshots } from '../services/publish-snapshots.ts';

export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async () => {
    const city = cityConfig();
    const result = await publishSnapshots({ state: stores().state, blobs: blobStore() }, { units: city.units, method: city.method, fields: city.fields, now: Date.now });
    if (result.periods.length > 0) logger.info('published', { periods: result.periods.length });
    return result;
  });
