/**
 * single-spa lifecycles around Svelte 5 `mount`/`unmount` (single-spa-svelte only speaks the
 * Svelte 4 component API). The props live in one `$state` object: `update` assigns the changed
 * keys and the module re-renders in place.
 */
import { mount as svelteMount, unmount as svelteUnmount, type Component } from 'svelte';
import ModuleHost from './ModuleHost.svelte';
import { reportModuleError, type ModuleProps } from './core.ts';

/** What single-spa (or the shell) passes: the contract props plus single-spa's own. */
export type LifecycleProps = Partial<ModuleProps> & { name?: string; domElement?: HTMLElement; [k: string]: unknown };

export interface ModuleLifecycles {
  bootstrap(props?: LifecycleProps): Promise<void>;
  mount(props: LifecycleProps): Promise<void>;
  update(props: LifecycleProps): Promise<void>;
  unmount(props?: LifecycleProps): Promise<void>;
}

export interface ModuleOptions {
  /** module name, as in its manifest */
  name: string;
  /** the module's `import.meta.url`: its stylesheet is the same file name with `.css` (see scripts/build-web.ts) */
  url?: string;
}

const CONTRACT_KEYS = ['locale', 'period', 'unitId', 'navigate', 'href', 'api', 'embed', 'query', 'asOf'] as const;

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Object.getPrototypeOf(a) === Object.prototype) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.is((a as any)[k], (b as any)[k]));
  }
  return false;
}

/** The stylesheet beside a built module (`overview-abc123.js` → `overview-abc123.css`); none in dev/tests. */
export function stylesheetFor(url: string | undefined): string | null {
  if (!url) return null;
  const u = new URL(url);
  if (!u.pathname.endsWith('.js')) return null;
  u.pathname = u.pathname.replace(/\.js$/, '.css');
  u.search = '';
  return u.href;
}

function loadStylesheet(href: string): Promise<HTMLLinkElement> {
  const existing = document.querySelector<HTMLLinkElement>(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`);
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    // a missing stylesheet must not stop the module: it renders unstyled
    link.onload = link.onerror = () => resolve(link);
    document.head.append(link);
  });
}

export function moduleLifecycles(App: Component<any>, options: ModuleOptions): ModuleLifecycles {
  const props = $state<Record<string, unknown>>({});
  let instance: Record<string, unknown> | null = null;
  let target: HTMLElement | null = null;
  let stylesheet: Promise<HTMLLinkElement> | null = null;

  function assign(next: LifecycleProps) {
    for (const key of CONTRACT_KEYS) {
      if (key in next && !sameValue(props[key], next[key])) props[key] = next[key];
    }
  }

  return {
    async bootstrap() {
      const href = stylesheetFor(options.url);
      if (href && typeof document !== 'undefined') stylesheet = loadStylesheet(href);
    },
    async mount(next) {
      if (stylesheet) await stylesheet;
      // the module's first render in a task of its own: single-spa's routing and the shell's
      // navigation run in the task that calls mount, and together they would block the page longer
      await new Promise((rendered) => setTimeout(rendered));
      try {
        target = next.domElement ?? document.getElementById(`single-spa-application:${next.name ?? options.name}`);
        if (!target) throw new Error(`${options.name}: no element to mount into`);
        assign(next);
        instance = svelteMount(ModuleHost, { target, props: { component: App, moduleProps: props, name: options.name, onerror: () => reportModuleError(options.name, options.url, 'render') } });
      } catch (error) {
        reportModuleError(options.name, options.url, 'mount');
        throw error;
      }
    },
    async update(next) {
      assign(next);
    },
    async unmount() {
      if (instance) await svelteUnmount(instance);
      instance = null;
      target?.replaceChildren();
      target = null;
    },
  };
}
