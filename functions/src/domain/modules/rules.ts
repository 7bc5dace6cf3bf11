/**
 * The module registry's rules, pure: what a version is, who may publish it, where its bundle may
 * live, what it may do to the site (its route, its size, its owner), and how publish, rollback and
 * retire change the set of live versions. The publish policy lives here and nowhere else: the
 * registry, the scaffold (scripts/new-module.ts), the keys tool and the deploy command all call it.
 * No I/O, no AWS.
 */
import { MODULE_ERROR_KINDS, type ModuleErrorKind } from '../../../../shared-types/src/module-errors.ts';
import { SCOPE, type ModuleEntry, type ModuleManifest } from './render.ts';
import { DATA_FILE, DataParseError, csvSchemaProblem, parseData, schemaProblems, validateData, type DataSchema } from '../../../../shared-types/src/module-data.ts';

export type { ModuleManifest };

/** One published version of one module. Immutable once recorded. */
export interface ModuleVersion {
  name: string;
  version: string;
  /** The ES module, e.g. `/modules/overview/1.2.0/overview-ab12cd34ef.js`. */
  url: string;
  /** SRI of the bundle: `sha384-<base64 of 48 bytes>`. */
  integrity: string;
  css?: string;
  cssIntegrity?: string;
  /** The module's own data files (`/modules/<name>/<version>/data/<file>`), each described in `manifest.data`. */
  data?: ModuleDataFile[];
  manifest: ModuleManifest;
  publishedAt: string;
  /** Name of the key that published it. */
  publishedBy: string;
}

/** A module's entry in the registry: the version it runs, or ran until it was retired. */
export interface RegistryEntry extends ModuleVersion {
  /** Set when the module was retired: out of the import map, the navigation and index.html. */
  retired?: { at: string; by: string };
}

/** What a client sends to publish (the registry adds publishedAt/publishedBy). */
export type ModuleVersionInput = Omit<ModuleVersion, 'publishedAt' | 'publishedBy'>;

/** The single `registry` item: the live version of each module, changed only by a conditional write. */
export interface RegistryState {
  /** 0 before the first write; +1 on every write. */
  revision: number;
  current: Record<string, RegistryEntry>;
  updatedAt?: string;
}

export interface ModuleDataFile { url: string; integrity: string }

export type RuleErrorKind = 'invalid' | 'invalid_data' | 'forbidden' | 'conflict' | 'not_found' | 'too_large';

export class ModuleRuleError extends Error {
  readonly kind: RuleErrorKind;
  readonly details?: unknown;
  constructor(kind: RuleErrorKind, message: string, details?: unknown) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}

/** The one name rule (also infra/config.ts's, for team stacks): 1–40 characters. */
export const MODULE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;
/** sha384 is 48 bytes: 64 base64 characters, no padding needed. */
export const SHA384_SRI = /^sha384-[A-Za-z0-9+/]{64}$/;
/** The local stack's development key may publish every module (never issued by `npm run keys`). */
export const ALL_MODULES = '*';

export const isModuleName = (name: unknown): name is string => typeof name === 'string' && MODULE_NAME.test(name);
/** Why `name` is not a module name, or null: the message the scaffold, the keys tool and the registry give. */
export const moduleNameProblem = (name: unknown): string | null => isModuleName(name) ? null
  : `"${String(name)}" is not a module name: 1 to 40 characters, lower-case letters, digits and "-", starting with a letter`;
export const isSemver = (version: unknown): version is string => typeof version === 'string' && version.length <= 64 && SEMVER.test(version);
export const isSri384 = (integrity: unknown): integrity is string => typeof integrity === 'string' && SHA384_SRI.test(integrity);

/** Largest bundle the registry accepts (shared dependencies are never bundled: a module is its own code). */
export const MAX_BYTES = { js: 512 * 1024, css: 128 * 1024 } as const;

/** Refuses a file past its stated limit; `field` is the version's field that names it. */
export function assertSize(field: 'url' | 'css', url: string, bytes: number): void {
  const limit = field === 'url' ? MAX_BYTES.js : MAX_BYTES.css;
  if (bytes > limit) {
    throw new ModuleRuleError('too_large', `${url} is ${bytes} bytes; a module's ${field === 'url' ? 'JS' : 'CSS'} may be at most ${limit} bytes.`, [{ field, message: `at most ${limit} bytes` }]);
  }
}

