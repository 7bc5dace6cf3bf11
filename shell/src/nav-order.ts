/**
 * The navigation in task order (issue 19), not alphabetical: what a visitor comes for first.
 * The overview (rankings, map) first; the five groups of the 766 index in the method's order;
 * the 1022 petitions; comparing units and building an embed (issue 19); how the scores are computed last. A module not listed here (a new team's)
 * comes after these, by its Vietnamese title.
 */
export const NAV_ORDER: readonly string[] = [
  '/', '/transparency', '/progress', '/online-services', '/digitization', '/satisfaction', '/feedback-1022', '/compare', '/embed-builder', '/methodology',
];

export function navRank(route: string): number {
  const i = NAV_ORDER.indexOf(route);
  return i < 0 ? NAV_ORDER.length : i;
}

/** Modules whose route has no parameter (the nav's links), in task order. */
export function navEntries<T extends { route: string; title: { vi: string } }>(registry: Record<string, T>): T[] {
  return Object.values(registry).filter((m) => !m.route.includes(':'))
    .sort((a, b) => navRank(a.route) - navRank(b.route) || a.title.vi.localeCompare(b.title.vi, 'vi'));
}
