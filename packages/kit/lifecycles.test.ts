import { describe, expect, it, vi } from 'vitest';
import { tick } from 'svelte';
import { moduleLifecycles, stylesheetFor } from './lifecycles.svelte.ts';
import Echo from './test-fixtures/Echo.svelte';
import Throws from './test-fixtures/Throws.svelte';

describe('moduleLifecycles (single-spa around Svelte 5 mount/unmount)', () => {
  it('mounts into domElement, re-renders on update, and clears on unmount', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const app = moduleLifecycles(Echo, { name: 'echo' });
    await app.bootstrap();
    await app.mount({ domElement: el, locale: 'vi', period: '2024-03', unitId: null });
    expect(el.textContent).toBe('vi|2024-03|-');
    await app.update({ locale: 'en', period: '2024-Q1', unitId: 'quan-3' });
    await tick();
    expect(el.textContent).toBe('en|2024-Q1|quan-3');
    await app.unmount();
    expect(el.innerHTML).toBe('');
    // and mounts again after an unmount
    await app.mount({ domElement: el, locale: 'vi', period: '2024', unitId: null });
    expect(el.textContent).toBe('vi|2024|-');
    await app.unmount();
  });

  it('falls back to single-spa’s default container', async () => {
    const el = document.createElement('div');
    el.id = 'single-spa-application:echo';
    document.body.append(el);
    const app = moduleLifecycles(Echo, { name: 'echo' });
    await app.mount({ name: 'echo', locale: 'vi', period: '2024', unitId: null });
    expect(el.textContent).toBe('vi|2024|-');
    await app.unmount();
  });

  it('shows the error card when the component throws while rendering, with a retry', async () => {
    const el = document.createElement('div');
    const app = moduleLifecycles(Throws, { name: 'throws' });
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      await app.mount({ domElement: el, locale: 'vi' });
      expect(el.textContent).toBe('ok');
      await app.update({ locale: 'en' });
      await tick();
      expect(el.querySelector('.error-card')?.textContent).toContain('render failed');
      expect(el.querySelector('button')?.textContent).toBe('Retry');
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      console.error = orig;
      await app.unmount();
    }
  });

  it('reports a failure to the registry once per kind, with the published version only (a beacon)', async () => {
    const beacons: { url: string; body: unknown }[] = [];
    const sendBeacon = vi.fn((url: string, data: Blob) => { beacons.push({ url, body: data }); return true; });
    Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
    const orig = console.error;
    console.error = () => {};
    try {
      const url = 'http://localhost/modules/beacon/1.2.3/beacon-ab12.js';
      const el = document.createElement('div');
      const app = moduleLifecycles(Throws, { name: 'beacon', url });
      await app.mount({ domElement: el, locale: 'vi' });
      await app.update({ locale: 'en' }); // Throws fails to render in English
      await tick();
      el.querySelector('button')!.click(); // Retry: it fails again, reported once
      await tick();
      expect(el.querySelector('.error-card')).not.toBeNull();
      await app.unmount();
      // no element to mount into: a mount failure
      await expect(moduleLifecycles(Throws, { name: 'beacon', url }).mount({ name: 'nowhere' })).rejects.toThrow(/no element/);
      // not a published module (dev server, tests): nothing sent
      await expect(moduleLifecycles(Throws, { name: 'beacon', url: 'http://127.0.0.1:5173/main.js' }).mount({ name: 'nowhere' })).rejects.toThrow();
      expect(beacons.map((b) => b.url)).toEqual(['/api/v1/modules/beacon/errors', '/api/v1/modules/beacon/errors']);
      expect(await Promise.all(beacons.map((b) => (b.body as Blob).text().then(JSON.parse)))).toEqual([{ version: '1.2.3', kind: 'render' }, { version: '1.2.3', kind: 'mount' }]);
    } finally {
      console.error = orig;
      Reflect.deleteProperty(navigator, 'sendBeacon');
    }
  });

  it('derives the stylesheet from the built module URL only', () => {
    expect(stylesheetFor('https://x.test/modules/overview/0.1.0/overview-abc.js')).toBe('https://x.test/modules/overview/0.1.0/overview-abc.css');
    expect(stylesheetFor('https://x.test/modules/o/1/o-abc.js?retry=1')).toBe('https://x.test/modules/o/1/o-abc.css');
    expect(stylesheetFor('file:///src/main.ts')).toBeNull();
    expect(stylesheetFor(undefined)).toBeNull();
  });

  it('adds no stylesheet of its own when the shell already loaded it (with its integrity)', async () => {
    vi.stubGlobal('CSS', { escape: (text: string) => text }); // jsdom has no CSS.escape; this href needs none
    const href = 'https://x.test/modules/echo/1.0.0/echo-abc.css';
    const shells = document.createElement('link');
    shells.rel = 'stylesheet';
    const integrity = 'sha384-' + 'A'.repeat(64);
    shells.setAttribute('integrity', integrity);
    shells.href = href;
    document.head.append(shells);
    const app = moduleLifecycles(Echo, { name: 'echo', url: 'https://x.test/modules/echo/1.0.0/echo-abc.js?retry=1' });
    await app.bootstrap();
    expect([...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => [link.getAttribute('href'), link.getAttribute('integrity')])).toEqual([[href, integrity]]);
    shells.remove();
    vi.unstubAllGlobals();
  });
});