/**
 * A module's own data (docs/MODULES.md § Data of its own): each file at most 1 MiB, at most 4 MiB and 20 files a
 * version. The site's data is the city's; a module's is a small reference table, not a dataset to mirror.
 */
export const MAX_DATA_BYTES = { file: 1024 * 1024, total: 4 * 1024 * 1024 } as const;
export const MAX_DATA_FILES = 20;

/** Refuses a data file past its limit, or a version's data past the total (`total`: the bytes of its files so far). */
export function assertDataSize(url: string, bytes: number, total: number): void {
  if (bytes > MAX_DATA_BYTES.file) {
    throw new ModuleRuleError('too_large', `${url} is ${bytes} bytes; a data file may be at most ${MAX_DATA_BYTES.file} bytes.`, [{ field: dataField(url), message: `at most ${MAX_DATA_BYTES.file} bytes` }]);
  }
  if (total > MAX_DATA_BYTES.total) {
    throw new ModuleRuleError('too_large', `The data files of this version are ${total} bytes; at most ${MAX_DATA_BYTES.total} bytes in all.`, [{ field: 'data', message: `at most ${MAX_DATA_BYTES.total} bytes in all` }]);
  }
}
/** `data/<file>` of a data file's URL: how errors name it. */
const dataField = (url: string) => url.slice(url.indexOf('/data/') + 1);

/**
 * A data file's bytes against its schema: read as JSON or CSV (shared-types/module-data.ts, as the kit reads it) and
 * checked. 400 `invalid_data` naming the file and each field at fault (a JSON pointer: `data/clinics.csv /3/beds`).
 */
export function assertDataValid(url: string, bytes: Uint8Array, schema: DataSchema): void {
  const file = dataField(url);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModuleRuleError('invalid_data', `${file} is not UTF-8 text.`, [{ field: file, message: 'not UTF-8' }]);
  }
  let problems;
  try {
    problems = validateData(schema, parseData(file, text, schema));
  } catch (error) {
    if (!(error instanceof DataParseError)) throw error;
    problems = [error.problem];
  }
  if (problems.length) {
    const details = problems.map((p) => ({ field: `${file} ${p.path}`, message: p.message }));
    throw new ModuleRuleError('invalid_data', `${file} does not match its schema (manifest.data): ${details[0].field} ${details[0].message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`, details);
  }
}

/**
 * Everything under /modules/ is served with one of these types (by extension) and nothing else: a team
 * can put no HTML, SVG or other document there that would run on the site's origin.
 */
export const MODULE_ASSET_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json; charset=utf-8',
  // a module's own data (data/*.json, data/*.csv): read by fetch, never run or rendered (nosniff, the sandboxing CSP)
  '.json': 'application/json; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
};
/** The CSP of every response under /modules/: opened on its own, a file runs nothing, loads nothing, is never framed. */
export const MODULE_ASSET_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/** First path segments the platform serves itself: no module route may start with one. */
export const RESERVED_PREFIXES = ['api', 'data', 'embed', 'modules', 'shared', 'units'] as const;
const ROUTE_SEGMENT = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*|:[A-Za-z][A-Za-z0-9]*)$/;
export const MAX_ROUTE_LENGTH = 100;

/**
 * Why `route` is not a path of this site, or null. The navigation links to routes, so a route is only
 * `/` or `/segment[/segment…]` (lower-case letters, digits, inner "-"; `:param` segments), nothing that a
 * browser could read as another origin (`//host`, `\\host`, a scheme), a file, an escape, a query or a fragment.
 */
export function routeProblem(route: unknown): string | null {
  if (typeof route !== 'string' || !route.startsWith('/')) return 'must be a path of this site, starting with /';
  if (route.length > MAX_ROUTE_LENGTH) return `at most ${MAX_ROUTE_LENGTH} characters`;
  if (route !== '/' && !route.slice(1).split('/').every((segment) => ROUTE_SEGMENT.test(segment))) {
    return 'must be "/" or "/segment/…" of lower-case letters, digits and inner "-" (no "//", "\\", ".", "%", scheme, query, fragment or trailing "/")';
  }
  return null;
}

