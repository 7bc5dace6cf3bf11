/**
 * The module registry (issue #7): publish a version of a micro-frontend, list what is live, list a
 * module's history, roll back. The live set is ONE `registry` item changed only by a conditional
 * write on its revision (concurrent publishes retry, none is lost); after every write the site files
 * (importmap.json, modules.json, index.html with the map inline + a matching CSP, csp.txt) are
 * re-rendered from it and put to the public blob store.
 */
import { randomBytes } from 'node:crypto';
import { HttpError } from '../commons/http.ts';
import { REGISTRY_BASE, renderSite, sri, type ModuleEntry, type ShellInfo } from '../domain/modules/render.ts';
import {
  MODULE_ASSET_CACHE, MODULE_ASSET_TYPES, ModuleRuleError, assertDataSize, assertDataValid, assertMayPublish, assertRouteFree, assertSize, comparePublished, fromEntry,
  ERROR_REPORT_DAYS, MAX_ERROR_REPORTS_PER_DAY, historyWithBaseline, isModuleName, liveModules, PREVIEW, previewCspKey, previewPageKey, retire, rollbackTo, stagedKeyOf, toEntry, validateErrorReport, validateVersion, withCurrent,
  type ModuleVersion, type ModuleVersionInput, type RegistryState,
} from '../domain/modules/rules.ts';
import type { BlobStore, FileStore, KeyStore, ModuleStore } from '../store/ports.ts';
import { authenticate } from './auth.ts';
import { utcOffsetAt } from '../../../shared-types/src/periods.ts';
import { renderLiveSite } from './render-site.ts';

export { REGISTRY_BASE };
export interface RegistryBase { template: string; shell: ShellInfo; modules: Record<string, ModuleEntry> }

export interface RegistryDeps {
  state: ModuleStore & KeyStore;
  /** Where the site files and accepted versions' files are written (the public bucket, or locally the public folder). */
  blobs: FileStore;
  /** Where bundles and the build's base are read: the bucket, or locally the public folder over the build. */
  site: Pick<BlobStore, 'get' | 'getBytes'>;
  /** The dev variant of index.html (import-map-overrides); undefined = the production page. */
  overrides?: { origins: string[] };
  now?: () => Date;
  /** Retries of the conditional write under contention. */
  maxAttempts?: number;
}

const asHttp = (error: unknown): never => {
  if (error instanceof ModuleRuleError) {
    const status = { invalid: 400, invalid_data: 400, forbidden: 403, conflict: 409, not_found: 404, too_large: 413 }[error.kind];
    throw new HttpError(status, error.kind === 'invalid' ? 'invalid_version' : error.kind, error.message, error.details);
  }
  throw error;
};

