import { describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { HttpError, apiHandler, json, type ApiRequest, type RoutesOf } from './http.ts';
import { routeEntries, type ApiFunction } from '../routes.ts';
import { openApiDocument } from '../services/openapi.ts';

const event = (method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}) => {
  const { pathname, searchParams } = new URL(url, 'http://localhost');
  return {
    version: '2.0', rawPath: pathname, headers: options.headers ?? {}, body: options.body, isBase64Encoded: false,
    queryStringParameters: Object.fromEntries(searchParams), requestContext: { http: { method, path: pathname } },
  } as unknown as APIGatewayProxyEventV2;
};
const context = {} as Context;

/** A path of the route, its parameters filled in (a greedy one with two segments). */
const concrete = (path: string) => path.replace(/\{[^/}]+\+\}/, 'a/b').replace(/\{[^/}]+\}/g, 'x');

/** A function whose every route answers 200 with its id and the request it saw. */
function echo<F extends ApiFunction>(fn: F, log = vi.fn()) {
  const implementations = Object.fromEntries(
    routeEntries.filter(([, route]) => route.fn === fn).map(([id]) => [id, async (request: ApiRequest) => json(200, { id, request })]),
  ) as RoutesOf<F>;
  return apiHandler(fn, () => implementations, log);
}

const functions: ApiFunction[] = ['ingest-records', 'read-api', 'module-registry'];
const bodyOf = (reply: { body?: string }) => JSON.parse(reply.body!);

describe('the route table through middy\'s router', () => {
  it('sends every route to its implementation, HEAD as GET', async () => {
    for (const [id, route] of routeEntries) {
      const handler = echo(route.fn);
      const reply = await handler(event(route.method, concrete(route.path)), context);
      expect(reply.statusCode, id).toBe(200);
      expect(bodyOf(reply).id, `${route.method} ${route.path}`).toBe(id);
      if (route.method === 'GET') expect(bodyOf(await handler(event('HEAD', concrete(route.path)), context)).id).toBe(id);
    }
  });

  it('hands the implementation the path parameters, query, body and header names in lower case', async () => {
    const reply = await echo('module-registry')(event('POST', '/api/v1/modules/overview/versions?x=1', { headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' }, body: '{}' }), context);
    expect(bodyOf(reply)).toMatchObject({
      id: 'publishVersion',
      request: { method: 'POST', rawPath: '/api/v1/modules/overview/versions', params: { name: 'overview' }, query: { x: '1' }, headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{}' },
    });
  });

  it('answers 405 naming the allowed methods for another method on a known path, 404 for an unknown path; JSON, never cached', async () => {
    const registry = echo('module-registry');
    const refused = await registry(event('DELETE', '/api/v1/modules/overview/versions'), context);
    expect(refused.statusCode).toBe(405);
    expect(bodyOf(refused)).toEqual({ error: { code: 'method_not_allowed', message: 'DELETE is not allowed on /api/v1/modules/overview/versions (allowed: GET, POST).' } });
    expect(refused.headers).toMatchObject({ allow: 'GET, POST', 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    expect((await registry(event('GET', '/api/v1/modules/overview/retire'), context)).headers).toMatchObject({ allow: 'POST' });
    expect((await echo('ingest-records')(event('GET', '/api/v1/records'), context)).statusCode).toBe(405);
    expect((await echo('read-api')(event('POST', '/api/v1/scores'), context)).statusCode).toBe(405);

    const missing = await echo('read-api')(event('GET', '/api/v1/nothing'), context);
    expect(missing.statusCode).toBe(404);
    expect(bodyOf(missing)).toEqual({ error: { code: 'not_found', message: 'No such endpoint: /api/v1/nothing. See /api/v1/openapi.json.' } });
    expect(missing.headers).toMatchObject({ 'Cache-Control': 'no-store' });
  });

  it('answers what a route throws: an HttpError as its status and body, a malformed escape 400, anything else an opaque 500 that is logged', async () => {
    const log = vi.fn();
    let thrown: unknown;
    const implementations = Object.fromEntries(
      routeEntries.filter(([, route]) => route.fn === 'read-api').map(([id]) => [id, async () => { throw thrown; }]),
    ) as unknown as RoutesOf<'read-api'>;
    const handler = apiHandler('read-api', () => implementations, log);
    const ask = async (error: unknown) => {
      thrown = error;
      const reply = await handler(event('GET', '/api/v1/scores'), context);
      return { status: reply.statusCode, body: bodyOf(reply), headers: reply.headers };
    };

    expect(await ask(new HttpError(400, 'bad_request', 'Query parameter "period" must be a period.', [{ field: 'period' }]))).toMatchObject({
      status: 400, body: { error: { code: 'bad_request', message: 'Query parameter "period" must be a period.', details: [{ field: 'period' }] } }, headers: { 'Cache-Control': 'no-store' },
    });
    expect(await ask(new URIError('URI malformed'))).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(log).not.toHaveBeenCalled();
    const failure = new Error('the table is gone');
    expect(await ask(failure)).toEqual({
      status: 500, body: { error: { code: 'internal', message: 'Internal error; the request was not processed.' } }, headers: expect.objectContaining({ 'Cache-Control': 'no-store' }),
    });
    expect(log).toHaveBeenCalledExactlyOnceWith(failure);
  });

  it('gives every function only its own routes', async () => {
    for (const fn of functions) {
      for (const [id, route] of routeEntries.filter(([, r]) => r.fn !== fn)) {
        // a path another function owns is unknown here (API Gateway never sends it)
        expect((await echo(fn)(event(route.method, concrete(route.path)), context)).statusCode, `${fn} ${id}`).toBe(404);
      }
    }
  });
});

describe('the OpenAPI document', () => {
  it('documents exactly the routes of the table, each with its summary', () => {
    const documented = Object.entries(openApiDocument.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, (operation as { summary: string }).summary]),
    );
    expect(documented.sort()).toEqual(routeEntries.map(([, route]) => [`${route.method} ${route.path.replace('{id+}', '{id}')}`, route.summary]).sort());
    const storedRecord = openApiDocument.paths['/api/v1/records/{type}/{id}'].get as { parameters: { name: string }[] };
    expect(storedRecord.parameters.map((p) => p.name)).toEqual(['type', 'id']);
  });
});