/** `/`, any route with a parameter, and the reserved prefixes belong to the platform (the site build). */
export function isPlatformRoute(route: string): boolean {
  const segments = route.split('/').slice(1);
  return route === '/' || segments.some((segment) => segment.startsWith(':')) || (RESERVED_PREFIXES as readonly string[]).includes(segments[0]);
}

/**
 * A route belongs to one module: the first live module that published it (or the one the site build
 * gave it to) owns it until it is retired. A platform route only the site build can give, and a module
 * keeps whatever route the build gave it.
 */
export function assertRouteFree(name: string, route: string, baseline: Record<string, ModuleEntry>, live: Record<string, ModuleEntry>): void {
  const givenByBuild = (module: string) => baseline[module]?.route === route;
  const holder = Object.keys(live).sort().find((other) => other !== name && live[other].route === route && !(givenByBuild(name) && givenByBuild(other)));
  if (isPlatformRoute(route) && !givenByBuild(name)) {
    throw new ModuleRuleError('forbidden', `The route ${route} belongs to the platform ("/", routes with ":", and /${RESERVED_PREFIXES.join(', /')}); use /${name} or another path of your own.`, [{ field: 'manifest.route', message: 'a platform route' }]);
  }
  if (holder) {
    throw new ModuleRuleError('conflict', `The route ${route} belongs to the module "${holder}"; choose another route.`, [{ field: 'manifest.route', message: `held by "${holder}"` }]);
  }
}

/** The immutable prefix a version's files must live under. */
export const versionPrefix = (name: string, version: string) => `/modules/${name}/${version}/`;

/**
 * Where a deploy uploads a version's files (a team's role may write only there, under its own name): the
 * registry copies them into the version's folder only once it accepts the publish, so a refused deploy leaves
 * nothing in `modules/<name>/<version>/`. `_` starts no module name, so the prefix is no module's folder.
 */
export const STAGING_PREFIX = 'modules/_staging/';
/** The staged copy of a version's file: `/modules/x/1.0.0/x-ab.js` → `modules/_staging/x/1.0.0/x-ab.js` (a key, no leading /). */
export const stagedKeyOf = (url: string) => `${STAGING_PREFIX}${url.replace(/^\/modules\//, '')}`;
/**
 * Preview before live: `POST …/{name}/preview` records a version (as a publish would, files copied into its
 * folder) without making it current, and renders the site with it into `previews/<token>/index.html`. A page
 * request selects that page with `?preview=<token>` (then remembered in a cookie) or the cookie; `?preview=off`
 * forgets it. The token is 128 random bits: the link is the only way to the page. Locally `local/stack.ts`
 * serves it; on AWS CloudFront's viewer functions (infra/lib/security-headers.ts) do the same.
 */
export const PREVIEW = { param: 'preview', cookie: 'itmap-preview', off: 'off', maxAgeSeconds: 86_400, prefix: 'previews/' } as const;
export const PREVIEW_TOKEN = /^[A-Za-z0-9_-]{22}$/;
export const previewPageKey = (token: string) => `${PREVIEW.prefix}${token}/index.html`;
export const previewCspKey = (token: string) => `${PREVIEW.prefix}${token}/csp.txt`;

