import { describe, expect, it } from 'vitest';
import {
  MAX_BYTES, ModuleRuleError, assertMayPublish, assertRouteFree, assertSize, comparePublished, historyWithBaseline, isPlatformRoute,
  liveModules, mayPublish, moduleNameProblem, retire, rollbackTo, routeProblem, toEntry, validateVersion, withCurrent,
  type ModuleVersion, type RegistryState,
} from './rules.ts';
import { sri, type ModuleEntry } from './render.ts';

const integrity = sri('export const x = 1;');
const input = (extra: Record<string, unknown> = {}) => ({
  name: 'overview', version: '1.2.0', url: '/modules/overview/1.2.0/overview-abc123.js', integrity,
  manifest: { name: 'overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' } },
  ...extra,
});
const published = (version: string, at: string, extra: Partial<ModuleVersion> = {}): ModuleVersion => ({
  ...validateVersion('overview', input({ version, url: `/modules/overview/${version}/overview-abc.js` }), 'team'),
  publishedAt: at, publishedBy: 'team', ...extra,
});
const kindOf = (fn: () => unknown) => {
  try { fn(); } catch (error) { return error instanceof ModuleRuleError ? error.kind : 'other'; }
  return 'none';
};

describe('key scope', () => {
  it('a team key publishes only its own module; ingest keys none; the local dev key every one', () => {
    expect(mayPublish({ modules: ['overview'] }, 'overview')).toBe(true);
    expect(mayPublish({ modules: ['overview'] }, 'profile')).toBe(false);
    expect(mayPublish({}, 'overview')).toBe(false);
    expect(mayPublish({ modules: ['*'] }, 'profile')).toBe(true);
    expect(kindOf(() => assertMayPublish({ name: 'profile team', modules: ['profile'] }, 'overview'))).toBe('forbidden');
  });
});

