/**
 * The `SitePage` custom resource of the web stack (thin wrapper around services/render-site.ts): after
 * each deploy of a new site build, renders index.html and the import map from the module registry.
 * Called by CDK's provider framework, which reports to CloudFormation: return on success, throw on failure.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { onSitePageEvent } from '../services/render-site.ts';

export function renderSiteHandler(runtime: Runtime) {
  return middy<CloudFormationCustomResourceEvent>()
    .use(injectLambdaContext(runtime.logger))
    .handler(async (event) => {
      // Only the state table: this function has no records table to name.
      const reply = await onSitePageEvent(event, { state: runtime.state(), blobs: runtime.blobs(), site: runtime.blobs() });
      runtime.logger.info(`site page: ${event.RequestType}`, { reply });
      return reply;
    });
}

export const handler = renderSiteHandler(lambdaRuntime());
