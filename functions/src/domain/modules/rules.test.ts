import { describe, expect, it } from 'vitest';
import {
  ModuleRuleError, assertMayPublish, comparePublished, historyWithBaseline, liveModules, mayPublish, rollbackTo, toEntry,
  validateVersion, withCurrent, type ModuleVersion, type RegistryState,
} from './rules.ts';
import { sri } from './render.ts';

const integrity = sri('export const x = 1;');
const input = (extra: Record<string, unknown> = {}) => ({
  name: 'overview', version: '1.2.0', url: '/modules/overview/1.2.0/overview-abc123.js', integrity,
  manifest: { name: 'overview', owner: 'platform', route: '/', title: { vi: 'Tổng quan', en: 'Overview' } },
  ...extra,
});
const published = (version: string, at: string, extra: Partial<ModuleVersion> = {}): ModuleVersion => ({
  ...validateVersion('overview', input({ version, url: `/modules/overview/${version}/overview-abc.js` })),
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
    const v = validateVersion('overview', input({ css: '/modules/overview/1.2.0/overview-abc123.css', cssIntegrity: integrity }));
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
    const error = (() => { try { validateVersion('overview', input(extra)); } catch (e) { return e as ModuleRuleError; } })();
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
    expect(kindOf(() => validateVersion('overview', input(extra)))).toBe('invalid');
  });

  it('refuses a body that is not an object and a bad module name', () => {
    expect(kindOf(() => validateVersion('overview', [input()]))).toBe('invalid');
    expect(kindOf(() => validateVersion('../x', input()))).toBe('invalid');
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
});
