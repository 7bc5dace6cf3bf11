/**
 * The API answers CloudFront only. An HTTP API cannot take a WAF web ACL, and its execute-api
 * endpoint cannot be switched off while CloudFront's origin is that endpoint, so CloudFront sends a
 * secret origin header (generated in Secrets Manager at deploy time, never in the repository) and a
 * Lambda authorizer on every route compares it. A request straight to execute-api has no header: API
 * Gateway refuses it with 401 before any function runs; a wrong value gets 403. The authorizer's
 * answer is cached per header value, so CloudFront's traffic invokes it about once per cache period.
 *
 * The authorizer accepts the secret's current and previous versions, re-read every few minutes, so a
 * rotation (put a new value, then point CloudFront at it) never refuses CloudFront's requests.
 */

/** Lower case: HTTP API lower-cases header names in the authorizer event. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
/** API Gateway caches an allow/deny per header value this long. */
export const AUTHORIZER_CACHE_SECONDS = 300;
/** The authorizer re-reads the secret after this long (a rotated value is honoured within it). */
export const SECRET_REFRESH_MS = 5 * 60 * 1000;

/**
 * The authorizer (Node.js, CommonJS, inline: it needs only the runtime's AWS SDK). Simple responses:
 * `{ isAuthorized }`. It fails closed: if the secret cannot be read it throws (API Gateway answers 500,
 * nothing is cached, the Errors alarm fires) instead of caching a denial for a valid header.
 */
export function originVerifyAuthorizerCode(): string {
  return `'use strict';
const { createHash, timingSafeEqual } = require('node:crypto');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const HEADER = ${JSON.stringify(ORIGIN_VERIFY_HEADER)};
const REFRESH_MS = ${SECRET_REFRESH_MS};
const client = new SecretsManagerClient({});
const digest = (value) => createHash('sha256').update(value, 'utf8').digest();
let cached;

async function stage(name) {
  try {
    const reply = await client.send(new GetSecretValueCommand({ SecretId: process.env.ORIGIN_SECRET_ARN, VersionStage: name }));
    return typeof reply.SecretString === 'string' && reply.SecretString !== '' ? digest(reply.SecretString) : undefined;
  } catch (error) {
    // A secret never rotated has no AWSPREVIOUS version.
    if (name === 'AWSPREVIOUS' && error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function accepted(now) {
  if (!cached || now - cached.at > REFRESH_MS) {
    const values = (await Promise.all([stage('AWSCURRENT'), stage('AWSPREVIOUS')])).filter(Boolean);
    if (values.length === 0) throw new Error('origin secret has no value');
    cached = { at: now, values };
  }
  return cached.values;
}

exports.handler = async (event) => {
  const given = event && event.headers ? event.headers[HEADER] : undefined;
  if (typeof given !== 'string' || given === '') return { isAuthorized: false };
  const candidate = digest(given);
  const values = await accepted(Date.now());
  let match = false;
  for (const value of values) match = timingSafeEqual(candidate, value) || match;
  return { isAuthorized: match };
};
`;
}
