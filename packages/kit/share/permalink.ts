/**
 * The permanent link of a view (issue 19): the page's address with its period written out, so the
 * link shows the same figures tomorrow, when the latest complete month has moved on. Same order of
 * parameters as the shell's URLs (lang, period, then the rest by name): one view, one URL.
 */
export function permalink(href: string, period: string | undefined): string {
  const url = new URL(href);
  const params = new URLSearchParams(url.search);
  if (period && !params.get('period')) params.set('period', period);
  const rank = (k: string) => (k === 'lang' ? 0 : k === 'period' ? 1 : 2);
  const sorted = [...params.entries()].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  // commas stay commas, as in the shell's URLs (?compare=a,b,c, ?table=map,top-units)
  const search = new URLSearchParams(sorted).toString().replace(/%2C/gi, ',');
  return `${url.origin}${url.pathname}${search ? `?${search}` : ''}`;
}
