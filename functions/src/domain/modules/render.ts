/**
 * Renders the site files that depend on which module versions are live: the import map, modules.json
 * and index.html (the shell's template with the map inline and a CSP that allows exactly the map's
 * sha256). One function for both writers: the web build (scripts/build-web.ts) and the module
 * registry (functions/src/services/module-registry.ts), so they can never disagree. Pure: no I/O.
 *
 * The page carries what the shell needs before its first paint, so nothing moves or waits on a
 * request once it runs: the navigation (Vietnamese, the default locale; `<!-- nav -->`) and the
 * live modules as a JSON data block (`<!-- registry -->`, never executed, so outside the CSP's
 * script rules) that the shell reads instead of fetching modules.json.
 */
import { createHash } from 'node:crypto';
import type { DataSchema } from '../../../../shared-types/src/module-data.ts';

export const SCOPE = '@itmap';
/** Written by the web build next to the shell: the template, the shell info and the build's modules. */
export const REGISTRY_BASE = 'shell/registry-base.json';
/** Shared specifiers every page needs before a module renders: preloaded from index.html. */
export const PRELOAD = ['single-spa', `${SCOPE}/kit/core`, `${SCOPE}/kit`, 'svelte/internal/client', 'svelte/internal/disclose-version'];

export interface ModuleManifest {
  name: string; owner: string; route: string; title: { vi: string; en: string };
  /** The module's own data files and their schemas (docs/MODULES.md § Data of its own). */
  data?: Record<string, DataSchema>;
}
/** One live module as modules.json lists it (what the shell reads). */
export interface ModuleEntry {
  version: string; url: string; integrity: string; css: string | null; cssIntegrity: string | null;
  specifier: string; owner: string; route: string; title: { vi: string; en: string };
}
export interface ImportMap { imports: Record<string, string>; integrity: Record<string, string> }
/** What the shell build produced (shell/shell.json): its own files and the shared runtime. */
export interface ShellInfo {
  js: string; jsIntegrity: string; css: string; cssIntegrity: string;
  shared: Record<string, string>; sharedGraph: Record<string, string[]>;
  /** SRI of every file of the shared build, by URL. */
  sharedIntegrity?: Record<string, string>;
  /** The import-map-overrides script copied by the build (used only by the dev variant). */
  importMapOverrides?: { url: string; integrity: string };
}
/** The dev variant's extra script (import-map-overrides), served as a hashed file of the build. */
export interface OverridesScript { url: string; integrity: string; origins: string[] }

export const sri = (bytes: Uint8Array | string) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** Static-import closure of some shared entries (what a page fetches before it can run them). */
export function closure(graph: Record<string, string[]>, roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (u: string) => { if (seen.has(u)) return; seen.add(u); for (const d of graph[u] ?? []) visit(d); };
  roots.forEach(visit);
  return [...seen];
}

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The site's icon, inline, in the head of every page and embed (no browser then asks for /favicon.ico): a 144-byte
 * PNG, not an SVG, which Chromium renders in a document of its own, a 10–20 ms task on the page's main thread.
 */
export const SITE_ICON = '<link rel="icon" type="image/png" sizes="32x32" href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAV0lEQVR42mNgQAPcMWv/0xIz4AK0thivQ+htOYYjBtQBA2U53BGD1gGEAKXqRx0w6oBRBwx+B4yWhKMOIDdRjTpg1AGjDhg+Dhg5JeFoz2hQdE4HsnsOAELpeOgD2k82AAAAAElFTkSuQmCC">';

/** The id of the page's JSON data block with the live modules (shell/src/root-config.ts reads it). */
export const REGISTRY_ELEMENT_ID = 'itmap-modules';

/** The nav the shell would render in Vietnamese: a link per module whose route has no parameter. */
export function navHtml(modules: Record<string, ModuleEntry>): string {
  return Object.keys(modules).sort().map((name) => modules[name]).filter((m) => !m.route.includes(':'))
    .map((m) => `<li><a href="${escapeHtml(m.route)}">${escapeHtml(m.title.vi)}</a></li>`).join('');
}

