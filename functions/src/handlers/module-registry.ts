/** /api/v1/modules*: the module registry (routes.ts; thin wrapper around services/module-registry.ts). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { apiHandler, json, type ApiRequest, type HttpResponse, type RoutesOf } from '../commons/http.ts';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { checkVersion, listModules, moduleErrors, moduleHistory, previewVersion, publishVersion, reportModuleError, retireModule, rollbackModule, type RegistryDeps } from '../services/module-registry.ts';

function registryDeps(runtime: Runtime): RegistryDeps {
  return { state: runtime.state(), blobs: runtime.blobs(), site: runtime.site(), overrides: runtime.config.importMapOverrides };
}

const reply = ({ status, body }: { status: number; body: unknown }): HttpResponse => json(status, body);
const publishRequest = ({ headers, params, body }: ApiRequest) => ({ authorization: headers.authorization, name: params.name ?? '', body });

function registryRoutes(runtime: Runtime): RoutesOf<'module-registry'> {
  const deps = () => registryDeps(runtime);
  /** A change the registry accepted is logged. */
  const changed = (what: string, result: { status: number; body: unknown }, request: ApiRequest): HttpResponse => {
    runtime.logger.info(`module ${what}`, { module: request.params.name });
    return reply(result);
  };
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

export function moduleRegistryHandler(runtime: Runtime) {
  return apiHandler('module-registry', () => registryRoutes(runtime), (error) => runtime.logger.error('module registry failed', error as Error)).use(injectLambdaContext(runtime.logger));
}

export const handler = moduleRegistryHandler(lambdaRuntime());
