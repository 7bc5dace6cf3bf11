/**
 * Test helpers for module component tests (jsdom): an Api over in-memory snapshots and score
 * objects with every field. Not part of the shared build.
 */
import { flushSync } from 'svelte';
import { createApi, type Api, type ModuleProps, type UnitScore } from './core.ts';
import { METHOD_766_V1 } from '@itmap/shared-types/method';

export { METHOD_766_V1 };

/** An Api whose /data files are the given objects (path relative to /data); others 404. */
export function fakeApi(files: Record<string, unknown>, calls: string[] = []): Api {
  return createApi({
    base: '/data',
    fetch: async (input) => {
      const path = String(input).replace(/^\/data\//, '');
      calls.push(path);
      if (!(path in files)) return new Response('{"error":{"code":"not_found"}}', { status: 404, statusText: 'Not Found' });
      const body = files[path];
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 });
    },
  });
}

/** A score with every indicator, its groups summed from the points given (default: all points at max × share). */
export function makeScore(p: { unitId: string; period: string; peerGroup: string; total: number; rank: number; band: UnitScore['band']; provisional?: boolean; asOf?: string }): UnitScore {
  const share = p.total / 100;
  const indicators: UnitScore['indicators'] = {};
  const groups = {} as UnitScore['groups'];
  for (const g of METHOD_766_V1.groups) groups[g.key] = { points: 0, max: g.max };
  groups.onlineServices.payment = { points: 0, max: 10 };
  for (const ind of METHOD_766_V1.indicators) {
    const points = ind.max * share;
    indicators[ind.id] = { n: Math.round(share * 10), d: 10, ratio: Math.round(share * 10) / 10, points, max: ind.max, noData: false };
    groups[ind.group].points += points;
    if (ind.subgroup === 'payment') groups.onlineServices.payment!.points += points;
  }
  return { asOf: '2025-01-01T00:00:00+07:00', ...p, provisional: p.provisional ?? false, method: METHOD_766_V1.id, indicators, groups };
}

export function baseProps(api: Api, over: Partial<ModuleProps> = {}): ModuleProps {
  return {
    locale: 'vi', period: '2024-03', unitId: null, api, embed: false, query: {}, asOf: '2025-01-01T00:00:00+07:00',
    navigate: () => {},
    href: (to) => {
      const search = new URLSearchParams(Object.entries(to.query ?? {}).filter(([, v]) => v != null) as [string, string][]).toString();
      return (to.path ?? '/') + (search ? `?${search}` : '');
    },
    ...over,
  };
}

/** Chooses a figure's Table tab (ChartFigure, FigureTabs) and returns the figure: its data table is then in the accessibility tree. */
export function openTable<T extends HTMLElement>(figure: T): T {
  const tab = figure.querySelector<HTMLButtonElement>('[role="tab"][data-tab="table"]');
  if (!tab) throw new Error('no Table tab in this figure');
  flushSync(() => tab.click());
  return figure;
}
