/**
 * Error reports of modules, one instance for the page: the shell and every module's adapter import it through
 * `@itmap/kit/core`, so a failure both see (a mount that threw) is reported once.
 */
import type { ModuleErrorKind } from '@itmap/shared-types/module-errors';

/** The version of a published module from its URL (`/modules/<name>/<version>/…`); none in dev/tests. */
export function versionOf(url: string | undefined, name: string): string | null {
  if (!url) return null;
  const match = new RegExp(`^/modules/${name}/([^/]+)/`).exec(new URL(url, 'http://site.invalid').pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

const reported = new Set<string>();

/**
 * Tells the registry that this module failed on this page (`POST /api/v1/modules/<name>/errors`, a beacon:
 * nothing waits for it): its version and the kind of failure only, once per kind and page. Counted per module
 * and version for its team (docs/MODULES.md § Error reports). Nothing for a module not served as published.
 */
export function reportModuleError(name: string, url: string | undefined, kind: ModuleErrorKind): void {
  const version = versionOf(url, name);
  if (!version || reported.has(`${name} ${kind}`) || typeof navigator === 'undefined' || typeof navigator.sendBeacon !== 'function') return;
  reported.add(`${name} ${kind}`);
  navigator.sendBeacon(`/api/v1/modules/${name}/errors`, new Blob([JSON.stringify({ version, kind })], { type: 'application/json' }));
}
