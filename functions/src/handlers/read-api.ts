import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { apiHandler } from '../commons/http.ts';
import { loadCity } from '../commons/city.ts';
import { blobStore, logger, stores } from '../commons/runtime.ts';
import { readRoutes } from '../services/read-api.ts';

export const handler = apiHandler(
  'read-api',
  () => {
    const city = loadCity();
    return readRoutes(
      { state: stores().state, blobs: blobStore() },
      { structure: city.structure, methods: city.methods, fields: city.fields, firstMonth: city.firstMonth, now: Date.now },
    );
  },
  (error) => logger.error('read failed', error as Error),
).use(injectLambdaContext(logger));
