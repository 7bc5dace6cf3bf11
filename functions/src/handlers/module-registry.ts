/** /api/v1/modules*: the module registry (routes.ts; thin wrapper around services/module-registry.ts). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { apiHandler, json, type ApiRequest, type HttpResponse, type RoutesOf } from '../commons/http.ts';
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

const reply = ({ status, body }: { status: number; body: unknown }): HttpResponse => json(status, body);
const publishRequest = ({ headers, params, body }: ApiRequest) => ({ authorization: headers.authorization, name: params.name ?? '', body });

function registryRoutes(): RoutesOf<'module-registry'> {
  return {
    modules: async () => json(200, await listModules(deps())),
    moduleVersions: async ({ params }) => json(200, await moduleHistory(deps(), params.name ?? '')),
    moduleErrors: async (request) => reply(await moduleErrors(deps(), publishRequest(request))),
    reportModuleError: async (request) => reply(await reportModuleError(deps(), publishRequest(request))),
    checkVersion: async (request) => reply(await checkVersion(deps(), publishRequest(request))),
    publishVersion: async (request) => changed('published', await publishVersion(deps(), publishRequest(request)), request),
    previewVersion: async (request) => changed('previewed', await previewVersion(deps(), publishRequest(request)), request),
    rollbackModule: async (request) => changed('rolled back', await rollbackModule(deps(), publishRequest(request)), request),
    retireModule: async (request) => changed('retired', await retireModule(deps(), publishRequest(request)), request),
  };
}

/** A change the registry accepted is logged. */
function changed(what: string, result: { status: number; body: unknown }, request: ApiRequest): HttpResponse {
  logger.info(`module ${what}`, { module: request.params.name });
  return reply(result);
}

export const handler = apiHandler('module-registry', registryRoutes, (error) => logger.error('module registry failed', error as Error)).use(injectLambdaContext(logger));
