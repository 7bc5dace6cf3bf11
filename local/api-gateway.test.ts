import { describe, expect, it } from 'vitest';
import { gatewayRoute } from './api-gateway.ts';
import { routeEntries } from '../functions/src/routes.ts';

describe('the local stack routes as API Gateway does, from the route table', () => {
  it('sends every path of the table to its function, parameters filled in', () => {
    for (const [id, route] of routeEntries) {
      const path = route.path.replace(/\{[^/}]+\+\}/, 'a%2Fb/c').replace(/\{[^/}]+\}/g, 'x');
      expect(gatewayRoute(path), id).toMatchObject({ path: route.path, fn: route.fn });
    }
  });

  it('sends no other path: a parameter is one segment, a greedy one at least one', () => {
    for (const path of ['/api/v1/nothing', '/api/v1/records/dossier', '/api/v1/units/x/y/scores', '/api/v1/modules/x', '/api/v1/modules/x/versions/1', '/api/v1']) {
      expect(gatewayRoute(path), path).toBeUndefined();
    }
  });
});
