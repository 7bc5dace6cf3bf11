import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { markDirtyFromStream } from '../services/mark-dirty.ts';
import type { ScoringStore } from '../store/ports.ts';

/**
 * Answers with the batch's failures (ReportBatchItemFailures, as the event source mapping is configured): the
 * mapping retries the shard from the first record not noted, bisecting as configured, and sends the batch's
 * position to the dead-letter queue when the retries run out.
 */
export function aggregateStreamHandler({ state, logger }: Pick<Runtime, 'logger'> & { state: () => Pick<ScoringStore, 'markRecordsDirty'> }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const { records, batchItemFailures, error } = await markDirtyFromStream({ state: state() }, event);
      if (batchItemFailures.length > 0) {
        logger.error('stream batch not noted: retried from its first record', { streamRecords: event.Records.length, retryFrom: batchItemFailures[0].itemIdentifier, error: error as Error });
      } else {
        logger.debug('noted for counting', { streamRecords: event.Records.length, records });
      }
      return { batchItemFailures };
    });
}

export const handler = aggregateStreamHandler(lambdaRuntime());
