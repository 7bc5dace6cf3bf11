import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bodyText, header, json, jsonErrors } from '../commons/http.ts';
import { loadCity } from '../commons/city.ts';
import { logger, metrics, stores } from '../commons/runtime.ts';
import { PIPELINE_METRICS } from '../commons/pipeline-metrics.ts';
import { registryOf } from '../domain/ingest/classify.ts';
import { ingestRecords, readStoredRecord } from '../services/ingest-records.ts';

let registry: ReturnType<typeof registryOf> | undefined;

/** POST /api/v1/records (send records) and GET /api/v1/records/{type}/{id} (a stored copy and its writer): both need an ingest key. */
export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(jsonErrors((error) => logger.error('ingest failed', error as Error)))
  .handler(async (event) => {
    const city = loadCity();
    registry ??= registryOf(city.structure, city.fields.map((field) => field.code));
    const deps = { ...stores(), registry, now: Date.now };
    const authorization = header(event, 'authorization');
    if (event.requestContext?.http?.method === 'GET') return json(200, await readStoredRecord(deps, { authorization, rawPath: event.rawPath }));
    const reply = await ingestRecords(deps, { authorization, contentType: header(event, 'content-type'), type: event.queryStringParameters?.type, body: bodyText(event) });
    const rejected = reply.rejected.length + (reply.omitted?.rejected ?? 0);
    logger.info('ingested', { accepted: reply.accepted, unchanged: reply.unchanged, rejected, pending: reply.pending.length + (reply.omitted?.pending ?? 0) });
    metrics.addMetric(PIPELINE_METRICS.recordsAccepted, MetricUnit.Count, reply.accepted);
    metrics.addMetric(PIPELINE_METRICS.recordsRejected, MetricUnit.Count, rejected);
    metrics.addMetric(PIPELINE_METRICS.recordsUnchanged, MetricUnit.Count, reply.unchanged);
    // Published here, not by the middleware: reads and refused keys have no metric, and no "empty metrics" warning.
    metrics.publishStoredMetrics();
    return json(200, reply);
  });
