/**
 * How a server maps /embed URLs (the local stack and the browser tests; CloudFront does the
 * same with a function or an origin path rewrite): every extension-less /embed/<chart> path is
 * the embed page; the helper script has a stable URL with a short cache; the page's assets are
 * content-hashed. Nothing under /embed sends X-Frame-Options: embeds are made to be framed.
 */
import { extname } from 'node:path';

export interface EmbedRoute {
  /** file under the built site */
  file: string;
  cacheControl: string;
  /** true for the page: send embed/csp.txt as its Content-Security-Policy header */
  page: boolean;
}

/** `path` is decoded. One with a `.` or `..` segment is no /embed path: `/embed/../index.html` names a file outside it. */
export function embedRoute(path: string): EmbedRoute | null {
  if (path !== '/embed' && !path.startsWith('/embed/')) return null;
  if (path.split(/[/\\]/).some((segment) => segment === '..' || segment === '.')) return null;
  // The page under any name it answers to (its file's own name too): never without its CSP.
  if (!extname(path) || extname(path) === '.html') return { file: '/embed/index.html', cacheControl: 'no-cache', page: true };
  if (path === '/embed/host.js') return { file: path, cacheControl: 'public, max-age=3600', page: false };
  return { file: path, cacheControl: 'public, max-age=31536000, immutable', page: false };
}
