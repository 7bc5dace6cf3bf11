/**
 * One module's place on the page, and the error isolation around it. single-spa gets lifecycles
 * from `slot.lifecycles`, which never reject: a module that 404s, fails to parse, has no
 * lifecycles, or throws in bootstrap/mount/update shows an error card with a Retry button in its
 * own slot, and single-spa (and so every other module) carries on as if nothing happened.
 * A lifecycle that never settles is bounded by single-spa's own timeouts (root-config.ts): single-spa
 * gives the module up, the shell calls `giveUp`, and the slot shows the card on its route; Retry
 * asks the shell to register it again (`revive`). Whatever the abandoned call does later is ignored.
 */
import type { Locale } from '@itmap/kit/core';
import type { ModuleErrorKind } from '@itmap/shared-types/module-errors';

export interface Lifecycles {
  bootstrap?: (props: any) => Promise<unknown> | unknown;
  mount: (props: any) => Promise<unknown> | unknown;
  unmount: (props: any) => Promise<unknown> | unknown;
  update?: (props: any) => Promise<unknown> | unknown;
}
export interface SlotOptions {
  name: string;
  /** the module's import-map specifier */
  specifier: string;
  /** imports a module; `attempt` > 0 on a Retry (the shell then asks past any cached failure) */
  importer: (specifier: string, attempt: number) => Promise<unknown>;
  /** the section the slot lives in */
  element: HTMLElement;
  strings: (locale: Locale) => { loading: string; error: string; retry: string };
  /** every failure, with what failed (the shell reports it to the module's team: root-config.ts) */
  onError?: (name: string, error: unknown, kind: ModuleErrorKind) => void;
  /** registers the module with single-spa again after single-spa gave it up */
  revive?: (name: string) => Promise<void> | void;
  /** the module's stylesheet as the registry recorded it: loaded with its SRI, beside the import */
  stylesheet?: { href: string; integrity: string } | null;
}

/**
 * Adds the module's stylesheet with `integrity`, so a CSS file changed after publishing is refused
 * by the browser (the module then renders unstyled). It goes in before the module runs: the kit's
 * adapter finds the link by its href and adds no unchecked copy.
 */
export function loadStylesheet(sheet: { href: string; integrity: string }, onError: (error: Error) => void): Promise<void> {
  const href = new URL(sheet.href, document.baseURI).href;
  if (document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.integrity = sheet.integrity;
    link.href = href;
    link.onload = () => resolve();
    link.onerror = () => { onError(new Error(`${href}: not loaded (missing, or its bytes do not match its integrity)`)); resolve(); };
    document.head.append(link);
  });
}

/**
 * single-spa's own limit on each lifecycle (root-config.ts sets them); past it single-spa gives the module up (dieOnTimeout) and
 * goes on routing, so a module that never settles blocks neither the page nor navigation. Mount covers
 * fetching the module, its stylesheet and its own bootstrap too (the slot does those there, so single-spa's
 * bootstrap is the slot's, at once); unmount is short because navigation waits for it.
 */
export const LIFECYCLE_MAX_MS = { bootstrap: 4_000, mount: 10_000, unmount: 3_000 };

type State = 'idle' | 'loading' | 'mounting' | 'mounted' | 'error';

export class Slot {
  readonly name: string;
  readonly element: HTMLElement;
  readonly mountPoint: HTMLElement;
  private readonly status: HTMLElement;
  private readonly opts: SlotOptions;
  private module: Lifecycles | null = null;
  /** a load started by preload() before single-spa mounts the slot */
  private loading: Promise<Lifecycles> | null = null;
  /** failed loads so far: the importer gets it so a Retry can ask past a cached failure */
  private failedLoads = 0;
  private active = false;
  /** bumped by every mount, unmount and giveUp: a call that finishes under an older run changes nothing */
  private run = 0;
  /** single-spa gave this module up (a lifecycle past its timeout): it mounts again only through Retry */
  givenUp = false;
  private props: { [key: string]: unknown } = {};
  state: State = 'idle';
  lastError: unknown = null;
  /** what the slot is doing with the module's code now: what a failure is reported as */
  private phase: 'load' | 'bootstrap' | 'mount' = 'load';

  constructor(opts: SlotOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.element = opts.element;
    this.element.classList.add('slot');
    this.element.dataset.module = opts.name;
    this.element.hidden = true;
    this.mountPoint = document.createElement('div');
    this.mountPoint.className = 'slot__mount';
    this.mountPoint.id = `single-spa-application:${opts.name}`;
    this.status = document.createElement('div');
    this.status.className = 'slot__status';
    this.element.replaceChildren(this.status, this.mountPoint);
  }

  /** What single-spa's loading function resolves to. */
  readonly lifecycles = {
    bootstrap: async () => {},
    mount: async (props: object) => {
      this.active = true;
      this.props = { ...props };
      this.element.hidden = false;
      await this.start();
    },
    unmount: async () => {
      const run = ++this.run;
      this.active = false;
      this.element.hidden = true;
      const wasMounted = this.state === 'mounted' || this.state === 'mounting';
      this.setStatus(null);
      if (wasMounted && this.module) {
        try { await this.module.unmount(this.mountProps()); } catch (e) { this.report(e, 'unmount'); }
      }
      if (run !== this.run) return;
      this.mountPoint.replaceChildren();
      this.state = 'idle';
    },
  };

