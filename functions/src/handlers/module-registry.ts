/**
 * /api/v1/modules*: the module registry (thin wrapper around services/module-registry.ts).
 *   GET  /api/v1/modules                    live import map + every module's current version
 *   GET  /api/v1/modules/{name}/versions    history
 *   POST /api/v1/modules/{name}/versions    publish (team key scoped to the module)
 *   POST /api/v1/modules/{name}/check       would this version be published? (before uploading its files)
 *   POST /api/v1/modules/{name}/rollback    {version}
 *   POST /api/v1/modules/{name}/retire      out of the site, history kept
 *   POST /api/v1/modules/{name}/preview     record a version and render the site with it at a preview link (not live)
 *   POST /api/v1/modules/{name}/errors      a page's report that the module failed (no key); GET: the counts (team key)
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError, bodyText, header, json, jsonErrors } from '../commons/http.ts';
import { blobStore, logger, stores } from '../commons/runtime.ts';
import { FsBlobStore } from '../store/blobs/fs-blob-store.ts';
import type { BlobStore } from '../store/ports.ts';
import { checkVersion, listModules, moduleErrors, moduleHistory, previewVersion, publishVersion, reportModuleError, retireModule, rollbackModule, type RegistryDeps } from '../services/module-registry.ts';

/** Locally the site is the public folder over the build (`WEB_DIR`), as the local server serves it. */
function siteReader(blobs: BlobStore): RegistryDeps['site'] {
  const webDir = process.env.PUBLIC_BUCKET ? undefined : process.env.WEB_DIR;
  if (!webDir) return blobs;
  const build = new FsBlobStore(webDir);
  return {
    get: async (path) => (await blobs.get(path)) ?? build.get(path),
    getBytes: async (path) => (await blobs.getBytes(path)) ?? build.getBytes(path),
  };
}

/**
 * import-map-overrides: the dev variant of index.html only when ALLOW_IMPORT_MAP_OVERRIDES=true
 * (never set by the CDK app); IMPORT_MAP_OVERRIDES_ORIGINS lists where overridden modules may load from.
 */
function overrides(): RegistryDeps['overrides'] {
  if (process.env.ALLOW_IMPORT_MAP_OVERRIDES !== 'true') return undefined;
  const origins = (process.env.IMPORT_MAP_OVERRIDES_ORIGINS ?? 'http://localhost:* http://127.0.0.1:*').split(/[\s,]+/).filter(Boolean);
  return { origins };
}

function deps(): RegistryDeps {
  const blobs = blobStore();
  return { state: stores().state, blobs, site: siteReader(blobs), overrides: overrides() };
}

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(jsonErrors((error) => logger.error('module registry failed', error as Error)))
  .handler(async (event) => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = (event.rawPath ?? '').replace(/\/+$/, '');
    const match = /^\/api\/v1\/modules(?:\/([^/]+)\/(versions|check|rollback|retire|preview|errors))?$/.exec(path);
    if (!match) throw new HttpError(404, 'not_found', `No route ${path}.`);
    const [, name, action] = match;
    const allow = !name ? 'GET' : action === 'versions' || action === 'errors' ? 'GET, POST' : 'POST';
    if (!allow.split(', ').includes(method === 'HEAD' ? 'GET' : method)) {
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path} (allowed: ${allow}).`);
    }
    if (!name) return json(200, await listModules(deps()));
    const request = { authorization: header(event, 'authorization'), name, body: bodyText(event) };
    if (action === 'errors') {
      const reply = method === 'POST' ? await reportModuleError(deps(), request) : await moduleErrors(deps(), request);
      return json(reply.status, reply.body);
    }
    if (method === 'GET') return json(200, await moduleHistory(deps(), request.name));
    const act = { versions: publishVersion, check: checkVersion, rollback: rollbackModule, retire: retireModule, preview: previewVersion }[action as 'versions' | 'check' | 'rollback' | 'retire' | 'preview'];
    const reply = await act(deps(), request);
    if (action !== 'check') logger.info(`module ${{ versions: 'published', rollback: 'rolled back', retire: 'retired', preview: 'previewed' }[action as 'versions']}`, { module: request.name });
    return json(reply.status, reply.body);
  });
