/**
 * The single-spa root config: no UI framework. It owns the layout, navigation, locale, period
 * and unit selection, the URL (all view state, back/forward), live updates, and error isolation
 * (see slot.ts). Modules come from /modules.json (the registry) and are imported through the
 * import map by their specifier, so import-map-overrides can point one at a laptop.
 */
import {
  addErrorHandler, navigateToUrl, registerApplication, setBootstrapMaxTime, setMountMaxTime, setUnmountMaxTime, start, unregisterApplication,
} from 'single-spa';
import {
  createApi, formatDateTime, lt, defaultPeriodFrom, reportModuleError, downloadViewArchive,
  type Locale, type NavigateTo, type LatestSnapshot, type Unit, type ModuleProps,
} from '@itmap/kit/core';
import { parseLocation, hrefFor, matchRoute, type ViewState } from './url-state.ts';
import { LIFECYCLE_MAX_MS, Slot } from './slot.ts';
import { wireUnitSearch } from './unit-search.ts';
import { st } from './strings.ts';
import { periodOptions } from './period-options.ts';
import { navEntries } from './nav-order.ts';

interface RegistryEntry {
  version: string; url: string; specifier: string; route: string; title: { vi: string; en: string }; owner: string;
  css: string | null; cssIntegrity: string | null;
}
type Registry = Record<string, RegistryEntry>;

const POLL_MS = 3 * 60_000;
const api = createApi({ base: '/data' });
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let view: ViewState = parseLocation(location);
let latest: LatestSnapshot | null = null;
let units: Unit[] = [];
let registry: Registry = {};
const slots = new Map<string, Slot>();

// ---------------------------------------------------------------- navigation
function href(to: NavigateTo): string {
  return hrefFor(location, to);
}
function navigate(to: NavigateTo) {
  const url = href(to);
  if (url === location.pathname + location.search) return;
  if (to.replace) history.replaceState(history.state, '', url); // single-spa reroutes on replaceState too
  else navigateToUrl(url);
}
/** Same-origin links inside the page navigate without a reload (modules render plain <a href>). */
function interceptLinks(event: MouseEvent) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (/^\/(data|api|embed)\//.test(a.pathname) || /\.\w+$/.test(a.pathname)) return;
  event.preventDefault();
  if (a.pathname + a.search !== location.pathname + location.search) navigateToUrl(a.pathname + a.search + a.hash);
}

// ---------------------------------------------------------------- props
/** the URL's period, else the last complete month (defaultPeriod): never the ongoing one unasked */
function periodNow(): string {
  return view.period ?? defaultPeriodFrom(latest);
}
function propsFor(): ModuleProps {
  return {
    // a new href for each location: a module's links are written again when any part of the view changes (a figure's
    // tab, a sort), so they keep all of it, not only what the module reads
    locale: view.locale, period: periodNow(), unitId: view.unitId, navigate, href: (to: NavigateTo) => href(to), api,
    embed: false, query: view.query, asOf: latest?.asOf ?? '',
  };
}

// ---------------------------------------------------------------- chrome (header, nav, controls)
/** the nav's links as last written */
let renderedNav = '';
/** only what changed is written: each write makes the browser style and lay out the header again */
function setText(el: HTMLElement, text: string) {
  if (el.textContent !== text) el.textContent = text;
}
function renderChrome() {
  const L = view.locale;
  document.documentElement.lang = L;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) setText(el, st(L, el.dataset.i18n as Parameters<typeof st>[1]));
  $('site-nav').setAttribute('aria-label', st(L, 'nav'));
  const localeLink = $<HTMLAnchorElement>('locale-switch');
  localeLink.href = href({ query: { lang: L === 'vi' ? 'en' : 'vi' } });
  setText(localeLink, st(L, 'switchLocale'));
  localeLink.lang = L === 'vi' ? 'en' : 'vi';
  localeLink.setAttribute('aria-label', st(L, 'switchLocaleLabel'));
  $<HTMLInputElement>('unit-input').placeholder = st(L, 'unitPlaceholder');

  // nav: modules whose route has no parameter, in task order (nav-order.ts); written again only when a link changes
  const links = navEntries(registry).map((m) => ({ href: hrefFor(location, { path: m.route }), text: lt(m.title, L), current: !!matchRoute(m.route, view.path) }));
  const navKey = JSON.stringify(links);
  if (navKey !== renderedNav) {
    renderedNav = navKey;
    $('site-nav-list').replaceChildren(...links.map((link) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      if (link.current) a.setAttribute('aria-current', 'page');
      li.append(a);
      return li;
    }));
  }

  renderPeriodSelect();
  const asOf = $('as-of');
  setText(asOf, latest ? st(L, 'asOf', { asOf: formatDateTime(latest.asOf, L) }) : '');
  // on paper: the address of exactly this view, its period written out (the link a reader can type)
  setText($('print-link'), st(L, 'printLink', { url: location.origin + href({ query: { period: periodNow() || null } }) }));

  const active = Object.entries(registry).filter(([, m]) => matchRoute(m.route, view.path));
  const title = active.length ? lt(active[0][1].title, L) : '';
  document.title = title ? `${title} — ${st(L, 'site')}` : st(L, 'site');
  $('not-found').hidden = active.length > 0 || !Object.keys(registry).length;
  for (const slot of slots.values()) slot.refreshStatus();
}

