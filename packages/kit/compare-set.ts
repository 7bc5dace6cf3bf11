/**
 * The compare set (issue 19): up to five units, in the URL as ?compare=a,b,c (the shell carries it from page to
 * page, onto profiles too). Pure; in the kit: the compare page and the profile's "add to comparison" use them (compare-set.test.ts).
 */
export const MAX_COMPARE = 5;

/** The ids of `raw` (comma-separated), known ones only (when `known` is given), each once, at most MAX_COMPARE. */
export function parseCompare(raw: string | null | undefined, known?: { has(id: string): boolean }): string[] {
  const out: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const id = part.trim();
    if (!id || out.includes(id) || (known && !known.has(id))) continue;
    out.push(id);
    if (out.length === MAX_COMPARE) break;
  }
  return out;
}

/** The set with `id` added at the end (unchanged when it is there or the set is full). */
export function withUnit(ids: readonly string[], id: string): string[] {
  return ids.includes(id) || ids.length >= MAX_COMPARE ? [...ids] : [...ids, id];
}

/** The set without `id`. */
export function withoutUnit(ids: readonly string[], id: string): string[] {
  return ids.filter((x) => x !== id);
}

/** The query value of a set: null (no parameter) when empty. */
export function compareParam(ids: readonly string[]): string | null {
  return ids.length ? ids.join(',') : null;
}
