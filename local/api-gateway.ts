/**
 * Locally, HTTP requests become API Gateway v2 (HTTP API) events for the real handlers,
 * and their results become HTTP responses — the handlers cannot tell the difference.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiPaths } from '../functions/src/routes.ts';

type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Past API Gateway's own 10 MB limit the request never reaches a function.
    if (size > limit) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The request path, percent-decoded, or null when it cannot be served as it stands: a malformed escape (`%E0%A4`),
 * a NUL or backslash, or dot segments and doubled slashes that only appear once decoded (`/embed/..%2findex.html`,
 * which would otherwise reach a file outside the folder it names). URL parsing already resolves literal ones.
 */
export function decodedPath(pathname: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return /[\\\0]/.test(path) || posix.normalize(path) !== path ? null : path;
}

/**
 * The API Gateway route a request path takes, from the route table: `{name}` is one segment, a trailing `{name+}`
 * one or more; undefined when none does (API Gateway answers 404).
 */
export function gatewayRoute(rawPath: string) {
  return apiPaths().find(({ path }) => gatewayPattern(path).test(rawPath));
}

function gatewayPattern(path: string): RegExp {
  const segments = path.split('/').map((segment) => {
    if (/^\{[^}]+\+\}$/.test(segment)) return '.+';
    if (/^\{[^}]+\}$/.test(segment)) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  // A trailing slash is the same path, as the functions' router takes it.
  return new RegExp(`^${segments.join('/')}/?$`);
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    // Generous, like a function configured with a long timeout: local runs are never cut short.
    getRemainingTimeInMillis: () => 15 * 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function toEvent(request: IncomingMessage, body: Buffer, routeKey: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  return apiEvent({ method: request.method ?? 'GET', url: request.url ?? '/', headers, body, routeKey, sourceIp: request.socket.remoteAddress ?? undefined });
}

/** The event API Gateway (HTTP API, payload 2.0) sends a function for a request: `url` is the path and query as sent. */
export function apiEvent(request: { method: string; url: string; headers?: Record<string, string>; body?: Buffer; routeKey?: string; sourceIp?: string }): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://localhost');
  const headers = request.headers ?? {};
  const body = request.body ?? Buffer.alloc(0);
  const routeKey = request.routeKey ?? '$default';
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const isText = /json|csv|text|ndjson/.test(headers['content-type'] ?? 'application/json');
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: request.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body.length > 0 ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

export async function invokeHttp(handler: ApiHandler, name: string, request: IncomingMessage, response: ServerResponse, body: Buffer, routeKey: string) {
  const result = (await handler(toEvent(request, body, routeKey), lambdaContext(name))) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
  };
  response.writeHead(result.statusCode, result.headers ?? {});
  response.end(result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}
