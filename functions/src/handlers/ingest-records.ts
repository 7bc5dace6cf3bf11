import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bodyText, header, json, jsonErrors } from '../commons/http.ts';
import { cityConfig } from '../commons/config.ts';
import { logger, stores } from '../commons/runtime.ts';
import { registryOf } from '../domain/ingest/classify.ts';
import { ingestRecords } from '../services/ingest-records.ts';

let registry: ReturnType<typeof registryOf> | undefined;

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(jsonErrors((error) => logger.error('ingest failed', error as Error)))
  .handler(async (event) => {
    registry ??= registryOf(cityConfig().units);
    const reply = await ingestRecords(
      { ...stores(), registry, now: Date.now },
      { authorization: header(event, 'authorization'), contentType: header(event, 'content-type'), type: event.queryStringParameters?.type, body: bodyText(event) },
    );
    logger.info('ingested', { accepted: reply.accepted, unchanged: reply.unchanged, rejected: reply.rejected.length, pending: reply.pending.length });
    return json(200, reply);
  });
