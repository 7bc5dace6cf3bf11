import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler, json, type RoutesOf } from '../commons/http.ts';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { PIPELINE_METRICS } from '../commons/pipeline-metrics.ts';
import { registryOf } from '../domain/ingest/classify.ts';
import { ingestRecords, readStoredRecord, type IngestDeps } from '../services/ingest-records.ts';

/** POST /api/v1/records (send records) and GET /api/v1/records/{type}/{id} (a stored copy and its writer): both need an ingest key. */
function ingestRoutes(runtime: Runtime): RoutesOf<'ingest-records'> {
  const { logger, metrics } = runtime;
  const city = runtime.city();
  const deps: IngestDeps = { ...runtime.stores(), registry: registryOf(city.structure, city.fields.map((field) => field.code)), now: Date.now };
  return {
    async storedRecord({ headers, rawPath }) {
      return json(200, await readStoredRecord(deps, { authorization: headers.authorization, rawPath }));
    },
    async sendRecords({ headers, query, body }) {
      const reply = await ingestRecords(deps, { authorization: headers.authorization, contentType: headers['content-type'], type: query.type, body });
      const rejected = reply.rejected.length + (reply.omitted?.rejected ?? 0);
      logger.info('ingested', { accepted: reply.accepted, unchanged: reply.unchanged, rejected, pending: reply.pending.length + (reply.omitted?.pending ?? 0) });
      metrics.addMetric(PIPELINE_METRICS.recordsAccepted, MetricUnit.Count, reply.accepted);
      metrics.addMetric(PIPELINE_METRICS.recordsRejected, MetricUnit.Count, rejected);
      metrics.addMetric(PIPELINE_METRICS.recordsUnchanged, MetricUnit.Count, reply.unchanged);
      // Published here, not by the middleware: reads and refused keys have no metric, and no "empty metrics" warning.
      metrics.publishStoredMetrics();
      return json(200, reply);
    },
  };
}

export function ingestRecordsHandler(runtime: Runtime) {
  return apiHandler('ingest-records', () => ingestRoutes(runtime), (error) => runtime.logger.error('ingest failed', error as Error)).use(injectLambdaContext(runtime.logger));
}

export const handler = ingestRecordsHandler(lambdaRuntime());