let periodOptionsKey = '';
function renderPeriodSelect() {
  const select = $<HTMLSelectElement>('period-select');
  const L = view.locale;
  const key = `${L}|${latest?.asOf}|${latest?.periods?.join(',')}|${view.period ?? ''}`;
  if (key === periodOptionsKey) return;
  periodOptionsKey = key;
  const { first, groups } = periodOptions(latest, view.period, L);
  const children: HTMLElement[] = [new Option(first.label, first.value)];
  for (const group of groups) {
    const g = document.createElement('optgroup');
    g.label = group.label;
    g.append(...group.options.map((o) => new Option(o.label, o.value)));
    children.push(g);
  }
  select.replaceChildren(...children);
  select.value = view.period ?? '';
}

function wireControls() {
  document.addEventListener('click', interceptLinks);
  $<HTMLSelectElement>('period-select').addEventListener('change', (e) => {
    navigate({ query: { period: (e.target as HTMLSelectElement).value || null } });
  });
  // unit search: names with or without diacritics (unit-search.ts)
  wireUnitSearch({
    input: $<HTMLInputElement>('unit-input'), form: $<HTMLFormElement>('unit-form'), message: $('unit-message'),
    units: () => units, locale: () => view.locale,
    notFound: (q) => st(view.locale, 'unitNotFound', { q }),
    onPick: (unit) => navigate({ path: `/units/${encodeURIComponent(unit.id)}` }),
    // the district chosen on the overview goes along from page to page (url-state's CARRIED): search there
    district: () => view.query.district ?? null,
  });
  // everything this view's figures show, in one ZIP (the kit's share/archive.ts, loaded on click)
  $('download-all').addEventListener('click', async () => {
    const status = $('download-all-status');
    status.textContent = '';
    const saved = await downloadViewArchive({
      locale: view.locale, title: document.title, link: location.origin + href({ query: { period: periodNow() || null } }), path: view.path, period: periodNow() || undefined,
    });
    if (!saved) status.textContent = st(view.locale, 'downloadAllEmpty');
  });
}

// ---------------------------------------------------------------- routing
function onRoute() {
  const before = view;
  view = parseLocation(location);
  const props = propsFor();
  for (const slot of slots.values()) {
    slot.showGivenUp(onRouteOf(slot.name));
    void slot.update(props);
  }
  renderChrome();
  if (before.path !== view.path) {
    window.scrollTo(0, 0);
    $('main').focus({ preventScroll: true });
  }
}

// ---------------------------------------------------------------- live updates
async function poll() {
  try {
    const next = await api.latest({ fresh: true });
    if (latest && next.asOf !== latest.asOf) {
      api.invalidate();
      latest = next;
      const props = propsFor();
      for (const slot of slots.values()) void slot.update(props);
      renderChrome();
    }
  } catch { /* offline for a moment: try again later */ }
}

// ---------------------------------------------------------------- boot
function importModule(specifier: string, failedLoads: number): Promise<unknown> {
  if (failedLoads === 0) return import(/* @vite-ignore */ specifier);
  // a failed import may be cached by the browser under its URL: ask past it
  const url = new URL(import.meta.resolve(specifier));
  url.searchParams.set('retry', String(failedLoads));
  return import(/* @vite-ignore */ url.href);
}

const onRouteOf = (name: string, pathname = location.pathname) => matchRoute(registry[name].route, pathname) !== null;

function register(name: string) {
  const slot = slots.get(name)!;
  registerApplication({
    name,
    app: async () => slot.lifecycles,
    activeWhen: (loc) => onRouteOf(name, loc.pathname),
    customProps: () => propsFor() as unknown as Record<string, unknown>,
  });
}

