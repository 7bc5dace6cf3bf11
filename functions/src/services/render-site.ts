/**
 * Renders the site files (index.html with the import map inline and its CSP, importmap.json,
 * modules.json, csp.txt) from the module registry as it stands, with no module change: after a deploy
 * uploads a site build (the CDK custom resource `SitePage`, handlers/render-site.ts) and when the local
 * stack starts. So a first deploy serves a working page at once, and a new shell is live without
 * waiting for some team to publish a module. The rendering is the registry's (domain/modules/render.ts,
 * `liveModules`): the page a publish would write.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { REGISTRY_BASE, renderSite, type RenderedSite } from '../domain/modules/render.ts';
import { liveModules } from '../domain/modules/rules.ts';
import type { BlobStore, ModuleStore } from '../store/ports.ts';
import type { RegistryBase, RegistryDeps } from './module-registry.ts';

export interface RenderSiteDeps {
  state: Pick<ModuleStore, 'getModuleRegistry'>;
  /** Where the site files are written: the public bucket, or locally the public folder. */
  blobs: Pick<BlobStore, 'put'>;
  /** Where the build's `shell/registry-base.json` is read (the bucket, or locally the public folder over the build). */
  site: Pick<BlobStore, 'get'>;
  /** The dev variant of index.html (import-map-overrides), as the registry renders it when allowed. */
  overrides?: RegistryDeps['overrides'];
}

/** The site build (its `shell/registry-base.json`) is not where the page is rendered from. */
export class SiteBuildMissing extends Error {}

/** Renders of one call at most: a publish racing the render gets its revision rendered, a storm of them does not keep it busy. */
const MAX_ROUNDS = 5;

/** The site files as the registry writes them; index.html last, carrying its CSP as object metadata (one PutObject). */
export async function putSite(blobs: Pick<BlobStore, 'put'>, site: RenderedSite): Promise<void> {
  const revalidate = 'no-cache';
  await Promise.all([
    blobs.put('importmap.json', site.files['importmap.json'], { contentType: 'application/importmap+json', cacheControl: revalidate }),
    blobs.put('modules.json', site.files['modules.json'], { contentType: 'application/json; charset=utf-8', cacheControl: revalidate }),
    blobs.put('csp.txt', site.files['csp.txt'], { contentType: 'text/plain; charset=utf-8', cacheControl: revalidate }),
  ]);
  await blobs.put('index.html', site.html, { contentType: 'text/html; charset=utf-8', cacheControl: revalidate, metadata: { csp: site.cspHeader } });
}

export interface SiteRendered {
  /** The registry revision the files show. */
  revision: number;
  /** The shell script the page loads (content-hashed: names the site build). */
  shell: string;
  /** The live modules and their versions. */
  modules: Record<string, string>;
}

/**
 * Renders and writes the site files from the build's base and the registry's live versions: after a deploy, and
 * after every change to the registry (publish, rollback, retire). A module published meanwhile (a newer revision
 * after the writes), or a site build uploaded meanwhile (another base), is rendered again, so the files end at the
 * latest of both whichever writer finishes last: a publish racing a deploy cannot put the old shell back.
 */
export async function renderLiveSite(deps: RenderSiteDeps): Promise<SiteRendered> {
  let [text, state] = await Promise.all([deps.site.get(REGISTRY_BASE), deps.state.getModuleRegistry()]);
  for (let round = 1; ; round++) {
    if (!text) throw new SiteBuildMissing(`The site build is missing (${REGISTRY_BASE}): run npm run build, then deploy the site.`);
    const base = JSON.parse(text) as RegistryBase;
    const overrides = deps.overrides && base.shell.importMapOverrides ? { ...base.shell.importMapOverrides, origins: deps.overrides.origins } : undefined;
    const modules = liveModules(base.modules, state);
    await putSite(deps.blobs, renderSite({ template: base.template, shell: base.shell, modules, overrides }));
    const [latestText, latest] = await Promise.all([deps.site.get(REGISTRY_BASE), deps.state.getModuleRegistry()]);
    if ((latest.revision <= state.revision && latestText === text) || round === MAX_ROUNDS) {
      return { revision: state.revision, shell: base.shell.js, modules: Object.fromEntries(Object.entries(modules).map(([name, entry]) => [name, entry.version])) };
    }
    [text, state] = [latestText, latest];
  }
}

/** The custom resource's one physical id: the page is one thing, updated in place, never replaced. */
export const SITE_PAGE_ID = 'site-page';

/**
 * The CloudFormation custom resource (provider framework: return on success, throw on failure). Create
 * and Update (a new site build, whose hash is a property) render the page; Delete leaves it: the bucket
 * is retained, and a page that works is better than none.
 */
export async function onSitePageEvent(event: CloudFormationCustomResourceEvent, deps: RenderSiteDeps) {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const rendered = await renderLiveSite(deps);
  return {
    PhysicalResourceId: event.RequestType === 'Update' ? event.PhysicalResourceId : SITE_PAGE_ID,
    Data: { Revision: String(rendered.revision), Shell: rendered.shell },
  };
}
