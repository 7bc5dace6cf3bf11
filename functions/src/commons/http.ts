import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import middy, { type MiddlewareObj } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouter, { type Method, type Route } from '@middy/http-router';
import { apiPaths, routeEntries, type ApiFunction, type RouteIdOf } from '../routes.ts';

/** An error the client caused or must know about; everything else becomes an opaque 500. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;
  constructor(status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const noStore = { 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = noStore): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function text(statusCode: number, body: string, contentType: string, headers: Record<string, string> = noStore): HttpResponse {
  return { statusCode, headers: { 'content-type': contentType, ...headers }, body };
}

/** A %-escape that does not decode (`/api/v1/units/%E0/scores`) is the client's error, wherever a handler decodes it. */
const isMalformedEscape = (error: unknown) => error instanceof URIError;

/** The status, body `{error: {code, message, details?}}` and extra headers an error is answered with. */
export function errorReply(error: unknown): { status: number; body: { error: { code: string; message: string; details?: unknown } }; headers?: Record<string, string> } {
  if (error instanceof HttpError) {
    const body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
    return { status: error.status, body, headers: error.headers };
  }
  if (isMalformedEscape(error)) return { status: 400, body: { error: { code: 'bad_request', message: 'The URL holds a malformed %-escape.' } } };
  // Never leak a stack trace; the log has it.
  return { status: 500, body: { error: { code: 'internal', message: 'Internal error; the request was not processed.' } } };
}

/**
 * Gives middy's http-error-handler what it answers with: every error as an exposed HTTP error whose message is
 * our JSON body, never cached. Only what the client did not cause is logged.
 */
function errorBodies(log: (error: unknown) => void): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    onError: (request) => {
      if (!(request.error instanceof HttpError) && !isMalformedEscape(request.error)) log(request.error);
      const { status, body, headers } = errorReply(request.error);
      // http-error-handler writes `Content-Type` itself: the same spelling here replaces it.
      const exposed = Object.assign(new Error(JSON.stringify(body)), {
        statusCode: status,
        expose: true,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
      });
      request.error = exposed;
    },
  };
}

/** What a route's implementation reads of a request. */
export interface ApiRequest {
  method: string;
  /** the path as sent (percent-encoded) */
  rawPath: string;
  /** path parameters as the router matched them */
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** header names in lower case */
  headers: Record<string, string | undefined>;
  /** the body as text, whatever API Gateway did to it */
  body: string;
}

export type RouteHandler = (request: ApiRequest) => Promise<HttpResponse>;
/** The implementation of every route `fn` answers. */
export type RoutesOf<F extends ApiFunction> = Record<RouteIdOf<F>, RouteHandler>;

function apiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    rawPath: event.rawPath ?? '',
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    body: bodyText(event),
  };
}

const ROUTER_METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

/** middy's router knows one greedy parameter, `{proxy+}`; API Gateway names it (`{id+}`). */
const routerPath = (path: string) => path.replace(/\{[^/}]+\+\}$/, '{proxy+}');

/**
 * middy's router over the routes of `fn` in the route table, each answered by its implementation (HEAD as GET).
 * Another method on a known path is 405 naming those allowed; an unknown path 404.
 */
export function apiRouter<F extends ApiFunction>(fn: F, handlers: RoutesOf<F>) {
  const table: Route<APIGatewayProxyEventV2, HttpResponse>[] = [];
  const answer = (handler: RouteHandler) => (event: APIGatewayProxyEventV2) => handler(apiRequest(event));
  for (const [id, route] of routeEntries) {
    if (route.fn !== fn) continue;
    const handler = answer(handlers[id as RouteIdOf<F>]);
    table.push({ method: route.method, path: routerPath(route.path), handler });
    if (route.method === 'GET') table.push({ method: 'HEAD', path: routerPath(route.path), handler });
  }
  for (const { path, methods } of apiPaths().filter((entry) => entry.fn === fn)) {
    const allowed: Method[] = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    const allow = methods.join(', ');
    for (const method of ROUTER_METHODS.filter((m) => !allowed.includes(m))) {
      table.push({
        method, path: routerPath(path),
        handler: async (event: APIGatewayProxyEventV2) => {
          throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${event.rawPath} (allowed: ${allow}).`, undefined, { allow });
        },
      });
    }
  }
  return httpRouter<APIGatewayProxyEventV2, HttpResponse>({
    routes: table,
    notFoundResponse: ({ path }) => {
      throw new HttpError(404, 'not_found', `No such endpoint: ${path}. See /api/v1/openapi.json.`);
    },
  });
}

/**
 * An HTTP function: header names in lower case, the routes of `fn` (`implement` is called once, on the first
 * request), errors answered as JSON bodies; `log` sees what the client did not cause.
 */
export function apiHandler<F extends ApiFunction>(fn: F, implement: () => RoutesOf<F>, log: (error: unknown) => void) {
  let router: ReturnType<typeof apiRouter> | undefined;
  return middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpHeaderNormalizer() as MiddlewareObj<APIGatewayProxyEventV2, HttpResponse>)
    // onError runs last-registered first: errorBodies shapes the error, then http-error-handler answers.
    .use(httpErrorHandler({ logger: false }) as MiddlewareObj<APIGatewayProxyEventV2, HttpResponse>)
    .use(errorBodies(log))
    .handler((event, context) => (router ??= apiRouter(fn, implement()))(event, context));
}

/** The raw request body as bytes-decoded text, whatever API Gateway did to it. */
export function bodyText(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}
