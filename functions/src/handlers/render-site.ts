/**
 * The `SitePage` custom resource of the web stack (thin wrapper around services/render-site.ts): after
 * each deploy of a new site build, renders index.html and the import map from the module registry.
 * Called by CDK's provider framework, which reports to CloudFormation: return on success, throw on failure.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { blobStore, logger } from '../commons/runtime.ts';
import { dynamoClient, tableName } from '../store/dynamodb/client.ts';
import { DynamoStateStore } from '../store/dynamodb/state-store.ts';
import { env } from '../store/tables.ts';
import { onSitePageEvent } from '../services/render-site.ts';

export const handler = middy<CloudFormationCustomResourceEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const blobs = blobStore();
    // Only the state table: this function has no records table to name.
    const state = new DynamoStateStore(dynamoClient(), tableName(env.stateTable));
    const reply = await onSitePageEvent(event, { state, blobs, site: blobs });
    logger.info(`site page: ${event.RequestType}`, { reply });
    return reply;
  });
