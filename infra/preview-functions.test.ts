/**
 * Preview links on AWS: the site's CloudFront functions (infra/lib/security-headers.ts) select a preview page as
 * the local stack does (`selectPreview`, functions/src/domain/modules/rules.ts): the same requests, the same page,
 * the same cookie. The functions' code is run as CloudFront runs it (a `handler(event)` in a script).
 */
import { describe, expect, it } from 'vitest';
import { SITE_FRAME_ANCESTORS, cspFunctionCode, spaRewriteFunctionCode } from './lib/security-headers.ts';
import { PREVIEW, previewPageKey, selectPreview } from '../functions/src/domain/modules/rules.ts';
import { previewPageOf } from '../functions/src/services/social/share.ts';

type Values = Record<string, { value: string }>;
const load = <T>(code: string) => new Function(`${code}; return handler;`)() as (event: unknown) => T;
const rewrite = load<{ uri: string }>(spaRewriteFunctionCode('/index.html', { preview: true }));
const respond = load<{ cookies: Record<string, { value: string; attributes: string }> }>(cspFunctionCode(SITE_FRAME_ANCESTORS, { preview: true }));

const TOKEN = 'Abcdefghij_klmnop-qrst';
const OTHER = 'Zyxwvutsrq_ponmlk-jihg';

/** One request as CloudFront gives it to both functions, and what the local stack's selectPreview says of it. */
function both(uri: string, query: string | null, cookie: string | null) {
  const querystring: Values = query === null ? {} : { [PREVIEW.param]: { value: query } };
  const cookies: Values = cookie === null ? {} : { [PREVIEW.cookie]: { value: cookie } };
  const request = { uri, querystring, cookies, headers: {} };
  const page = rewrite({ request: structuredClone(request) }).uri;
  const set = respond({ request, response: { statusCode: 200, headers: {}, cookies: {} } }).cookies[PREVIEW.cookie];
  const local = selectPreview(query, cookie === null ? undefined : `other=1; ${PREVIEW.cookie}=${cookie}`, { secure: true });
  return { page, set: set ? `${PREVIEW.cookie}=${set.value}; ${set.attributes}` : undefined, local };
}

describe('the site’s CloudFront functions and preview links', () => {
  it.each([
    ['a link', TOKEN, null, TOKEN],
    ['a link over an older cookie', TOKEN, OTHER, TOKEN],
    ['the cookie', null, TOKEN, TOKEN],
    ['off', PREVIEW.off, TOKEN, null],
    ['nothing', null, null, null],
    ['a malformed token', '../../index', null, null],
    ['a malformed cookie', null, 'x'.repeat(23), null],
  ])('%s: the same page and cookie as the local stack', (_, query, cookie, token) => {
    const { page, set, local } = both('/progress', query, cookie);
    expect(local.token).toBe(token);
    expect(page).toBe(token ? `/${previewPageKey(token)}` : '/index.html');
    expect(set).toBe(local.setCookie);
  });

  it('sets a Secure, HttpOnly cookie for a day; off clears it', () => {
    expect(both('/', TOKEN, null).set).toBe(`${PREVIEW.cookie}=${TOKEN}; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax; Secure`);
    expect(both('/', PREVIEW.off, null).set).toBe(`${PREVIEW.cookie}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure`);
  });

  it('leaves files alone, and the embed and other functions without previews', () => {
    expect(both('/shell/root-config-x.js', TOKEN, TOKEN).page).toBe('/shell/root-config-x.js');
    expect(load<{ uri: string }>(spaRewriteFunctionCode('/embed/index.html'))({ request: { uri: '/embed/scores', querystring: { preview: { value: TOKEN } }, cookies: {} } }).uri).toBe('/embed/index.html');
  });
});

describe('the site’s CloudFront function and social previews', () => {
  const site = load<{ uri: string }>(spaRewriteFunctionCode('/index.html', { preview: true, socialPreviews: true }));
  const ask = (uri: string, query: Record<string, string>, agent?: string) => site({
    request: { uri, querystring: Object.fromEntries(Object.entries(query).map(([k, value]) => [k, { value }])), cookies: {}, headers: agent ? { 'user-agent': { value: agent } } : {} },
  }).uri;
  const robot = 'facebookexternalhit/1.1';

  it.each([
    ['a robot, a unit, a period', '/units/p%C3%A1-1', { period: '2026-11', lang: 'en' }, robot],
    ['a robot, the overview', '/', { period: '2026-Q4' }, 'Twitterbot/1.0'],
    ['a robot without a period', '/units/p-1', {}, robot],
    ['a person', '/units/p-1', { period: '2026-11' }, 'Mozilla/5.0 Chrome/131.0'],
    ['no user agent', '/units/p-1', { period: '2026-11' }, undefined],
  ])('%s: the page the local stack gives (previewPageOf)', (_, uri, query, agent) => {
    expect(ask(uri, query, agent)).toBe(previewPageOf(uri, query, agent ?? '') ?? '/index.html');
  });

  it('a preview link stays a preview link; files stay files', () => {
    expect(ask('/units/p-1', { period: '2026-11', [PREVIEW.param]: TOKEN }, robot)).toBe(`/${previewPageKey(TOKEN)}`);
    expect(ask('/data/scores/2026-11.json', { period: '2026-11' }, robot)).toBe('/data/scores/2026-11.json');
  });
});
