/**
 * Periods and timestamps. A period is a month `YYYY-MM`, a quarter `YYYY-Qn` or a year `YYYY`,
 * as the half-open range [start, end) of epoch milliseconds, with boundaries at local midnight
 * in the city's time zone (Asia/Ho_Chi_Minh, UTC+7 all year, no DST).
 *
 * Period arithmetic works on a "month index" (year × 12 + month − 1, local time), so the engine
 * never builds a Date in its hot loops.
 */

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface PeriodRange {
  id: string;
  kind: PeriodKind;
  /** epoch ms, inclusive */
  start: number;
  /** epoch ms, exclusive */
  end: number;
}

/** Asia/Ho_Chi_Minh: UTC+07:00, no daylight saving time (the default city's zone). */
export const CITY_UTC_OFFSET_MINUTES = 420;
const DAY_MS = 86_400_000;

/**
 * The city's time zone, as UTC offsets between transitions: offsets[i] holds from transitions[i - 1]
 * (inclusive) to transitions[i]. A zone without daylight saving time has one offset and no transition, and
 * every conversion stays integer arithmetic. A process serves one city: `useCityTimeZone` sets it once, at
 * start (the city loader does), before any period is computed.
 */
let zone: { name: string; transitions: number[]; offsets: number[] } = { name: 'Asia/Ho_Chi_Minh', transitions: [], offsets: [CITY_UTC_OFFSET_MINUTES * 60_000] };

/** The UTC offset (ms) of an instant in the city's time zone. */
export function utcOffsetAt(epochMs: number): number {
  const { transitions, offsets } = zone;
  if (transitions.length === 0) return offsets[0];
  let lo = 0;
  let hi = transitions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (transitions[mid] <= epochMs) lo = mid + 1;
    else hi = mid;
  }
  return offsets[lo];
}

/** The IANA name of the city's time zone. */
export const cityTimeZone = (): string => zone.name;

