/** `GET /api/v1/units/{id}/card.png` (thin wrapper around services/social/card-route.ts): a unit's social card. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { apiHandler } from '../commons/http.ts';
import { methodFor } from '../commons/city.ts';
import { lambdaRuntime, type Runtime } from '../commons/runtime.ts';
import { cardRoutes } from '../services/social/card-route.ts';

export function socialCardHandler(runtime: Runtime) {
  const implement = () => {
    const { methods } = runtime.city();
    return cardRoutes({ blobs: runtime.blobs() }, { methodOf: (period) => methodFor(methods, period) });
  };
  return apiHandler('social-card', implement, (error) => runtime.logger.error('card failed', error as Error)).use(injectLambdaContext(runtime.logger));
}

export const handler = socialCardHandler(lambdaRuntime());
