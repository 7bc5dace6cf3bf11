/**
 * How the server writes figures and periods in words, as the site shows them (the kit's formatPeriod, formatNumber
 * and scoreChange): the Atom feeds (feeds.ts) and the social previews (social/) say the same thing the same way.
 */
export type Locale = 'vi' | 'en';

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `tháng 11/2026`, `quý 4/2026`, `năm 2026`; `November 2026`, `Q4 2026`, `2026`. */
export function periodText(id: string, locale: Locale): string {
  let m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) return locale === 'vi' ? `tháng ${Number(m[2])}/${m[1]}` : `${MONTHS_EN[Number(m[2]) - 1]} ${m[1]}`;
  m = /^(\d{4})-Q([1-4])$/.exec(id);
  if (m) return locale === 'vi' ? `quý ${m[2]}/${m[1]}` : `Q${m[2]} ${m[1]}`;
  return locale === 'vi' ? `năm ${id}` : id;
}

/** A figure with a decimal comma in Vietnamese: `82,47` / `82.47`. */
export function points(n: number, locale: Locale, digits = 2): string {
  const text = n.toFixed(digits);
  return locale === 'vi' ? text.replace('.', ',') : text;
}

/** The change as shown on the site (kit's scoreChange): the two totals as shown, one decimal, half away from zero. */
export function scoreChange(now: number, before: number): number {
  const hundredths = Math.round(now * 100) - Math.round(before * 100);
  const tenths = Math.round(Math.abs(hundredths) / 10);
  return tenths === 0 ? 0 : (Math.sign(hundredths) * tenths) / 10;
}

/** `+3,2` / `−3.2` (a true minus sign). */
export const signed = (delta: number, locale: Locale) => `${delta > 0 ? '+' : '\u2212'}${points(Math.abs(delta), locale, 1)}`;
