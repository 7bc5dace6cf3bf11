import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { apiHandler } from '../commons/http.ts';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { readRoutes } from '../services/read-api.ts';

export function readApiHandler(runtime: Runtime) {
  const implement = () => {
    const city = runtime.city();
    return readRoutes(
      { state: runtime.state(), blobs: runtime.blobs() },
      { structure: city.structure, methods: city.methods, fields: city.fields, firstMonth: city.firstMonth, now: Date.now },
    );
  };
  return apiHandler('read-api', implement, (error) => runtime.logger.error('read failed', error as Error)).use(injectLambdaContext(runtime.logger));
}

export const handler = readApiHandler(lambdaRuntime());