describe('validateVersion', () => {
  it('accepts a version under the module’s own immutable prefix with a sha384 SRI', () => {
    const v = validateVersion('overview', input({ css: '/modules/overview/1.2.0/overview-abc123.css', cssIntegrity: integrity }), 'team');
    expect(v).toMatchObject({ name: 'overview', version: '1.2.0', css: '/modules/overview/1.2.0/overview-abc123.css' });
  });

  it.each([
    ['another module’s prefix', { url: '/modules/profile/1.2.0/x.js' }],
    ['another version’s prefix', { url: '/modules/overview/1.1.0/x.js' }],
    ['another origin', { url: 'https://evil.example/modules/overview/1.2.0/x.js' }],
    ['a path that climbs out', { url: '/modules/overview/1.2.0/../../profile/1.0.0/x.js' }],
    ['a query', { url: '/modules/overview/1.2.0/x.js?v=2' }],
    ['the prefix itself', { url: '/modules/overview/1.2.0/' }],
    ['css elsewhere', { css: '/shell/x.css', cssIntegrity: integrity }],
  ])('refuses a URL outside the prefix: %s', (_label, extra) => {
    const error = (() => { try { validateVersion('overview', input(extra), 'team'); } catch (e) { return e as ModuleRuleError; } })();
    expect(error?.kind).toBe('invalid');
    expect(error?.message).toMatch(/under \/modules\/overview\/1\.2\.0\//);
  });

  it.each([
    ['not semver', { version: '1.2' }],
    ['sha256 instead of sha384', { integrity: 'sha256-' + 'A'.repeat(43) + '=' }],
    ['truncated SRI', { integrity: integrity.slice(0, -2) }],
    ['another module in the manifest', { manifest: { name: 'profile', owner: 'x', route: '/', title: { vi: 'a', en: 'b' } } }],
    ['no English title', { manifest: { name: 'overview', owner: 'x', route: '/', title: { vi: 'a' } } }],
    ['an unknown field', { script: 'alert(1)' }],
    ['a name other than the path', { name: 'profile' }],
    ['css without its integrity', { css: '/modules/overview/1.2.0/a.css' }],
  ])('refuses %s', (_label, extra) => {
    expect(kindOf(() => validateVersion('overview', input(extra), 'team'))).toBe('invalid');
  });

  it('refuses a body that is not an object and a bad module name', () => {
    expect(kindOf(() => validateVersion('overview', [input()], 'team'))).toBe('invalid');
    expect(kindOf(() => validateVersion('../x', input(), 'team'))).toBe('invalid');
  });
});

describe('immutability', () => {
  const existing = published('1.2.0', '2026-01-01T00:00:00Z');
  it('the identical version again is idempotent, other files under the same version are a conflict', () => {
    expect(comparePublished(undefined, existing)).toBe('new');
    expect(comparePublished(existing, { ...existing, manifest: { ...existing.manifest, owner: 'someone' } })).toBe('identical');
    expect(kindOf(() => comparePublished(existing, { ...existing, integrity: sri('other') }))).toBe('conflict');
    expect(kindOf(() => comparePublished(existing, { ...existing, url: '/modules/overview/1.2.0/other.js' }))).toBe('conflict');
  });
});

describe('publish and rollback', () => {
  const v1 = published('1.0.0', '2026-01-01T00:00:00Z');
  const v2 = published('1.1.0', '2026-01-02T00:00:00Z');
  const empty: RegistryState = { revision: 0, current: {} };

  it('each change bumps the revision; rollback makes a recorded version live again', () => {
    const one = withCurrent(empty, v1, 't1');
    const two = withCurrent(one, v2, 't2');
    expect([one.revision, two.revision, two.current.overview.version]).toEqual([1, 2, '1.1.0']);
    const back = rollbackTo(two, [v1, v2], 'overview', '1.0.0', 't3');
    expect([back.revision, back.current.overview.version]).toEqual([3, '1.0.0']);
    expect(kindOf(() => rollbackTo(two, [v1, v2], 'overview', '9.9.9', 't'))).toBe('not_found');
    expect(kindOf(() => rollbackTo(two, [v1, v2], 'overview', undefined, 't'))).toBe('invalid');
  });

  it('what is live: the build’s modules overridden by the registry; history keeps every version plus the build’s', () => {
    const build = { overview: { ...toEntry(published('0.1.0', 'build')) }, profile: { ...toEntry(published('0.1.0', 'build')), specifier: '@itmap/profile' } };
    const live = liveModules(build, withCurrent(empty, v2, 't'));
    expect(live.overview.version).toBe('1.1.0');
    expect(live.profile.version).toBe('0.1.0');
    expect(historyWithBaseline('overview', [v2, v1], build.overview).map((v) => v.version)).toEqual(['0.1.0', '1.0.0', '1.1.0']);
    expect(historyWithBaseline('overview', [v1], undefined).map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('a version recorded before the publish policy with an off-site route is not live', () => {
    const offSite = { ...v2, manifest: { ...v2.manifest, route: '//134744072/x' } };
    expect(liveModules({}, withCurrent(empty, offSite, 't'))).toEqual({});
    expect(liveModules({}, withCurrent(empty, v2, 't')).overview.route).toBe('/');
  });
});

describe('names: one rule for the scaffold, the keys tool and the registry', () => {
  it.each(['a', 'overview', 'feedback-1022', 'x'.repeat(40)])('accepts %s', (name) => expect(moduleNameProblem(name)).toBeNull());
  it.each(['', 'x'.repeat(41), 'Overview', '1abc', '-abc', '_kit', 'a_b', 'a.b', '../x', 'a/b', ' a', 'héalth', 42, undefined])('refuses %s', (name) => {
    expect(moduleNameProblem(name)).toMatch(/not a module name: 1 to 40 characters/);
  });
});

describe('routes stay on the site: what the navigation links to', () => {
  it.each(['/', '/health', '/health/clinics', '/feedback-1022', '/units/:unitId', '/a1/b-2/c'])('accepts %s', (route) => {
    expect(routeProblem(route)).toBeNull();
  });
  it.each([
    ['another host', '//134744072/x'], ['another host behind a backslash', '/\\evil.example'], ['a backslash', '/a\\b'],
    ['a scheme', 'https://evil.example/x'], ['javascript:', 'javascript:alert(1)'], ['relative', 'health'],
    ['an empty segment', '/a//b'], ['a trailing slash', '/health/'], ['a dot segment', '/a/../b'], ['a file', '/index.html'],
    ['an escape', '/%2F%2Fevil.example'], ['a query', '/health?x=1'], ['a fragment', '/health#x'], ['upper case', '/Health'],
    ['a space', '/he alth'], ['a tab', '/\thealth'], ['a leading hyphen', '/-x'], ['a double hyphen', '/a--b'], ['too long', '/' + 'a'.repeat(100)],
    ['not a string', 42], ['nothing', undefined],
  ])('refuses %s', (_label, route) => expect(routeProblem(route)).not.toBeNull());

  it('refuses a bad route in a version, naming the field', () => {
    const error = (() => { try { validateVersion('overview', input({ manifest: { ...input().manifest, route: '//evil.example/x' } }), 'team'); } catch (e) { return e as ModuleRuleError; } })();
    expect(error?.kind).toBe('invalid');
    expect(error?.message).toMatch(/^manifest\.route must be/);
    expect(error?.details).toEqual([expect.objectContaining({ field: 'manifest.route' })]);
  });
});

describe('platform routes and route ownership', () => {
  const entry = (route: string): ModuleEntry => ({ ...toEntry(published('0.1.0', 'build')), route });
  const baseline = { overview: entry('/'), profile: entry('/units/:unitId'), progress: entry('/progress') };

  it.each(['/', '/units/:unitId', '/:page', '/health/:id', '/api', '/api/x', '/data', '/embed/x', '/modules', '/shared', '/units', '/units/q1'])(
    '%s is the platform’s', (route) => expect(isPlatformRoute(route)).toBe(true),
  );
  it.each(['/health', '/apis', '/unitsx', '/health/api', '/health/units'])('%s is not', (route) => expect(isPlatformRoute(route)).toBe(false));

  it('a team may not take a platform route; a module keeps the route the build gave it', () => {
    for (const route of ['/', '/units/:unitId', '/:page', '/api', '/data/x', '/embed', '/modules', '/shared', '/units']) {
      expect(kindOf(() => assertRouteFree('health', route, baseline, baseline))).toBe('forbidden');
    }
    expect(kindOf(() => assertRouteFree('overview', '/', baseline, baseline))).toBe('none');
    expect(kindOf(() => assertRouteFree('profile', '/units/:unitId', baseline, baseline))).toBe('none');
    expect(kindOf(() => assertRouteFree('profile', '/units/:id', baseline, baseline))).toBe('forbidden');
  });

  it('a route belongs to the live module that holds it; free again once that one is retired', () => {
    const live = { ...baseline, health: entry('/health') };
    expect(kindOf(() => assertRouteFree('health', '/health', baseline, live))).toBe('none');
    expect(kindOf(() => assertRouteFree('clinics', '/health', baseline, live))).toBe('conflict');
    expect(kindOf(() => assertRouteFree('clinics', '/progress', baseline, live))).toBe('conflict');
    expect(kindOf(() => assertRouteFree('clinics', '/clinics', baseline, live))).toBe('none');
    const { health: _, ...withoutHealth } = live;
    expect(kindOf(() => assertRouteFree('clinics', '/health', baseline, withoutHealth))).toBe('none');
    // a build module whose route another module took while it was retired must choose again
    const { progress: __, ...progressRetired } = live;
    expect(kindOf(() => assertRouteFree('progress', '/progress', baseline, { ...progressRetired, tracker: entry('/progress') }))).toBe('conflict');
  });

  it('the build may put two of its modules on one route', () => {
    const shared = { hello: entry('/'), steady: entry('/') };
    expect(kindOf(() => assertRouteFree('hello', '/', shared, shared))).toBe('none');
  });
});

describe('size limits and owner', () => {
  it('JS and CSS each have a stated limit', () => {
    expect(kindOf(() => assertSize('url', '/x.js', MAX_BYTES.js))).toBe('none');
    expect(kindOf(() => assertSize('url', '/x.js', MAX_BYTES.js + 1))).toBe('too_large');
    expect(kindOf(() => assertSize('css', '/x.css', MAX_BYTES.css))).toBe('none');
    expect(kindOf(() => assertSize('css', '/x.css', MAX_BYTES.css + 1))).toBe('too_large');
    expect(MAX_BYTES.css).toBeLessThan(MAX_BYTES.js);
  });

  it('the owner is the key’s name, whatever the manifest says', () => {
    expect(validateVersion('overview', input({ manifest: { ...input().manifest, owner: 'another team' } }), 'overview team').manifest.owner).toBe('overview team');
    expect(validateVersion('overview', input({ manifest: { name: 'overview', route: '/', title: { vi: 'a', en: 'b' } } }), 'overview team').manifest.owner).toBe('overview team');
  });
});

describe('retire', () => {
  const v1 = published('1.0.0', '2026-01-01T00:00:00Z');
  const build = { overview: toEntry(published('0.1.0', 'build')) };

  it('takes a module out of what is live, keeps its entry, and publishing or rolling back brings it back', () => {
    const one = withCurrent({ revision: 0, current: {} }, v1, 't1');
    const gone = retire(one, build, 'overview', 'overview team', 't2')!;
    expect(gone.revision).toBe(2);
    expect(gone.current.overview).toMatchObject({ version: '1.0.0', retired: { at: 't2', by: 'overview team' } });
    expect(liveModules(build, gone).overview).toBeUndefined();
    expect(retire(gone, build, 'overview', 'x', 't3')).toBeNull();
    const back = withCurrent(gone, gone.current.overview, 't3');
    expect(back.current.overview.retired).toBeUndefined();
    expect(liveModules(build, back).overview.version).toBe('1.0.0');
    expect(liveModules(build, rollbackTo(gone, [v1], 'overview', '1.0.0', 't4')).overview.version).toBe('1.0.0');
  });

  it('retires a module the registry never changed (the build’s), and refuses one it does not know', () => {
    const gone = retire({ revision: 0, current: {} }, build, 'overview', 'x', 't')!;
    expect(gone.current.overview).toMatchObject({ version: '0.1.0', retired: { by: 'x' } });
    expect(liveModules(build, gone)).toEqual({});
    expect(kindOf(() => retire({ revision: 0, current: {} }, build, 'health', 'x', 't'))).toBe('not_found');
  });
});
