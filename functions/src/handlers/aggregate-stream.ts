import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger, stores } from '../commons/runtime.ts';
import { markDirtyFromStream } from '../services/mark-dirty.ts';

/** Throws on failure so the event source mapping retries (and bisects) the batch. */
export const handler = middy<DynamoDBStreamEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const result = await markDirtyFromStream({ state: stores().state }, event);
    logger.debug('noted for counting', { streamRecords: event.Records.length, ...result });
    return result;
  });