/** The preview a page request selects (`token`, null for the live site) and the cookie to set, if any. */
export function selectPreview(query: string | null, cookieHeader: string | undefined, options: { secure: boolean }): { token: string | null; setCookie?: string } {
  const attributes = `Path=/; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
  if (query === PREVIEW.off) return { token: null, setCookie: `${PREVIEW.cookie}=; Max-Age=0; ${attributes}` };
  if (query !== null && PREVIEW_TOKEN.test(query)) return { token: query, setCookie: `${PREVIEW.cookie}=${query}; Max-Age=${PREVIEW.maxAgeSeconds}; ${attributes}` };
  const cookie = (cookieHeader ?? '').split(';').map((part) => part.trim().split('=')).find(([name]) => name === PREVIEW.cookie)?.[1];
  return { token: cookie && PREVIEW_TOKEN.test(cookie) ? cookie : null };
}

/**
 * Per-module error reports: the kit sends a beacon `POST /api/v1/modules/{name}/errors` `{version, kind}` when a
 * module fails on a visitor's page; the registry counts them per module, version, kind and city day (never the
 * message, the page or the visitor), at most MAX_ERROR_REPORTS_PER_DAY a module a day, and shows the counts of
 * the last ERROR_REPORT_DAYS days to the module's team key.
 */
export const MAX_ERROR_REPORTS_PER_DAY = 5_000;
export const ERROR_REPORT_DAYS = 30;

/** An error report's body, checked: a semver version and a known kind (400 otherwise). */
export function validateErrorReport(input: unknown): { version: string; kind: ModuleErrorKind } {
  const body = (input ?? {}) as { version?: unknown; kind?: unknown };
  const details: { field: string; message: string }[] = [];
  if (!isSemver(body.version)) details.push({ field: 'version', message: 'must be the module version (semver)' });
  if (!(MODULE_ERROR_KINDS as readonly unknown[]).includes(body.kind)) details.push({ field: 'kind', message: `one of ${MODULE_ERROR_KINDS.join(', ')}` });
  if (details.length) throw new ModuleRuleError('invalid', 'Not an error report: {version, kind}.', details);
  return { version: body.version as string, kind: body.kind as ModuleErrorKind };
}

/** How the registry writes a version's files (content type by extension from MODULE_ASSET_TYPES). */
export const MODULE_ASSET_CACHE = 'public, max-age=31536000, immutable';

/** A key may publish a module only if it is scoped to it (team keys carry exactly one module). */
export function mayPublish(key: { modules?: string[] }, name: string): boolean {
  return (key.modules ?? []).some((scope) => scope === name || scope === ALL_MODULES);
}

export function assertMayPublish(key: { name: string; modules?: string[] }, name: string): void {
  if (!mayPublish(key, name)) {
    const scope = key.modules?.length ? `module(s) ${key.modules.join(', ')}` : 'no module';
    throw new ModuleRuleError('forbidden', `The key "${key.name}" is scoped to ${scope}, not "${name}".`);
  }
}

/** A path under the prefix, no `..`, no query, no other origin, no encoded tricks. */
function isUnderPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix) || url.length === prefix.length) return false;
  const rest = url.slice(prefix.length);
  return /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(rest) && !rest.split('/').some((part) => part === '.' || part === '..');
}

/**
 * Shape and placement rules of a version (the name comes from the URL path). The owner is the key's
 * name, whatever the manifest says: a team cannot sign its module as another team's.
 */
export function validateVersion(name: string, input: unknown, owner: string): ModuleVersionInput {
  const errors: { field: string; message: string }[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (!isModuleName(name)) throw new ModuleRuleError('invalid', `"${name}" is not a module name (lower-case kebab-case).`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ModuleRuleError('invalid', 'The body must be a JSON object (a module version).');
  const v = input as Record<string, unknown>;
  const known = new Set(['name', 'version', 'url', 'integrity', 'css', 'cssIntegrity', 'data', 'manifest', 'publishedAt', 'publishedBy']);
  for (const field of Object.keys(v)) if (!known.has(field)) add(field, 'unknown field');
  if (v.name !== undefined && v.name !== name) add('name', `must be "${name}" (the module in the URL)`);
  if (!isSemver(v.version)) add('version', 'must be a semantic version, e.g. 1.2.0');
  const prefix = isSemver(v.version) ? versionPrefix(name, v.version) : `/modules/${name}/<version>/`;
  if (typeof v.url !== 'string' || !isUnderPrefix(v.url, prefix) || !v.url.endsWith('.js')) add('url', `must be a .js file under ${prefix}`);
  if (!isSri384(v.integrity)) add('integrity', 'must be a sha384 SRI: "sha384-" and 64 base64 characters');
  if (v.css !== undefined && v.css !== null) {
    if (typeof v.css !== 'string' || !isUnderPrefix(v.css, prefix) || !v.css.endsWith('.css')) add('css', `must be a .css file under ${prefix}`);
    if (!isSri384(v.cssIntegrity)) add('cssIntegrity', 'must be a sha384 SRI when css is given');
  } else if (v.cssIntegrity !== undefined && v.cssIntegrity !== null) add('cssIntegrity', 'given without css');
  const m = v.manifest as Record<string, unknown> | undefined;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) add('manifest', 'required: {name, route, title: {vi, en}}');
  else {
    if (m.name !== name) add('manifest.name', `must be "${name}"`);
    const routeError = routeProblem(m.route);
    if (routeError) add('manifest.route', routeError);
    const title = m.title as Record<string, unknown> | undefined;
    for (const locale of ['vi', 'en']) {
      const text = title?.[locale];
      if (typeof text !== 'string' || !text.trim() || text.length > 200) add(`manifest.title.${locale}`, 'required, at most 200 characters');
    }
    for (const field of Object.keys(m)) if (!['name', 'owner', 'route', 'title', 'data'].includes(field)) add(`manifest.${field}`, 'unknown field');
  }
  const schemas = validateDataFields(prefix, m?.data, v.data, add);
  if (errors.length) {
    const first = errors.find((e) => e.field === 'url' || e.field === 'css') ?? errors[0];
    throw new ModuleRuleError('invalid', `${first.field} ${first.message}.`, errors);
  }
  const manifest = m as unknown as ModuleManifest;
  return {
    name, version: v.version as string, url: v.url as string, integrity: v.integrity as string,
    ...(typeof v.css === 'string' ? { css: v.css, cssIntegrity: v.cssIntegrity as string } : {}),
    ...(schemas ? { data: (v.data as ModuleDataFile[]).map(({ url, integrity }) => ({ url, integrity })) } : {}),
    manifest: { name, owner, route: manifest.route, title: { vi: manifest.title.vi, en: manifest.title.en }, ...(schemas ? { data: schemas } : {}) },
  };
}

/**
 * `manifest.data` (file → schema) and `data` ([{url, integrity}]) of a version: the same files, named as DATA_FILE
 * says, under `<prefix>data/`, at most MAX_DATA_FILES, each schema one this platform checks (and a CSV's, rows of
 * scalar columns). Returns the schemas, or null for a version without data.
 */
function validateDataFields(prefix: string, declared: unknown, files: unknown, add: (field: string, message: string) => void): Record<string, DataSchema> | null {
  if (declared === undefined && files === undefined) return null;
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    add('manifest.data', 'an object: data file name → its schema');
    return null;
  }
  const schemas = declared as Record<string, DataSchema>;
  const names = Object.keys(schemas);
  if (names.length > MAX_DATA_FILES) add('manifest.data', `at most ${MAX_DATA_FILES} files`);
  for (const file of names) {
    if (!DATA_FILE.test(file)) add(`manifest.data.${file}`, 'a file name of lower-case letters, digits and inner "-", ending in .json or .csv');
    for (const problem of schemaProblems(schemas[file])) add(`manifest.data.${file}${problem.path}`, problem.message);
    const csv = file.endsWith('.csv') ? csvSchemaProblem(schemas[file]) : null;
    if (csv) add(`manifest.data.${file}`, csv);
  }
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'object' && f !== null && typeof f.url === 'string' && isSri384(f.integrity))) {
    add('data', 'a list of {url, integrity (sha384 SRI)}, one for each file of manifest.data');
    return null;
  }
  const sent = (files as ModuleDataFile[]).map((f) => f.url.slice(`${prefix}data/`.length));
  for (const [i, f] of (files as ModuleDataFile[]).entries()) {
    if (!f.url.startsWith(`${prefix}data/`) || !names.includes(sent[i])) add(`data.${i}.url`, `must be ${prefix}data/<a file of manifest.data>`);
  }
  for (const file of names) if (!sent.includes(file)) add('data', `${file} is in manifest.data but not sent`);
  if (new Set(sent).size !== sent.length) add('data', 'a file is listed twice');
  return schemas;
}

/** The parts of a version that may never change once recorded. */
const identity = (v: ModuleVersionInput) => JSON.stringify([v.url, v.integrity, v.css ?? null, v.cssIntegrity ?? null, v.data ?? [], v.manifest.data ?? null]);

/**
 * Versions are immutable: the same version again with the same files is a no-op (a retried deploy),
 * with other files it is refused.
 */
export function comparePublished(existing: ModuleVersion | undefined, incoming: ModuleVersionInput): 'new' | 'identical' {
  if (!existing) return 'new';
  if (identity(existing) === identity(incoming)) return 'identical';
  throw new ModuleRuleError(
    'conflict',
    `${incoming.name}@${incoming.version} is already published with other files; versions are immutable: bump the version.`,
    { published: { url: existing.url, integrity: existing.integrity } },
  );
}

/** The registry after making `version` the live version of its module (a retired module comes back). */
export function withCurrent(state: RegistryState, version: ModuleVersion, now: string): RegistryState {
  const { retired: _, ...live } = version as RegistryEntry;
  return { revision: state.revision + 1, current: { ...state.current, [version.name]: live }, updatedAt: now };
}

/**
 * Retire: the module leaves the import map, the navigation and index.html; its history stays, and
 * publishing or rolling back makes it live again. Null when it is retired already.
 */
export function retire(state: RegistryState, baseline: Record<string, ModuleEntry>, name: string, by: string, now: string): RegistryState | null {
  const entry: RegistryEntry | undefined = state.current[name] ?? (baseline[name] ? fromEntry(name, baseline[name]) : undefined);
  if (!entry) throw new ModuleRuleError('not_found', `No module "${name}" is live.`);
  if (entry.retired) return null;
  return { revision: state.revision + 1, current: { ...state.current, [name]: { ...entry, retired: { at: now, by } } }, updatedAt: now };
}

/** Rollback: a version from the history (or the build's baseline) becomes live again. */
export function rollbackTo(state: RegistryState, history: ModuleVersion[], name: string, version: unknown, now: string): RegistryState {
  if (!isSemver(version)) throw new ModuleRuleError('invalid', 'Send {"version": "<a published version>"}.');
  const target = history.find((v) => v.name === name && v.version === version);
  if (!target) {
    throw new ModuleRuleError('not_found', `${name}@${version} was never published; known: ${history.map((v) => v.version).join(', ') || 'none'}.`);
  }
  return withCurrent(state, target, now);
}

/** The build's entry of a module (modules.json), as a version, so it can be listed and rolled back to. */
export function fromEntry(name: string, entry: ModuleEntry, publishedAt = 'build'): ModuleVersion {
  return {
    name, version: entry.version, url: entry.url, integrity: entry.integrity,
    ...(entry.css ? { css: entry.css, cssIntegrity: entry.cssIntegrity ?? undefined } : {}),
    manifest: { name, owner: entry.owner, route: entry.route, title: entry.title },
    publishedAt, publishedBy: 'build',
  };
}

export function toEntry(v: ModuleVersion): ModuleEntry {
  return {
    version: v.version, url: v.url, integrity: v.integrity, css: v.css ?? null, cssIntegrity: v.cssIntegrity ?? null,
    specifier: `${SCOPE}/${v.name}`, owner: v.manifest.owner, route: v.manifest.route, title: v.manifest.title,
  };
}

/**
 * What is live: the build's modules, overridden by what the registry made current, less the retired,
 * and less a version recorded before the publish policy whose route is no path of this site (its
 * navigation link would lead elsewhere).
 */
export function liveModules(baseline: Record<string, ModuleEntry>, state: RegistryState): Record<string, ModuleEntry> {
  const live: Record<string, ModuleEntry> = { ...baseline };
  for (const [name, entry] of Object.entries(state.current)) {
    if (entry.retired || routeProblem(entry.manifest.route)) delete live[name];
    else live[name] = toEntry(entry);
  }
  return live;
}

/** History, oldest first, with the build's version first if the registry never recorded it. */
export function historyWithBaseline(name: string, recorded: ModuleVersion[], baseline: ModuleEntry | undefined): ModuleVersion[] {
  const sorted = [...recorded].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.version.localeCompare(b.version));
  if (baseline && !sorted.some((v) => v.version === baseline.version)) sorted.unshift(fromEntry(name, baseline));
  return sorted;
}