/** Offset (ms) of an IANA zone at an instant, from the platform's time zone data (Intl). */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function intlOffset(timeZone: string, epochMs: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const part = format.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(part);
  if (!m) throw new Error(`time zone "${timeZone}": cannot read its UTC offset ("${part}")`);
  return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

/**
 * Makes `timeZone` (IANA, e.g. `Asia/Ho_Chi_Minh`, `Europe/Paris`) the city's: periods start at local midnight
 * there. Transitions (daylight saving time, changes of offset) from 1990 to 2100 are found from Intl's data.
 */
export function useCityTimeZone(timeZone: string): void {
  if (timeZone === zone.name) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (expected an IANA name such as Asia/Ho_Chi_Minh)`);
  }
  const from = Date.UTC(1990, 0, 1);
  const to = Date.UTC(2100, 0, 1);
  const transitions: number[] = [];
  const offsets = [intlOffset(timeZone, from)];
  const STEP = 7 * DAY_MS; // offsets change at most twice a year, months apart
  for (let t = from; t < to; t += STEP) {
    const next = Math.min(t + STEP, to);
    if (intlOffset(timeZone, next) === offsets[offsets.length - 1]) continue;
    let lo = t;
    let hi = next; // the offset changes in (lo, hi]: bisect to the minute
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (intlOffset(timeZone, mid) === offsets[offsets.length - 1]) lo = mid;
      else hi = mid;
    }
    transitions.push(hi);
    offsets.push(intlOffset(timeZone, hi));
  }
  zone = { name: timeZone, transitions, offsets };
}

/** Local midnight of a civil day (days since 1970-01-01) in the city's zone, as epoch ms. */
function localMidnight(days: number): number {
  const wall = days * DAY_MS;
  const guess = wall - utcOffsetAt(wall);
  // near a transition the offset at the guess can differ from the one at the wall time: take the later reading
  return wall - utcOffsetAt(guess);
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
const YEAR_RE = /^(\d{4})$/;

/** Epoch ms of local midnight on the first day of the month with this month index. */
export function monthIndexStart(monthIndex: number): number {
  const year = Math.floor(monthIndex / 12);
  const month0 = monthIndex - year * 12;
  return localMidnight(daysFromCivil(year, month0 + 1, 1));
}

/** Month index (year × 12 + month − 1) of an instant, in the city's time zone. */
export function monthIndexOf(epochMs: number): number {
  const days = Math.floor((epochMs + utcOffsetAt(epochMs)) / DAY_MS);
  // civil_from_days (H. Hinnant), integer arithmetic only
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 12 + (m - 1);
}

/**
 * Epoch ms of local midnight at the start of a calendar date `YYYY-MM-DD` in the city's time zone, or NaN
 * when the string is not such a date (registries' `validFrom`/`validTo` are dates).
 */
export function dayStartOf(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const civil = new Date(Date.UTC(y, mo - 1, d)); // not a hot path: Date rejects 2025-02-30 by rolling over
  if (civil.getUTCFullYear() !== y || civil.getUTCMonth() !== mo - 1 || civil.getUTCDate() !== d) return NaN;
  const days = daysFromCivil(y, mo, d);
  return localMidnight(days);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (days_from_civil, H. Hinnant). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function monthIdOf(monthIndex: number): string {
  const y = Math.floor(monthIndex / 12);
  return `${pad(y, 4)}-${pad(monthIndex - y * 12 + 1, 2)}`;
}

/** `YYYY-MM` of the month containing the instant, in the city's time zone. */
export function monthOf(epochMs: number): string {
  return monthIdOf(monthIndexOf(epochMs));
}

/** `YYYY-Qn` of the quarter containing the instant, in the city's time zone. */
export function quarterOf(epochMs: number): string {
  const mi = monthIndexOf(epochMs);
  const y = Math.floor(mi / 12);
  return `${pad(y, 4)}-Q${Math.floor((mi - y * 12) / 3) + 1}`;
}

/** `YYYY` of the year containing the instant, in the city's time zone. */
export function yearOf(epochMs: number): string {
  return pad(Math.floor(monthIndexOf(epochMs) / 12), 4);
}

/** The period of the given kind that contains the instant. */
export function periodOf(kind: PeriodKind, epochMs: number): PeriodRange {
  const id = kind === 'month' ? monthOf(epochMs) : kind === 'quarter' ? quarterOf(epochMs) : yearOf(epochMs);
  return parsePeriod(id);
}

/** First and last month index (inclusive) covered by a period id, or null for an invalid id. */
export function periodMonthSpan(id: string): { kind: PeriodKind; first: number; last: number } | null {
  let m = MONTH_RE.exec(id);
  if (m) {
    const mi = Number(m[1]) * 12 + Number(m[2]) - 1;
    return { kind: 'month', first: mi, last: mi };
  }
  m = QUARTER_RE.exec(id);
  if (m) {
    const first = Number(m[1]) * 12 + (Number(m[2]) - 1) * 3;
    return { kind: 'quarter', first, last: first + 2 };
  }
  m = YEAR_RE.exec(id);
  if (m) {
    const first = Number(m[1]) * 12;
    return { kind: 'year', first, last: first + 11 };
  }
  return null;
}

/**
 * The period before `id` of the same kind: the previous month (2025-01 → 2024-12), quarter (2025-Q1 → 2024-Q4)
 * or year (2025 → 2024); null for an invalid id. "Change since the previous period" compares with it.
 */
export function previousPeriod(id: string): string | null {
  const span = periodMonthSpan(id);
  if (!span) return null;
  if (span.kind === 'month') return span.first > 0 ? monthIdOf(span.first - 1) : null;
  const y = Math.floor(span.first / 12);
  if (span.kind === 'year') return y > 0 ? pad(y - 1, 4) : null;
  const q = Math.floor((span.first - y * 12) / 3) + 1;
  return q > 1 ? `${pad(y, 4)}-Q${q - 1}` : y > 0 ? `${pad(y - 1, 4)}-Q4` : null;
}

export function isPeriod(id: unknown): id is string {
  return typeof id === 'string' && periodMonthSpan(id) !== null;
}

/** Parses `YYYY-MM`, `YYYY-Qn` or `YYYY`; throws an Error naming the bad id otherwise. */
export function parsePeriod(id: string): PeriodRange {
  const span = typeof id === 'string' ? periodMonthSpan(id) : null;
  if (!span) {
    throw new Error(`invalid period "${String(id)}": expected YYYY-MM, YYYY-Qn or YYYY`);
  }
  return { id, kind: span.kind, start: monthIndexStart(span.first), end: monthIndexStart(span.last + 1) };
}

/** Of the period ids, those still ongoing at asOfMs (end > asOf): their numbers are provisional. */
export function provisionalPeriodsOf(periods: readonly string[], asOfMs: number): string[] {
  return periods.filter((id) => parsePeriod(id).end > asOfMs);
}

/**
 * What the site, a bare embed and a bare download open on: the last month not provisional, or the newest
 * month when every month is; null when there is no month.
 */
export function defaultPeriodOf(periods: readonly string[], provisional: readonly string[]): string | null {
  const months = periods.filter((id) => periodMonthSpan(id)?.kind === 'month').sort();
  return months.filter((id) => !provisional.includes(id)).at(-1) ?? months.at(-1) ?? null;
}

/** Periods ordered by start, then shorter first (2024-01, 2024-Q1, 2024, 2024-02, …). */
export function comparePeriods(a: PeriodRange, b: PeriodRange): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * All months, quarters and years that touch the months fromMonth..toMonth (inclusive, `YYYY-MM`),
 * sorted by `comparePeriods`. Empty when toMonth is before fromMonth.
 */
export function periodsBetween(fromMonth: string, toMonth: string): PeriodRange[] {
  const a = periodMonthSpan(fromMonth);
  const b = periodMonthSpan(toMonth);
  if (!a || a.kind !== 'month') throw new Error(`invalid month "${fromMonth}": expected YYYY-MM`);
  if (!b || b.kind !== 'month') throw new Error(`invalid month "${toMonth}": expected YYYY-MM`);
  const out: PeriodRange[] = [];
  const seen = new Set<string>();
  for (let mi = a.first; mi <= b.first; mi++) {
    const y = Math.floor(mi / 12);
    const q = Math.floor((mi - y * 12) / 3) + 1;
    for (const id of [monthIdOf(mi), `${pad(y, 4)}-Q${q}`, pad(y, 4)]) {
      if (!seen.has(id)) {
        seen.add(id);
        out.push(parsePeriod(id));
      }
    }
  }
  return out.sort(comparePeriods);
}

// ---------------------------------------------------------------------------------------------
// Timestamps: ISO 8601 date-time WITH an offset, e.g. 2024-03-05T08:30:00+07:00 (or …Z).
// ---------------------------------------------------------------------------------------------

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Epoch ms of an ISO 8601 date-time with an explicit offset (`YYYY-MM-DDTHH:MM[:SS[.fff…]]` then
 * `Z` or `±HH:MM`), or NaN when the string is not one (no offset, impossible date, garbage).
 * Hand-written for speed: no regex, no Date.
 */
export function parseTimestamp(s: string): number {
  if (typeof s !== 'string') return NaN;
  const len = s.length;
  if (len === 25) {
    // fast path for the common `YYYY-MM-DDTHH:MM:SS±HH:MM`
    const y0 = s.charCodeAt(0) - 48, y1 = s.charCodeAt(1) - 48, y2 = s.charCodeAt(2) - 48, y3 = s.charCodeAt(3) - 48;
    const m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
    const h0 = s.charCodeAt(11) - 48, h1 = s.charCodeAt(12) - 48, i0 = s.charCodeAt(14) - 48, i1 = s.charCodeAt(15) - 48;
    const s0 = s.charCodeAt(17) - 48, s1 = s.charCodeAt(18) - 48, sign = s.charCodeAt(19);
    const oh0 = s.charCodeAt(20) - 48, oh1 = s.charCodeAt(21) - 48, om0 = s.charCodeAt(23) - 48, om1 = s.charCodeAt(24) - 48;
    if (
      ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1 | h0 | h1 | i0 | i1 | s0 | s1 | oh0 | oh1 | om0 | om1) & ~15) === 0 &&
      y0 < 10 && y1 < 10 && y2 < 10 && y3 < 10 && m1 < 10 && d1 < 10 && h1 < 10 && i1 < 10 && s1 < 10 && oh1 < 10 && om1 < 10 &&
      s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58 &&
      s.charCodeAt(16) === 58 && s.charCodeAt(22) === 58 && (sign === 43 || sign === 45)
    ) {
      const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
      const mo = m0 * 10 + m1;
      const d = d0 * 10 + d1;
      const h = h0 * 10 + h1;
      const mi = i0 * 10 + i1;
      const sec = s0 * 10 + s1;
      const oh = oh0 * 10 + oh1;
      const om = om0 * 10 + om1;
      if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59) return NaN;
      if (d > (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1])) return NaN;
      const offsetMin = (sign === 45 ? -1 : 1) * (oh * 60 + om);
      return daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + sec * 1000 - offsetMin * 60_000;
    }
    // anything else (e.g. fractional seconds without offset) takes the general path
  }
  if (len < 17) return NaN;
  const y = digits(s, 0, 4);
  if (y < 0 || s.charCodeAt(4) !== 45 /* - */) return NaN;
  const mo = digits(s, 5, 2);
  if (mo < 1 || mo > 12 || s.charCodeAt(7) !== 45) return NaN;
  const d = digits(s, 8, 2);
  const dim = mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1];
  if (d < 1 || d > dim || s.charCodeAt(10) !== 84 /* T */) return NaN;
  const h = digits(s, 11, 2);
  if (h < 0 || h > 23 || s.charCodeAt(13) !== 58 /* : */) return NaN;
  const mi = digits(s, 14, 2);
  if (mi < 0 || mi > 59) return NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return NaN;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */) {
      let j = i + 1;
      let frac = 0;
      let scale = 100;
      while (j < len) {
        const c = s.charCodeAt(j) - 48;
        if (c < 0 || c > 9) break;
        frac += c * scale;
        scale /= 10;
        j++;
      }
      if (j === i + 1 || j - i - 1 > 9) return NaN;
      ms = Math.floor(frac);
      i = j;
    }
  }
  let offsetMin: number;
  const c = s.charCodeAt(i);
  if (c === 90 /* Z */ && i + 1 === len) {
    offsetMin = 0;
  } else if ((c === 43 || c === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return NaN;
  }
  return daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - offsetMin * 60_000;
}

export function isTimestamp(s: unknown): s is string {
  return typeof s === 'string' && !Number.isNaN(parseTimestamp(s));
}