/** Retry of a module single-spa gave up: only a new registration makes single-spa mount it again. */
async function revive(name: string) {
  await unregisterApplication(name);
  register(name);
}

function registerModules() {
  const container = $('slots');
  const others: string[] = [];
  for (const [name, entry] of Object.entries(registry)) {
    const section = document.createElement('section');
    container.append(section);
    const slot = new Slot({
      name, specifier: entry.specifier, element: section, importer: importModule, revive,
      stylesheet: entry.css && entry.cssIntegrity ? { href: entry.css, integrity: entry.cssIntegrity } : null,
      strings: (L: Locale) => ({ loading: st(L, 'loading'), error: st(L, 'moduleError', { title: lt(entry.title, L) }), retry: st(L, 'retry') }),
      // what fails before or around the module's own code (a 404, a syntax error, a timeout) reaches its team too
      onError: (_, _error, kind) => reportModuleError(name, entry.url, kind),
    });
    slots.set(name, slot);
    if (onRouteOf(name)) {
      slot.preload();
      register(name);
    } else others.push(name);
  }
  // the other pages' modules a task later: single-spa looks at every registered module on each registration
  setTimeout(() => { for (const name of others) register(name); });
}

function boundLifecycles() {
  setBootstrapMaxTime(LIFECYCLE_MAX_MS.bootstrap, true);
  setMountMaxTime(LIFECYCLE_MAX_MS.mount, true);
  setUnmountMaxTime(LIFECYCLE_MAX_MS.unmount, true);
  // Slot lifecycles never reject, so what reaches here is single-spa giving a module up after a timeout.
  addErrorHandler((error) => {
    const name = (error as Error & { appOrParcelName?: string }).appOrParcelName;
    const slot = name ? slots.get(name) : undefined;
    if (slot) slot.giveUp(error, onRouteOf(slot.name));
    else console.error(error);
  });
}

/** The registry index.html carries (render.ts REGISTRY_ELEMENT_ID), read before the page is touched. */
function inlineRegistry(): Registry | null {
  const text = document.getElementById('itmap-modules')?.textContent;
  try {
    return text ? (JSON.parse(text) as Registry) : null;
  } catch {
    return null; // fetch modules.json instead
  }
}

async function loadRegistry(): Promise<Registry> {
  const res = await fetch('/modules.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`${res.status} /modules.json`);
  return (await res.json()) as Registry;
}

function showRegistryError(error: unknown) {
  const status = $('shell-status');
  const card = document.createElement('div');
  card.className = 'error-card';
  card.setAttribute('role', 'alert');
  const title = document.createElement('p');
  title.className = 'error-card__title';
  title.textContent = st(view.locale, 'registryError');
  const detail = document.createElement('p');
  detail.className = 'error-card__detail';
  detail.textContent = error instanceof Error ? error.message : String(error);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = st(view.locale, 'retry');
  button.addEventListener('click', () => { status.replaceChildren(); void boot(); });
  card.append(title, detail, button);
  status.replaceChildren(card);
}

let started = false;

/** The page's start, a task after the shell's scripts ran: the chrome, the registry when the page did not carry it, then single-spa. */
async function boot(lat = api.latest()) {
  renderChrome();
  const status = $('shell-status');
  const p = document.createElement('p');
  p.className = 'loading';
  p.textContent = st(view.locale, 'loading');
  status.replaceChildren(p);
  if (!slots.size) {
    try {
      registry = await loadRegistry();
    } catch (error) {
      showRegistryError(error);
      return;
    }
    registerModules();
  }
  latest = await lat.catch(() => null);
  status.replaceChildren();
  renderChrome();
  if (!started) {
    started = true;
    window.addEventListener('single-spa:routing-event', onRoute);
    start({ urlRerouteOnly: true });
    setInterval(poll, POLL_MS);
  }
}

boundLifecycles();
wireControls();
// With the registry index.html carries (the nav it shows stays as it is), this page's module and its stylesheet start
// loading now, before the browser first lays the page out; so do latest.json and the units (the unit search's list,
// which the overview reads from the same cache). The rest starts in the next task: this one compiled and ran the shell.
const inline = inlineRegistry();
if (inline) {
  registry = inline;
  registerModules();
}
api.units().then((u) => { units = u.units; }, () => { /* the search then finds nothing */ });
const firstLatest = api.latest();
setTimeout(() => void boot(firstLatest));