function moduleName(name: string): string {
  if (!isModuleName(name)) throw new HttpError(404, 'not_found', `No module "${name}".`);
  return name;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

async function loadBase(deps: RegistryDeps): Promise<RegistryBase> {
  const text = await deps.site.get(REGISTRY_BASE);
  if (!text) throw new HttpError(503, 'no_site_build', `The site build is missing (${REGISTRY_BASE}): deploy the site first (npm run build).`);
  return JSON.parse(text) as RegistryBase;
}

/**
 * Applies `change` to the registry with a conditional write, retrying on contention; then renders the site
 * (renderLiveSite: the files end at the latest revision and the latest site build, even when renders overlap).
 */
async function commit(deps: RegistryDeps, change: (state: RegistryState, now: string) => RegistryState | null): Promise<RegistryState> {
  const attempts = deps.maxAttempts ?? 25;
  let written: RegistryState | undefined;
  for (let attempt = 0; attempt < attempts && !written; attempt++) {
    const state = await deps.state.getModuleRegistry();
    const next = change(state, (deps.now?.() ?? new Date()).toISOString());
    if (!next) written = state;
    else if (await deps.state.putModuleRegistry(next)) written = next;
    else await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
  }
  if (!written) throw new HttpError(503, 'busy', 'The registry is busy (too many concurrent changes); retry.');
  await renderLiveSite(deps);
  return written;
}

export async function listModules(deps: RegistryDeps) {
  const [base, state] = await Promise.all([loadBase(deps), deps.state.getModuleRegistry()]);
  const live = liveModules(base.modules, state);
  const site = renderSite({ template: base.template, shell: base.shell, modules: live });
  const modules: Record<string, ModuleVersion> = {};
  for (const name of Object.keys(live).sort()) modules[name] = state.current[name] ?? fromEntry(name, base.modules[name]);
  const retired = Object.fromEntries(Object.entries(state.current).filter(([, entry]) => entry.retired).sort(([a], [b]) => a.localeCompare(b)));
  return { revision: state.revision, updatedAt: state.updatedAt ?? null, importMap: site.importMap, modules, retired };
}

export async function moduleHistory(deps: RegistryDeps, rawName: string) {
  const name = moduleName(rawName);
  const [base, state, recorded] = await Promise.all([loadBase(deps), deps.state.getModuleRegistry(), deps.state.listModuleVersions(name)]);
  const versions = historyWithBaseline(name, recorded, base.modules[name]);
  if (!versions.length) throw new HttpError(404, 'not_found', `No module "${name}" was ever published.`);
  const retired = state.current[name]?.retired;
  const current = retired ? null : state.current[name]?.version ?? base.modules[name]?.version ?? null;
  return { name, current, ...(retired ? { retired } : {}), versions };
}

export interface PublishRequest { authorization: string | undefined; name: string; body: string }

/**
 * Every rule of a publish that needs no bytes: key scope, shape, route, immutability. `check` stops
 * here, so a deploy uploads nothing that this publish would refuse.
 */
async function preparePublish(deps: RegistryDeps, request: PublishRequest) {
  const key = await authenticate(deps.state, request.authorization);
  const name = moduleName(request.name);
  assertMayPublish(key, name);
  const input = validateVersion(name, parseJson(request.body), key.name);
  const [base, state] = await Promise.all([loadBase(deps), deps.state.getModuleRegistry()]);
  assertRouteFree(name, input.manifest.route, base.modules, liveModules(base.modules, state));
  const baseline = base.modules[name]?.version === input.version ? fromEntry(name, base.modules[name]) : undefined;
  const existing = (await deps.state.getModuleVersion(name, input.version)) ?? baseline;
  return { key, name, input, base, existing, outcome: comparePublished(existing, input) };
}

/** POST …/check: would this version be published? 200 with where to upload, or the error publish would give. */
export async function checkVersion(deps: RegistryDeps, request: PublishRequest) {
  try {
    const { input, outcome } = await preparePublish(deps, request);
    return { status: 200, body: { ok: true, uploaded: outcome === 'identical', prefix: `/modules/${input.name}/${input.version}/` } };
  } catch (error) {
    return asHttp(error);
  }
}

/**
 * The files of a new version are there, within their size limits, and match their SRI: in the version's folder
 * already (the site build's, or an earlier accepted copy), or else staged by the deploy (`stagedKeyOf`).
 * Returns the staged files to copy into the version's folder once the publish is accepted.
 */
async function verifyFiles(deps: RegistryDeps, input: ModuleVersionInput): Promise<{ key: string; bytes: Uint8Array }[]> {
  const files: ['url' | 'css' | 'data', string, string][] = [
    ['url', input.url, input.integrity], ...(input.css ? [['css', input.css, input.cssIntegrity!] as ['css', string, string]] : []),
    ...(input.data ?? []).map(({ url, integrity }) => ['data', url, integrity] as ['data', string, string]),
  ];
  const copies: { key: string; bytes: Uint8Array }[] = [];
  let dataBytes = 0;
  for (const [field, url, integrity] of files) {
    const key = url.slice(1);
    const inPlace = await deps.site.getBytes(key);
    const bytes = inPlace ?? (await deps.site.getBytes(stagedKeyOf(url)));
    if (!bytes) throw new HttpError(400, 'bundle_not_found', `${url} is not uploaded: upload the build to /${stagedKeyOf(url)} first (npm run module -- deploy does).`, [{ field, message: 'not uploaded' }]);
    if (field === 'data') assertDataSize(url, bytes.length, dataBytes += bytes.length);
    else assertSize(field, url, bytes.length);
    if (sri(bytes) !== integrity) throw new HttpError(400, 'integrity_mismatch', `The bytes of ${url} do not match the integrity sent.`, { expected: integrity, actual: sri(bytes) });
    // a module's own data is checked against the schema its manifest gives it (400 invalid_data: the file and field)
    if (field === 'data') assertDataValid(url, bytes, input.manifest.data![url.slice(url.lastIndexOf('/') + 1)]);
    if (!inPlace) copies.push({ key, bytes });
  }
  return copies;
}

/** Writes the staged files into the version's folder, with the allow-listed type of their extension; returns the keys written. */
async function copyIntoVersion(deps: RegistryDeps, copies: { key: string; bytes: Uint8Array }[]): Promise<string[]> {
  const written: string[] = [];
  try {
    for (const { key, bytes } of copies) {
      await deps.blobs.put(key, bytes, { contentType: MODULE_ASSET_TYPES[key.slice(key.lastIndexOf('.'))], cacheControl: MODULE_ASSET_CACHE });
      written.push(key);
    }
  } catch (error) {
    await takeBack(deps, written);
    throw error;
  }
  return written;
}

/** Deletes files this publish wrote into a version's folder that no recorded version references. */
async function takeBack(deps: RegistryDeps, keys: string[], keep?: ModuleVersion) {
  const kept = new Set([keep?.url, keep?.css, ...(keep?.data ?? []).map((file) => file.url)].filter(Boolean).map((url) => url!.slice(1)));
  await Promise.all(keys.filter((key) => !kept.has(key)).map((key) => deps.blobs.delete(key)));
}

/**
 * Records a version `preparePublish` found new: its files copied into its folder first (so a recorded version
 * always has them), then the version; a version someone recorded meanwhile is judged as a resend.
 */
async function recordVersion(deps: RegistryDeps, prepared: Awaited<ReturnType<typeof preparePublish>>) {
  const { key, name, input } = prepared;
  let { existing, outcome } = prepared;
  if (outcome !== 'new') return { existing: existing!, outcome };
  // Files go into the version's folder only for a publish that passed every rule.
  const written = await copyIntoVersion(deps, await verifyFiles(deps, input));
  const version: ModuleVersion = { ...input, publishedAt: (deps.now?.() ?? new Date()).toISOString(), publishedBy: key.name };
  let recorded: boolean;
  try {
    recorded = await deps.state.putModuleVersion(version);
  } catch (error) {
    await takeBack(deps, written);
    throw error;
  }
  if (recorded) return { existing: version, outcome };
  // Someone recorded this version between our read and our write: same rules as a resend.
  existing = await deps.state.getModuleVersion(name, input.version);
  await takeBack(deps, written, existing);
  outcome = comparePublished(existing, input);
  return { existing: existing!, outcome };
}

export async function publishVersion(deps: RegistryDeps, request: PublishRequest) {
  try {
    const prepared = await preparePublish(deps, request);
    const { name, base } = prepared;
    const { existing: live, outcome } = await recordVersion(deps, prepared);
    const state = await commit(deps, (current, now) => {
      if (current.current[name] && JSON.stringify(current.current[name]) === JSON.stringify(live)) return null;
      assertRouteFree(name, live.manifest.route, base.modules, liveModules(base.modules, current));
      return withCurrent(current, live, now);
    });
    return { status: outcome === 'new' ? 201 : 200, body: { created: outcome === 'new', revision: state.revision, version: live } };
  } catch (error) {
    return asHttp(error);
  }
}

/**
 * POST …/preview: the same rules and files as a publish, the version recorded (in the history, not current),
 * and the site as it would be with it rendered into `previews/<token>/` — seen only through `/?preview=<token>`.
 * Publishing the same version later (`deploy` without `--preview`) makes it current.
 */
export async function previewVersion(deps: RegistryDeps, request: PublishRequest) {
  try {
    const prepared = await preparePublish(deps, request);
    const { name, base } = prepared;
    const { existing: version, outcome } = await recordVersion(deps, prepared);
    const modules = { ...liveModules(base.modules, await deps.state.getModuleRegistry()), [name]: toEntry(version) };
    const overrides = deps.overrides && base.shell.importMapOverrides ? { ...base.shell.importMapOverrides, origins: deps.overrides.origins } : undefined;
    const site = renderSite({ template: base.template, shell: base.shell, modules, overrides });
    const token = randomBytes(16).toString('base64url');
    await deps.blobs.put(previewCspKey(token), site.files['csp.txt'], { contentType: 'text/plain; charset=utf-8', cacheControl: 'no-cache' });
    await deps.blobs.put(previewPageKey(token), site.html, { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', metadata: { csp: site.cspHeader } });
    return { status: 201, body: { created: outcome === 'new', token, link: `/?${PREVIEW.param}=${token}`, version } };
  } catch (error) {
    return asHttp(error);
  }
}

/** The city's calendar day of an instant (error reports are counted per day, as the city lives them). */
const cityDay = (ms: number) => new Date(ms + utcOffsetAt(ms)).toISOString().slice(0, 10);

export interface ErrorReportRequest { name: string; body: string }

/**
 * POST …/errors, the kit's beacon when a module fails on a page (no key: visitors send it): counted per module,
 * version, kind and day, at most MAX_ERROR_REPORTS_PER_DAY a module a day; only for a module live on the site.
 */
export async function reportModuleError(deps: RegistryDeps, request: ErrorReportRequest) {
  try {
    const name = moduleName(request.name);
    const report = validateErrorReport(parseJson(request.body));
    const [base, state] = await Promise.all([loadBase(deps), deps.state.getModuleRegistry()]);
    if (!liveModules(base.modules, state)[name]) throw new HttpError(404, 'not_found', `No live module "${name}".`);
    const counted = await deps.state.countModuleError(name, cityDay((deps.now?.() ?? new Date()).getTime()), `${report.version} ${report.kind}`, MAX_ERROR_REPORTS_PER_DAY);
    return { status: 202, body: { counted } };
  } catch (error) {
    return asHttp(error);
  }
}

/** GET …/errors with the module's team key: its error counts of the last ERROR_REPORT_DAYS days, by version and kind. */
export async function moduleErrors(deps: RegistryDeps, request: { authorization: string | undefined; name: string }) {
  try {
    const key = await authenticate(deps.state, request.authorization);
    const name = moduleName(request.name);
    assertMayPublish(key, name);
    const since = cityDay((deps.now?.() ?? new Date()).getTime() - (ERROR_REPORT_DAYS - 1) * 86_400_000);
    const days = (await deps.state.listModuleErrors(name, since)).map(({ day, total, counts }) => {
      const byVersion: Record<string, Record<string, number>> = {};
      for (const [counter, count] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) {
        const [version, kind] = counter.split(' ');
        (byVersion[version] ??= {})[kind] = count;
      }
      return { day, total, byVersion, capped: total >= MAX_ERROR_REPORTS_PER_DAY };
    });
    return { status: 200, body: { name, since, days } };
  } catch (error) {
    return asHttp(error);
  }
}

export interface RetireRequest { authorization: string | undefined; name: string }

/** POST …/retire: out of the import map, the navigation and index.html; history kept; publish again to undo. */
export async function retireModule(deps: RegistryDeps, request: RetireRequest) {
  try {
    const key = await authenticate(deps.state, request.authorization);
    const name = moduleName(request.name);
    assertMayPublish(key, name);
    const base = await loadBase(deps);
    const state = await commit(deps, (current, now) => retire(current, base.modules, name, key.name, now));
    return { status: 200, body: { revision: state.revision, name, retired: state.current[name]?.retired ?? null } };
  } catch (error) {
    return asHttp(error);
  }
}

export interface RollbackRequest { authorization: string | undefined; name: string; body: string }

export async function rollbackModule(deps: RegistryDeps, request: RollbackRequest) {
  const key = await authenticate(deps.state, request.authorization);
  const name = moduleName(request.name);
  try {
    assertMayPublish(key, name);
    const wanted = (parseJson(request.body) as { version?: unknown } | null)?.version;
    const base = await loadBase(deps);
    const history = historyWithBaseline(name, await deps.state.listModuleVersions(name), base.modules[name]);
    let target: ModuleVersion | undefined;
    const state = await commit(deps, (current, now) => {
      const next = rollbackTo(current, history, name, wanted, now);
      target = next.current[name];
      if (current.current[name]?.version === target.version && !current.current[name].retired) return null;
      assertRouteFree(name, target.manifest.route, base.modules, liveModules(base.modules, current));
      return next;
    });
    return { status: 200, body: { revision: state.revision, version: target } };
  } catch (error) {
    return asHttp(error);
  }
}
