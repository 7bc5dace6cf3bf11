/**
 * Content-Security-Policy and the CloudFront Functions that apply it.
 *
 * The shell's native import map is an inline script, allowed by its sha256 — never by 'unsafe-inline'.
 * Its hash changes with every module publish, so no static header can carry it. The registry writes
 * `index.html` (map inline) in one PutObject; the policy with the matching hash travels either
 *  - as the object's metadata `csp` (x-amz-meta-csp), which the viewer-response function below turns
 *    into the Content-Security-Policy header (preferred: a header can also say frame-ancestors), or
 *  - as a <meta http-equiv="Content-Security-Policy"> in the page, in which case the header carries only
 *    the directives below, which leave scripts to the page's policy.
 * Whatever the stored policy says, the function strips 'unsafe-inline'/'unsafe-eval' from script
 * directives and sets frame-ancestors: 'none' for the site, any origin for /embed/*.
 */

import { PREVIEW, PREVIEW_TOKEN } from '../../functions/src/domain/modules/rules.ts';
import { previewPageOf } from '../../functions/src/services/social/share.ts';

/** Directives every HTML response carries when the object brings no policy of its own. */
export const BASE_POLICY = ["object-src 'none'", "base-uri 'self'", "form-action 'self'", 'upgrade-insecure-requests'];
export const SITE_FRAME_ANCESTORS = "frame-ancestors 'none'";
export const EMBED_FRAME_ANCESTORS = 'frame-ancestors *';
/** JSON, CSV and API replies: nothing in them may run or be framed. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Viewer-response function: CSP header from the object's `csp` metadata or the base policy. With `preview`
 * (the site's pages), a `?preview=<token>` request also sets the preview cookie, `?preview=off` clears it
 * (the same cookie as `selectPreview` in functions/src/domain/modules/rules.ts, Secure).
 */
export function cspFunctionCode(frameAncestors: string, options: { preview?: boolean } = {}): string {
  const preview = options.preview
    ? `  var asked = event.request.querystring[${JSON.stringify(PREVIEW.param)}];
  var attributes = 'Path=/; HttpOnly; SameSite=Lax; Secure';
  if (asked && asked.value === ${JSON.stringify(PREVIEW.off)}) response.cookies[${JSON.stringify(PREVIEW.cookie)}] = { value: '', attributes: 'Max-Age=0; ' + attributes };
  else if (asked && TOKEN.test(asked.value)) response.cookies[${JSON.stringify(PREVIEW.cookie)}] = { value: asked.value, attributes: 'Max-Age=${PREVIEW.maxAgeSeconds}; ' + attributes };
`
    : '';
  return `var BASE = ${JSON.stringify(BASE_POLICY.join('; '))};
var FRAME = ${JSON.stringify(frameAncestors)};
var TOKEN = ${PREVIEW_TOKEN.toString()};
function handler(event) {
  var response = event.response;
${preview}  var headers = response.headers;
  var stored = headers['x-amz-meta-csp'];
  delete headers['x-amz-meta-csp'];
  var policy = stored && stored.value ? stored.value : BASE;
  var kept = [];
  policy.split(';').forEach(function (part) {
    var directive = part.trim();
    if (!directive || directive.indexOf('frame-ancestors') === 0) return;
    if (directive.indexOf('script-src') === 0 || directive.indexOf('default-src') === 0) {
      directive = directive.replace(/\\s*'unsafe-(inline|eval|hashes)'/g, '');
    }
    kept.push(directive);
  });
  kept.push(FRAME);
  headers['content-security-policy'] = { value: kept.join('; ') };
  return response;
}
`;
}

/**
 * Viewer-request function: paths without a file extension are views of the single-page app
 * (`/` and `/vi/unit/79` → `/index.html`, `/embed/scores` → `/embed/index.html`). With `preview` (the site),
 * a view asked with `?preview=<token>` or the preview cookie gets `previews/<token>/index.html` instead, the site
 * rendered with a version not yet live (`selectPreview` in functions/src/domain/modules/rules.ts); `?preview=off`
 * the live page. With `socialPreviews`, a link-preview robot asking for a view with a period gets its social preview
 * page (`previewPageOf`), as the local stack answers it.
 */
export function spaRewriteFunctionCode(page: string, options: { preview?: boolean; socialPreviews?: boolean } = {}): string {
  const preview = options.preview
    ? `
    var asked = request.querystring[${JSON.stringify(PREVIEW.param)}];
    var kept = request.cookies[${JSON.stringify(PREVIEW.cookie)}];
    var token = asked ? asked.value : kept ? kept.value : '';
    if (TOKEN.test(token)) request.uri = '/${PREVIEW.prefix}' + token + '/index.html';`
    : '';
  // A link-preview robot gets the view's social preview page (functions/src/services/social/share.ts), not the app.
  const social = options.socialPreviews
    ? `
    if (request.uri === ${JSON.stringify(page)}) {
      var q = request.querystring;
      var agent = request.headers['user-agent'];
      var shared = previewPageOf(uri, { period: q.period ? q.period.value : '', lang: q.lang ? q.lang.value : '' }, agent ? agent.value : '');
      if (shared) request.uri = shared;
    }`
    : '';
  return `var TOKEN = ${PREVIEW_TOKEN.toString()};
${options.socialPreviews ? `${previewPageOf.toString()}\n` : ''}function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = ${JSON.stringify(page)};${preview}${social}
  }
  return request;
}
`;
}
