import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { jsonErrors } from '../commons/http.ts';
import { loadCity } from '../commons/city.ts';
import { blobStore, logger, stores } from '../commons/runtime.ts';
import { readApi } from '../services/read-api.ts';

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(jsonErrors((error) => logger.error('read failed', error as Error)))
  .handler(async (event) => {
    const city = loadCity();
    return readApi(
      { state: stores().state, blobs: blobStore() },
      { structure: city.structure, methods: city.methods, fields: city.fields, firstMonth: city.firstMonth, now: Date.now },
      { path: event.rawPath, query: event.queryStringParameters ?? {} },
    );
  });
