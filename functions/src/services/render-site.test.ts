import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { REGISTRY_BASE, renderSite, sri, type ModuleEntry, type ShellInfo } from '../domain/modules/render.ts';
import type { ModuleVersion, RegistryState } from '../domain/modules/rules.ts';
import { FsBlobStore } from '../store/blobs/fs-blob-store.ts';
import type { BlobStore } from '../store/ports.ts';
import { SITE_PAGE_ID, SiteBuildMissing, onSitePageEvent, renderLiveSite } from './render-site.ts';

const template = '<html><head><!-- csp -->\n<!-- importmap -->\n<!-- head --></head><body><!-- registry --></body></html>';
const shellOf = (build: string): ShellInfo => ({
  js: `/shell/root-config-${build}.js`, jsIntegrity: sri(`shell ${build}`), css: `/shell/shell-${build}.css`, cssIntegrity: sri(`css ${build}`),
  shared: { 'single-spa': '/shared/single-spa-A.js' }, sharedGraph: { '/shared/single-spa-A.js': [] },
  sharedIntegrity: { '/shared/single-spa-A.js': sri('spa') },
  importMapOverrides: { url: '/shell/import-map-overrides-1.js', integrity: sri('imo') },
});
const baseline: ModuleEntry = {
  version: '1.0.0', url: '/modules/overview/1.0.0/overview-a.js', integrity: sri('1.0.0'), css: null, cssIntegrity: null,
  specifier: '@itmap/overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' },
};
const published = (version: string): ModuleVersion => ({
  name: 'overview', version, url: `/modules/overview/${version}/overview-b.js`, integrity: sri(version),
  manifest: { name: 'overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' } },
  publishedAt: '2026-12-01T00:00:00.000Z', publishedBy: 'overview team',
});
const registry = (revision: number, version?: string): RegistryState => ({ revision, current: version ? { overview: published(version) } : {} });

/** A registry whose reads return the given states in turn (the last one for ever): a publish landing between reads. */
const fakeRegistry = (...states: RegistryState[]) => {
  let reads = 0;
  return { getModuleRegistry: async () => states[Math.min(reads++, states.length - 1)], reads: () => reads };
};

/** The folder adapter, recording what each put asked for (the folder keeps only the bytes). */
function recordingFolder() {
  const folder = new FsBlobStore(mkdtempSync(join(tmpdir(), 'site-')));
  const puts: { path: string; options: Parameters<BlobStore['put']>[2] }[] = [];
  const blobs: BlobStore = {
    get: (path) => folder.get(path),
    getBytes: (path) => folder.getBytes(path),
    put: async (path, body, options) => {
      puts.push({ path, options });
      await folder.put(path, body);
    },
  };
  return { blobs, puts, folder };
}

const event = (type: 'Create' | 'Update' | 'Delete', shellHash = 'one'): CloudFormationCustomResourceEvent => {
  const common = {
    ServiceToken: 'arn:aws:lambda:ap-southeast-1:123456789012:function:provider', ResponseURL: 'https://example.org', StackId: 'stack', RequestId: 'r',
    LogicalResourceId: 'SitePage', ResourceType: 'Custom::SitePage', ResourceProperties: { ServiceToken: 'token', SiteBuild: shellHash },
  };
  if (type === 'Create') return { ...common, RequestType: 'Create' };
  return { ...common, RequestType: type, PhysicalResourceId: SITE_PAGE_ID, OldResourceProperties: { ServiceToken: 'token', SiteBuild: 'zero' } } as CloudFormationCustomResourceEvent;
};

