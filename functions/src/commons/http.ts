import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { MiddlewareObj } from '@middy/core';

/** An error the client caused or must know about; everything else becomes an opaque 500. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
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

export function errorResponse(error: unknown): HttpResponse {
  if (error instanceof HttpError) {
    const body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
    return json(error.status, body);
  }
  if (isMalformedEscape(error)) return json(400, { error: { code: 'bad_request', message: 'The URL holds a malformed %-escape.' } });
  // Never leak a stack trace; the log has it.
  return json(500, { error: { code: 'internal', message: 'Internal error; the request was not processed.' } });
}

/** Turns thrown errors into `{error: {code, message, details?}}` with the right status. */
export function jsonErrors(log: (error: unknown) => void = (e) => console.error(e)): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    onError: (request) => {
      if (!(request.error instanceof HttpError) && !isMalformedEscape(request.error)) log(request.error);
      request.response = errorResponse(request.error);
    },
  };
}

/** The raw request body as bytes-decoded text, whatever API Gateway did to it. */
export function bodyText(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
