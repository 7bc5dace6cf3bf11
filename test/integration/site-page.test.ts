/**
 * The local stack renders the page as a deploy does (services/render-site.ts, the SitePage custom
 * resource on AWS): at start, from the build's base and the registry, over whatever page the public
 * folder held. So a rebuilt shell is served at once, not the page a registry publish wrote before.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { REGISTRY_BASE, renderSite, sri, type ModuleEntry, type ShellInfo } from '../../functions/src/domain/modules/render.ts';
import { startTestStack } from '../support/local-stack.ts';
import { lambdaContext } from '../../local/api-gateway.ts';
import { SITE_PAGE_ID } from '../../functions/src/services/render-site.ts';

const template = '<!doctype html><html><head><!-- csp -->\n<!-- importmap -->\n<!-- head --></head><body><!-- registry --></body></html>';
const shell = (build: string): ShellInfo => ({
  js: `/shell/root-config-${build}.js`, jsIntegrity: sri(build), css: `/shell/shell-${build}.css`, cssIntegrity: sri(`css ${build}`),
  shared: {}, sharedGraph: {}, sharedIntegrity: {},
});
const overview: ModuleEntry = {
  version: '0.1.0', url: '/modules/overview/0.1.0/overview-0.js', integrity: sri('overview'), css: null, cssIntegrity: null,
  specifier: '@itmap/overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' },
};

let stack: LocalStack;
let webDir: string;
let publicDir: string;
const expected = renderSite({ template, shell: shell('new'), modules: { overview } });

beforeAll(async () => {
  delete process.env.CITY;
  webDir = mkdtempSync(join(tmpdir(), 'bando-web-'));
  mkdirSync(join(webDir, 'shell'));
  writeFileSync(join(webDir, REGISTRY_BASE), JSON.stringify({ template, shell: shell('new'), modules: { overview } }));
  // What the registry wrote before the shell was rebuilt: the old shell's page, which the public folder serves first.
  const dataDir = mkdtempSync(join(tmpdir(), 'bando-page-'));
  publicDir = join(dataDir, 'public');
  const old = renderSite({ template, shell: shell('old'), modules: { overview } });
  mkdirSync(join(dataDir, 'public'));
  for (const [path, body] of Object.entries(old.files)) writeFileSync(join(dataDir, 'public', path), body);
  stack = await startTestStack({ dataDir, webDir });
});

afterAll(async () => {
  await stack?.stop();
});

describe('local stack: the page rendered at start', () => {
  it('serves the page of the current build and registry, with the CSP of its import map', async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toBe(expected.html);
    expect(html).not.toContain('root-config-old.js');
    expect(response.headers.get('content-security-policy')).toBe(expected.cspHeader);
    expect(await (await fetch(`${stack.url}/importmap.json`)).json()).toEqual(expected.importMap);
  });

  it('the SitePage handler (render-site) renders it on DynamoDB Local and the folder adapter, as CloudFormation calls it', async () => {
    // On AWS the build's base is in the bucket, uploaded before the custom resource runs.
    mkdirSync(join(publicDir, 'shell'), { recursive: true });
    copyFileSync(join(webDir, REGISTRY_BASE), join(publicDir, REGISTRY_BASE));
    rmSync(join(publicDir, 'index.html'));
    const { handler } = await import('../../functions/src/handlers/render-site.ts');
    const event = {
      RequestType: 'Create', ServiceToken: 'token', ResponseURL: 'https://example.org', StackId: 'stack', RequestId: 'request',
      LogicalResourceId: 'SitePage', ResourceType: 'Custom::SitePage', ResourceProperties: { ServiceToken: 'token', SiteBuild: 'hash' },
    } as const;
    const reply = await handler(event, lambdaContext('render-site'));
    expect(reply).toEqual({ PhysicalResourceId: SITE_PAGE_ID, Data: { Revision: '0', Shell: '/shell/root-config-new.js' } });
    expect(existsSync(join(publicDir, 'index.html'))).toBe(true);
    expect(await (await fetch(`${stack.url}/`)).text()).toBe(expected.html);
  });
});