export function cspPolicy(importMapText: string, opts: { header: boolean; overrides?: OverridesScript }): string {
  const hash = createHash('sha256').update(importMapText).digest('base64');
  // The dev variant: import-map-overrides writes a NEW inline map at run time, whose hash nobody can
  // know in advance, so that page allows inline scripts (and the developer's origins) instead of the hash.
  // Never rendered unless the registry is configured for it (docs/MODULES.md § import-map-overrides).
  const scripts = opts.overrides ? ["'self'", "'unsafe-inline'", ...opts.overrides.origins] : ["'self'", `'sha256-${hash}'`];
  const directives = [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    // the dev variant: a module served from the developer's origin loads its stylesheet from there too, and
    // import-map-overrides' panel styles itself inline
    `style-src ${(opts.overrides ? ["'self'", "'unsafe-inline'", ...opts.overrides.origins] : ["'self'"]).join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(opts.overrides?.origins ?? [])].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ];
  // frame-ancestors is ignored in a <meta> policy: only the header can refuse framing
  if (opts.header) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

export interface RenderInput {
  /** shell/index.html with the `<!-- csp -->`, `<!-- importmap -->` and `<!-- head -->` placeholders (and optionally `<!-- nav -->`, `<!-- registry -->`) */
  template: string;
  shell: ShellInfo;
  modules: Record<string, ModuleEntry>;
  /** The dev variant with import-map-overrides (never in production unless configured). */
  overrides?: OverridesScript;
}

export interface RenderedSite {
  importMap: ImportMap;
  /** The map exactly as inlined (its sha256 is in the CSP). */
  importMapText: string;
  html: string;
  /** The full policy for the header (with frame-ancestors); csp.txt locally, object metadata on S3. */
  cspHeader: string;
  preload: string[];
  files: { 'index.html': string; 'csp.txt': string; 'importmap.json': string; 'modules.json': string };
}

/** index.html (import map inline + matching CSP), importmap.json, modules.json and csp.txt. */
export function renderSite({ template, shell, modules, overrides }: RenderInput): RenderedSite {
  const importMap: ImportMap = { imports: { ...shell.shared }, integrity: {} };
  const names = Object.keys(modules).sort();
  for (const name of names) importMap.imports[modules[name].specifier ?? `${SCOPE}/${name}`] = modules[name].url;
  for (const url of Object.keys(shell.sharedGraph)) {
    const integrity = shell.sharedIntegrity?.[url];
    if (!integrity) throw new Error(`shell info: no integrity for shared file ${url}`);
    importMap.integrity[url] = integrity;
  }
  for (const name of names) importMap.integrity[modules[name].url] = modules[name].integrity;

  // The map is inlined byte for byte as hashed: any change to the text needs a new hash.
  const importMapText = JSON.stringify(importMap);
  const preload = closure(shell.sharedGraph, PRELOAD.map((s) => shell.shared[s]).filter(Boolean));
  const head = [
    SITE_ICON,
    `<link rel="stylesheet" href="${shell.css}" integrity="${shell.cssIntegrity}">`,
    ...preload.map((u) => `<link rel="modulepreload" href="${u}" integrity="${importMap.integrity[u]}">`),
    // the landing page's module (route '/'): most visits start there, and the shell would ask for it only once it runs
    ...names.filter((n) => modules[n].route === '/').map((n) => `<link rel="modulepreload" href="${modules[n].url}" integrity="${modules[n].integrity}">`),
    `<script type="module" src="${shell.js}" integrity="${shell.jsIntegrity}"></script>`,
  ];
  // import-map-overrides reads the map from an "overridable-importmap" (not run, so no CSP needed) and
  // writes the real one, overrides applied, before the shell's module script runs.
  const mapTag = overrides
    ? `<meta name="importmap-type" content="importmap">\n    <script type="overridable-importmap">${importMapText}</script>\n    <script src="${overrides.url}" integrity="${overrides.integrity}"></script>`
    : `<script type="importmap">${importMapText}</script>`;
  const sorted: Record<string, ModuleEntry> = {};
  for (const name of names) sorted[name] = modules[name];
  // `<` escaped: the data block can never end early, whatever a title says
  const registryTag = `<script type="application/json" id="${REGISTRY_ELEMENT_ID}">${JSON.stringify(sorted).replace(/</g, '\\u003c')}</script>`;
  const html = template
    .replace('<!-- csp -->', `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(cspPolicy(importMapText, { header: false, overrides }))}">`)
    .replace('<!-- importmap -->', mapTag)
    .replace('<!-- head -->', head.join('\n    '))
    .replace('<!-- nav -->', navHtml(sorted))
    .replace('<!-- registry -->', registryTag)
    // the dev variant: import-map-overrides' panel, shown once localStorage has imo-ui
    .replace('</body>', overrides ? '<import-map-overrides-full show-when-local-storage="imo-ui" trigger-position="bottom-right"></import-map-overrides-full></body>' : '</body>');
  if (html.includes('<!-- importmap -->') || !html.includes('importmap">')) throw new Error('shell/index.html: placeholders missing');
  const cspHeader = cspPolicy(importMapText, { header: true, overrides });
  return {
    importMap, importMapText, html, cspHeader, preload,
    files: {
      'index.html': html,
      'csp.txt': cspHeader + '\n',
      'importmap.json': JSON.stringify(importMap, null, 2) + '\n',
      'modules.json': JSON.stringify(sorted, null, 2) + '\n',
    },
  };
}