describe('the site page rendered from the registry (custom resource SitePage, local start)', () => {
  let site: ReturnType<typeof recordingFolder>;
  const writeBase = (build: string) => site.folder.put(REGISTRY_BASE, JSON.stringify({ template, shell: shellOf(build), modules: { overview: baseline } }));

  beforeEach(async () => {
    site = recordingFolder();
    await writeBase('one');
  });

  it('on a first deploy (empty registry) writes the page the build would: its modules, the map inline, index.html last with its CSP', async () => {
    const state = fakeRegistry(registry(0));
    const reply = await onSitePageEvent(event('Create'), { state, blobs: site.blobs, site: site.blobs });
    expect(reply).toEqual({ PhysicalResourceId: SITE_PAGE_ID, Data: { Revision: '0', Shell: '/shell/root-config-one.js' } });
    const expected = renderSite({ template, shell: shellOf('one'), modules: { overview: baseline } });
    for (const [path, body] of Object.entries(expected.files)) expect(await site.folder.get(path), path).toBe(body);
    expect(site.puts.map((put) => put.path).at(-1)).toBe('index.html');
    expect(site.puts.find((put) => put.path === 'index.html')!.options).toMatchObject({ contentType: 'text/html; charset=utf-8', metadata: { csp: expected.cspHeader } });
    expect(site.puts.find((put) => put.path === 'importmap.json')!.options.contentType).toBe('application/importmap+json');
  });

  it('shows the versions the registry made live, not the build\'s', async () => {
    const rendered = await renderLiveSite({ state: fakeRegistry(registry(3, '2.1.0')), blobs: site.blobs, site: site.blobs });
    expect(rendered).toMatchObject({ revision: 3, modules: { overview: '2.1.0' } });
    const map = JSON.parse((await site.folder.get('importmap.json'))!);
    expect(map.imports['@itmap/overview']).toBe('/modules/overview/2.1.0/overview-b.js');
    expect(await site.folder.get('index.html')).toContain('/modules/overview/2.1.0/overview-b.js');
  });

  it('a shell upgrade (Update with a new build) re-renders the page onto the new shell, keeping the physical id', async () => {
    await onSitePageEvent(event('Create'), { state: fakeRegistry(registry(1, '2.0.0')), blobs: site.blobs, site: site.blobs });
    await writeBase('two');
    const reply = await onSitePageEvent(event('Update', 'two'), { state: fakeRegistry(registry(1, '2.0.0')), blobs: site.blobs, site: site.blobs });
    expect(reply.PhysicalResourceId).toBe(SITE_PAGE_ID);
    const html = (await site.folder.get('index.html'))!;
    expect(html).toContain('/shell/root-config-two.js');
    expect(html).not.toContain('/shell/root-config-one.js');
    expect(html).toContain('/modules/overview/2.0.0/overview-b.js');
  });

  it('renders again when a module was published during the render, so the files end at the latest revision', async () => {
    const state = fakeRegistry(registry(4, '2.0.0'), registry(5, '2.1.0'));
    const rendered = await renderLiveSite({ state, blobs: site.blobs, site: site.blobs });
    expect(rendered.revision).toBe(5);
    expect(JSON.parse((await site.folder.get('modules.json'))!).overview.version).toBe('2.1.0');
    expect(state.reads()).toBe(3);
  });

  it('renders again when a new site build was uploaded during the render: a publish racing a deploy never puts the old shell back', async () => {
    await writeBase('one');
    // A deploy uploads build "two" while the first render's files are written (and its own render has already run).
    let uploaded = false;
    const blobs: BlobStore = {
      ...site.blobs,
      put: async (path, body, options) => {
        if (path === 'index.html' && !uploaded) {
          uploaded = true;
          await writeBase('two');
        }
        await site.blobs.put(path, body, options);
      },
    };
    const rendered = await renderLiveSite({ state: fakeRegistry(registry(3, '2.0.0')), blobs, site: site.blobs });
    expect(rendered.shell).toBe('/shell/root-config-two.js');
    const html = (await site.folder.get('index.html'))!;
    expect(html).toContain('/shell/root-config-two.js');
    expect(html).not.toContain('/shell/root-config-one.js');
  });

  it('renders the dev variant (import-map-overrides) only when asked, as the registry does', async () => {
    await renderLiveSite({ state: fakeRegistry(registry(0)), blobs: site.blobs, site: site.blobs, overrides: { origins: ['http://localhost:*'] } });
    expect(await site.folder.get('index.html')).toContain('overridable-importmap');
    await renderLiveSite({ state: fakeRegistry(registry(0)), blobs: site.blobs, site: site.blobs });
    expect(await site.folder.get('index.html')).not.toContain('overridable-importmap');
  });

  it('fails (CloudFormation reports it) when the site build is not uploaded, and writes nothing', async () => {
    const empty = recordingFolder();
    await expect(onSitePageEvent(event('Create'), { state: fakeRegistry(registry(0)), blobs: empty.blobs, site: empty.blobs })).rejects.toThrow(SiteBuildMissing);
    expect(empty.puts).toEqual([]);
  });

  it('renders on a bare {"RequestType": "Create"}, the by-hand invocation of OPERATIONS.md', async () => {
    const reply = await onSitePageEvent({ RequestType: 'Create' } as CloudFormationCustomResourceEvent, { state: fakeRegistry(registry(2, '2.0.0')), blobs: site.blobs, site: site.blobs });
    expect(reply).toMatchObject({ PhysicalResourceId: SITE_PAGE_ID, Data: { Revision: '2' } });
    expect(await site.folder.get('index.html')).toContain('/modules/overview/2.0.0/overview-b.js');
  });

  it('leaves the page on Delete (the bucket is retained)', async () => {
    const state = fakeRegistry(registry(0));
    expect(await onSitePageEvent(event('Delete'), { state, blobs: site.blobs, site: site.blobs })).toEqual({ PhysicalResourceId: SITE_PAGE_ID });
    expect(site.puts).toEqual([]);
    expect(state.reads()).toBe(0);
  });
});