  /** single-spa gave up on one of this module's lifecycles (its timeout passed): show the card where the route is. */
  giveUp(error: unknown, onRoute: boolean) {
    this.run++;
    this.givenUp = true;
    this.state = 'error';
    this.lastError = error;
    this.report(error, 'timeout');
    this.mountPoint.replaceChildren();
    this.showGivenUp(onRoute);
  }

  /** single-spa no longer mounts a module it gave up: the shell shows its card on its route, and hides it elsewhere. */
  showGivenUp(onRoute: boolean) {
    if (!this.givenUp) return;
    this.active = onRoute;
    this.element.hidden = !onRoute;
    this.setStatus(onRoute ? 'error' : null);
  }

  /** New props from the shell (URL change, live update). */
  async update(props: object) {
    this.props = { ...props };
    if (this.state !== 'mounted' || !this.module?.update) return;
    try {
      await this.module.update(this.mountProps());
    } catch (e) {
      await this.fail(e, 'update');
    }
  }

  /** Starts loading the module now (the first view's, while the shell waits for data); mount uses it. */
  preload() {
    if (this.module || this.loading) return;
    this.loading = this.load();
    this.loading.catch(() => { /* reported when the slot mounts */ });
  }

  async retry() {
    if (this.givenUp) {
      this.givenUp = false;
      this.state = 'idle';
      this.setStatus('loading');
      await this.opts.revive?.(this.name); // single-spa then mounts it as any other
    } else if (this.active) await this.start();
  }

  private mountProps() {
    return { ...this.props, name: this.name, domElement: this.mountPoint };
  }

  private async start() {
    if (this.state === 'loading' || this.state === 'mounting' || this.state === 'mounted') return;
    const run = ++this.run;
    this.state = 'loading';
    this.setStatus('loading');
    try {
      const loading = this.module ?? this.loading ?? this.load();
      this.loading = null;
      const module = await loading;
      if (run !== this.run) return; // unmounted meanwhile
      this.state = 'mounting';
      this.phase = 'mount';
      await module.mount(this.mountProps());
      if (run !== this.run) return; // unmounted or given up meanwhile
      this.state = 'mounted';
      this.setStatus(null);
    } catch (e) {
      if (run === this.run) await this.fail(e, this.phase);
    }
  }

  private async load(): Promise<Lifecycles> {
    try {
      this.phase = 'load';
      const sheet = this.opts.stylesheet;
      const [loaded] = (await Promise.all([
        this.opts.importer(this.opts.specifier, this.failedLoads),
        sheet ? loadStylesheet(sheet, (error) => this.report(error, 'load')) : undefined,
      ])) as [Partial<Lifecycles>, unknown];
      if (!loaded || typeof loaded.mount !== 'function' || typeof loaded.unmount !== 'function') {
        throw new Error(`${this.name}: the module does not export single-spa lifecycles (mount, unmount)`);
      }
      this.phase = 'bootstrap';
      await loaded.bootstrap?.(this.mountProps());
      this.module = loaded as Lifecycles;
      return this.module;
    } catch (e) {
      this.failedLoads++;
      throw e;
    }
  }

  private async fail(error: unknown, kind: ModuleErrorKind) {
    const wasMounting = this.state === 'mounting' || this.state === 'mounted';
    this.state = 'error';
    this.lastError = error;
    this.report(error, kind);
    if (wasMounting && this.module) {
      try { await this.module.unmount(this.mountProps()); } catch { /* it is broken already */ }
    }
    this.mountPoint.replaceChildren();
    if (this.active) this.setStatus('error');
  }

  private report(error: unknown, kind: ModuleErrorKind) {
    console.error(`[${this.name}]`, error);
    this.opts.onError?.(this.name, error, kind);
  }

  /** Re-render the status (loading / error card) in the current locale. */
  refreshStatus() {
    if (this.state === 'error' && this.active) this.setStatus('error');
    else if ((this.state === 'loading' || this.state === 'mounting') && this.active) this.setStatus('loading');
  }

  private setStatus(kind: 'loading' | 'error' | null) {
    const locale = (this.props.locale as Locale) ?? 'vi';
    const s = this.opts.strings(locale);
    this.element.setAttribute('aria-busy', String(kind === 'loading'));
    if (kind === null) { this.status.replaceChildren(); return; }
    if (kind === 'loading') {
      const p = document.createElement('p');
      p.className = 'loading';
      p.textContent = s.loading;
      this.status.replaceChildren(p);
      return;
    }
    const card = document.createElement('div');
    card.className = 'error-card';
    card.setAttribute('role', 'alert');
    const title = document.createElement('p');
    title.className = 'error-card__title';
    title.textContent = s.error;
    const detail = document.createElement('p');
    detail.className = 'error-card__detail';
    detail.textContent = this.lastError instanceof Error ? this.lastError.message : String(this.lastError ?? '');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.textContent = s.retry;
    button.addEventListener('click', () => { button.disabled = true; void this.retry(); });
    card.append(title, detail, button);
    this.status.replaceChildren(card);
  }
}
