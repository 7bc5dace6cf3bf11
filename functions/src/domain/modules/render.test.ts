import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderSite, sri, SITE_ICON, type ModuleEntry, type ShellInfo } from './render.ts';

const template = '<html><head><!-- csp -->\n<!-- importmap -->\n<!-- head --></head><body></body></html>';
const shell: ShellInfo = {
  js: '/shell/root-config-1.js', jsIntegrity: sri('shell'), css: '/shell/shell-1.css', cssIntegrity: sri('css'),
  shared: { 'single-spa': '/shared/single-spa-A.js' }, sharedGraph: { '/shared/single-spa-A.js': [] },
  sharedIntegrity: { '/shared/single-spa-A.js': sri('spa') },
  importMapOverrides: { url: '/shell/import-map-overrides-1.js', integrity: sri('imo') },
};
const entry = (version: string): ModuleEntry => ({
  version, url: `/modules/overview/${version}/overview-x.js`, integrity: sri(version), css: null, cssIntegrity: null,
  specifier: '@itmap/overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' },
});

describe('renderSite', () => {
  it('inlines the map and allows exactly its sha256, in the page and in the header policy', () => {
    const site = renderSite({ template, shell, modules: { overview: entry('1.0.0') } });
    const inline = /<script type="importmap">(.*?)<\/script>/.exec(site.html)![1];
    expect(inline).toBe(site.importMapText);
    const hash = createHash('sha256').update(inline).digest('base64');
    expect(site.cspHeader).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(site.cspHeader).toContain("frame-ancestors 'none'");
    expect(site.cspHeader).not.toContain('unsafe-inline');
    expect(site.html).toContain(`'sha256-${hash}'`);
    expect(site.importMap.imports['@itmap/overview']).toBe('/modules/overview/1.0.0/overview-x.js');
    expect(site.importMap.integrity['/modules/overview/1.0.0/overview-x.js']).toBe(sri('1.0.0'));
    expect(JSON.parse(site.files['modules.json']).overview.version).toBe('1.0.0');
    expect(site.html).toContain(`<script type="module" src="/shell/root-config-1.js" integrity="${sri('shell')}">`);
  });

  it('renders the nav and the live modules into the page, so the shell neither fetches nor moves anything to show them', () => {
    const withNav = template.replace('<body>', '<body><ul id="nav"><!-- nav --></ul><!-- registry -->');
    const profile = { ...entry('2.0.0'), specifier: '@itmap/profile', route: '/units/:unitId', title: { vi: 'Hồ sơ <đơn vị>', en: 'Profile' } };
    const site = renderSite({ template: withNav, shell, modules: { profile, overview: entry('1.0.0') } });
    // routes with a parameter are not pages of the nav
    expect(site.html).toContain('<ul id="nav"><li><a href="/">Tổng quan</a></li></ul>');
    const block = /<script type="application\/json" id="itmap-modules">(.*?)<\/script>/.exec(site.html)![1];
    expect(block).not.toContain('<');
    expect(JSON.parse(block)).toEqual(JSON.parse(site.files['modules.json']));
    // a data block is never run: the policy still allows the import map alone
    expect(site.cspHeader).toMatch(/script-src 'self' 'sha256-[^' ]+'; /);
  });

  it('has the site\'s icon inline, a PNG its policy allows (no request for /favicon.ico; no SVG document to render)', () => {
    const site = renderSite({ template, shell, modules: { overview: entry('1.0.0') } });
    expect(site.html).toContain(SITE_ICON);
    expect(SITE_ICON).toMatch(/^<link rel="icon" type="image\/png" sizes="32x32" href="data:image\/png;base64,iVBORw0KGgo[A-Za-z0-9+/=]+">$/);
    expect(site.cspHeader).toMatch(/img-src 'self' data:;/);
  });

  it('preloads the landing page\'s module (route /) with its integrity, and no other module', () => {
    const profile = { ...entry('2.0.0'), url: '/modules/profile/2.0.0/profile-x.js', specifier: '@itmap/profile', route: '/units/:unitId' };
    const site = renderSite({ template, shell, modules: { profile, overview: entry('1.0.0') } });
    expect(site.html).toContain(`<link rel="modulepreload" href="/modules/overview/1.0.0/overview-x.js" integrity="${sri('1.0.0')}">`);
    expect(site.html).not.toContain('href="/modules/profile/2.0.0/profile-x.js"');
    // before the shell's script, which would find it only once it runs
    expect(site.html.indexOf('overview-x.js" integrity')).toBeLessThan(site.html.indexOf('root-config-1.js'));
    expect(renderSite({ template, shell, modules: { profile } }).html).not.toContain('rel="modulepreload" href="/modules/');
  });

  it('a new version changes the map and its hash, never the shell bundle', () => {
    const a = renderSite({ template, shell, modules: { overview: entry('1.0.0') } });
    const b = renderSite({ template, shell, modules: { overview: entry('1.1.0') } });
    expect(a.cspHeader).not.toBe(b.cspHeader);
    expect(b.html).toContain('/shell/root-config-1.js');
  });

  it('the dev variant loads import-map-overrides as a hashed file and only then allows inline maps', () => {
    const site = renderSite({ template, shell, modules: { overview: entry('1.0.0') }, overrides: { ...shell.importMapOverrides!, origins: ['http://localhost:*'] } });
    expect(site.html).toContain('<script type="overridable-importmap">');
    expect(site.html).toContain(`<script src="/shell/import-map-overrides-1.js" integrity="${sri('imo')}"></script>`);
    expect(site.cspHeader).toContain("script-src 'self' 'unsafe-inline' http://localhost:*");
    expect(site.html).toContain('<import-map-overrides-full show-when-local-storage="imo-ui"');
    expect(renderSite({ template, shell, modules: { overview: entry('1.0.0') } }).html).not.toContain('import-map-overrides');
    // a module served by npm run module -- dev loads its stylesheet beside its script, from the same origin
    expect(site.cspHeader).toContain("style-src 'self' 'unsafe-inline' http://localhost:*;"); // and the overrides panel's inline styles
    expect(site.cspHeader).toContain("connect-src 'self' http://localhost:*;");
    // the production page: styles from the site only
    expect(renderSite({ template, shell, modules: { overview: entry('1.0.0') } }).cspHeader).toContain("style-src 'self';");
  });

  it('refuses a template without placeholders and a shell without integrity', () => {
    expect(() => renderSite({ template: '<html></html>', shell, modules: {} })).toThrow(/placeholders/);
    expect(() => renderSite({ template, shell: { ...shell, sharedIntegrity: {} }, modules: {} })).toThrow(/integrity/);
  });
});
