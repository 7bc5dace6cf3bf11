/**
 * The whole view state lives in the URL, so every view is a link and back/forward work:
 *   path      which module(s): `/` overview, `/units/{id}` a unit's profile, …
 *   ?lang=en  English (Vietnamese is the default and is not written)
 *   ?period=  a period id; absent = the latest published period
 *   any other query parameter is the active module's own view state (e.g. `peer` of the overview)
 */
import type { Locale, NavigateTo } from '@itmap/kit/core';

export interface ViewState {
  path: string;
  locale: Locale;
  period: string | null;
  unitId: string | null;
  /** the remaining query parameters (module view state) */
  query: Record<string, string>;
}

const PERIOD_RE = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
const SHELL_PARAMS = new Set(['lang', 'period']);
/**
 * The view's choices that go with the visitor from page to page (issue 19): the peer group, the
 * district, the unit. Not onto a unit's profile (its path names the unit, its peer group is the
 * unit's); leaving a profile, its unit goes along as `unit` (the group pages chart that unit).
 */
const CARRIED = new Set(['peer', 'district', 'unit']);
/** The compare set (`compare=a,b,c`, the /compare page's units) goes everywhere, onto profiles too (they add to it). */
const CARRIED_EVERYWHERE = new Set(['compare']);
const PROFILE_ROUTE = '/units/:unitId';

export function isPeriodId(s: string | null | undefined): s is string {
  return !!s && PERIOD_RE.test(s);
}

/** Match a manifest route (`/`, `/units/:unitId`) against a path; returns its params or null. */
export function matchRoute(route: string, path: string): Record<string, string> | null {
  const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p) || '/';
  const r = norm(route).split('/'), p = norm(path).split('/');
  if (r.length !== p.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < r.length; i++) {
    if (r[i].startsWith(':')) {
      if (!p[i]) return null;
      try { params[r[i].slice(1)] = decodeURIComponent(p[i]); } catch { return null; }
    } else if (r[i] !== p[i]) return null;
  }
  return params;
}

export function parseLocation(loc: { pathname: string; search: string }): ViewState {
  const params = new URLSearchParams(loc.search);
  const query: Record<string, string> = {};
  for (const [k, v] of params) if (!SHELL_PARAMS.has(k)) query[k] = v;
  const period = params.get('period');
  return {
    path: loc.pathname || '/',
    locale: params.get('lang') === 'en' ? 'en' : 'vi',
    period: isPeriodId(period) ? period : null,
    unitId: matchRoute('/units/:unitId', loc.pathname)?.unitId ?? null,
    query,
  };
}

/**
 * The URL for a navigation from the current location: `lang` and `period` are kept; `peer`,
 * `district` and `unit` are kept across pages but a unit's profile; `compare` everywhere; the module's other parameters
 * are kept on the same path and dropped when the path changes; `null` removes one.
 */
export function hrefFor(current: { pathname: string; search: string }, to: NavigateTo): string {
  const params = new URLSearchParams(current.search);
  const path = to.path ?? current.pathname;
  if (path !== current.pathname) {
    const toProfile = matchRoute(PROFILE_ROUTE, path) !== null;
    for (const k of [...params.keys()]) if (!SHELL_PARAMS.has(k) && !CARRIED_EVERYWHERE.has(k) && (toProfile || !CARRIED.has(k))) params.delete(k);
    const fromUnit = matchRoute(PROFILE_ROUTE, current.pathname)?.unitId;
    if (fromUnit && !toProfile) params.set('unit', fromUnit);
  }
  for (const [k, v] of Object.entries(to.query ?? {})) {
    if (v == null || (k === 'lang' && v === 'vi')) params.delete(k);
    else params.set(k, v);
  }
  // stable order: lang, period, then the rest alphabetically (one view, one URL)
  const entries = [...params.entries()].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  // commas stay commas (a sub-delimiter, allowed in a query): ?compare=a,b,c reads as it is written
  const search = new URLSearchParams(entries).toString().replace(/%2C/gi, ',');
  return path + (search ? `?${search}` : '');
}
const rank = (k: string) => (k === 'lang' ? 0 : k === 'period' ? 1 : 2);
