import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CITY_UTC_OFFSET_MINUTES, cityTimeZone, dayStartOf, useCityTimeZone, utcOffsetAt, defaultPeriodOf, isPeriod, provisionalPeriodsOf, isTimestamp, monthIndexOf, monthOf, parsePeriod, parseTimestamp, periodOf, periodsBetween, previousPeriod, quarterOf, yearOf,
} from './periods.ts';

describe('parsePeriod', () => {
  it('month, quarter and year boundaries are local midnight at UTC+7', () => {
    expect(CITY_UTC_OFFSET_MINUTES).toBe(420);
    expect(parsePeriod('2024-03')).toEqual({ id: '2024-03', kind: 'month', start: Date.parse('2024-03-01T00:00:00+07:00'), end: Date.parse('2024-04-01T00:00:00+07:00') });
    expect(parsePeriod('2024-Q1')).toMatchObject({ kind: 'quarter', start: Date.parse('2024-01-01T00:00:00+07:00'), end: Date.parse('2024-04-01T00:00:00+07:00') });
    expect(parsePeriod('2024-Q4')).toMatchObject({ start: Date.parse('2024-10-01T00:00:00+07:00'), end: Date.parse('2025-01-01T00:00:00+07:00') });
    expect(parsePeriod('2024')).toMatchObject({ kind: 'year', start: Date.parse('2024-01-01T00:00:00+07:00'), end: Date.parse('2025-01-01T00:00:00+07:00') });
    expect(parsePeriod('2024-02').end - parsePeriod('2024-02').start).toBe(29 * 86_400_000);
  });
  it.each(['2024-13', '2024-00', '2024-Q5', '2024-Q0', '24-01', '2024-1', '', 'garbage', '2024-03-01'])('rejects %j', (id) => {
    expect(() => parsePeriod(id)).toThrow(Error);
    expect(isPeriod(id)).toBe(false);
  });
});

describe('monthOf and friends', () => {
  it('uses the city time zone', () => {
    expect(monthOf(Date.parse('2024-02-29T17:00:00Z'))).toBe('2024-03'); // = 2024-03-01T00:00+07:00
    expect(monthOf(Date.parse('2024-02-29T16:59:59.999Z'))).toBe('2024-02');
    expect(quarterOf(Date.parse('2024-03-31T23:59:59+07:00'))).toBe('2024-Q1');
    expect(quarterOf(Date.parse('2024-04-01T00:00:00+07:00'))).toBe('2024-Q2');
    expect(yearOf(Date.parse('2023-12-31T17:00:00Z'))).toBe('2024');
    expect(periodOf('quarter', Date.parse('2024-05-05T00:00:00+07:00')).id).toBe('2024-Q2');
  });
  it('agrees with Date arithmetic for any instant', () => {
    fc.assert(fc.property(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2100-01-01') }), (ms) => {
      const local = new Date(ms + 7 * 3_600_000);
      expect(monthIndexOf(ms)).toBe(local.getUTCFullYear() * 12 + local.getUTCMonth());
      const p = parsePeriod(monthOf(ms));
      expect(ms >= p.start && ms < p.end).toBe(true);
    }));
  });
});

describe('periodsBetween', () => {
  it('lists all months, quarters and years touching the range, by start then length', () => {
    expect(periodsBetween('2023-11', '2024-02').map((p) => p.id)).toEqual([
      '2023', '2023-Q4', '2023-11', '2023-12', '2024-01', '2024-Q1', '2024', '2024-02',
    ].sort((a, b) => parsePeriod(a).start - parsePeriod(b).start || parsePeriod(a).end - parsePeriod(b).end));
    expect(periodsBetween('2023-01', '2026-11')).toHaveLength(47 + 16 + 4);
    expect(periodsBetween('2024-05', '2024-04')).toEqual([]);
    expect(() => periodsBetween('2024', '2024-04')).toThrow();
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-03-05T08:30:00+07:00', Date.parse('2024-03-05T01:30:00Z')],
    ['2024-03-05T08:30:00Z', Date.parse('2024-03-05T08:30:00Z')],
    ['2024-03-05T08:30:00.125-05:30', Date.parse('2024-03-05T14:00:00.125Z')],
    ['2024-03-05T08:30+07:00', Date.parse('2024-03-05T01:30:00Z')],
    ['2024-02-29T00:00:00+07:00', Date.parse('2024-02-28T17:00:00Z')],
  ])('parses %s', (s, ms) => expect(parseTimestamp(s)).toBe(ms));
  it.each([
    '2024-03-05T08:30:00', '2024-03-05', 'garbage', '', '2024-02-30T00:00:00+07:00', '2023-02-29T00:00:00+07:00',
    '2024-13-01T00:00:00+07:00', '2024-03-05T24:00:00+07:00', '2024-03-05T08:60:00+07:00', '2024-03-05 08:30:00+07:00',
    '2024-03-05T08:30:00+0700', '2024-03-05T08:30:00+07:00x', '2024-03-05T08:30:00.+07:00', '２０２４-03-05T08:30:00+07:00',
  ])('rejects %j', (s) => {
    expect(parseTimestamp(s)).toBeNaN();
    expect(isTimestamp(s)).toBe(false);
  });
  it('agrees with Date.parse on well-formed strings (fast and general paths)', () => {
    const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))
      .map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(fc.property(
      fc.integer({ min: Date.parse('1900-01-01'), max: Date.parse('2200-01-01') }), offset, fc.boolean(),
      (ms, off, frac) => {
        const base = new Date(ms).toISOString().slice(0, frac ? 23 : 19);
        const s = base + off;
        expect(parseTimestamp(s)).toBe(Date.parse(s));
        expect(parseTimestamp(`${base}Z`)).toBe(Date.parse(`${base}Z`));
      },
    ));
  });
});

describe('ongoing periods', () => {
  const periods = ['2026-10', '2026-11', '2026-Q4', '2026-12', '2026'];
  const dec2 = Date.parse('2026-12-02T17:00:00+07:00');
  it('on 2 December the default period is November, and December, Q4 and 2026 are provisional', () => {
    expect(provisionalPeriodsOf(periods, dec2)).toEqual(['2026-Q4', '2026-12', '2026']);
    expect(defaultPeriodOf(periods, provisionalPeriodsOf(periods, dec2))).toBe('2026-11');
  });
  it('at local midnight of 1 January December is complete', () => {
    const jan1 = Date.parse('2027-01-01T00:00:00+07:00');
    expect(provisionalPeriodsOf(periods, jan1)).toEqual([]);
    expect(defaultPeriodOf(periods, [])).toBe('2026-12');
    expect(provisionalPeriodsOf(periods, jan1 - 1)).toEqual(['2026-Q4', '2026-12', '2026']);
  });
  it('with no complete month the newest month; with no month null', () => {
    expect(defaultPeriodOf(['2026-12', '2026'], ['2026-12', '2026'])).toBe('2026-12');
    expect(defaultPeriodOf(['2026'], ['2026'])).toBeNull();
  });
});

describe('the city time zone is data', () => {
  afterEach(() => useCityTimeZone('Asia/Ho_Chi_Minh'));

  it('starts periods at local midnight of a fixed-offset zone', () => {
    useCityTimeZone('Asia/Tokyo');
    expect(parsePeriod('2024-03').start).toBe(Date.parse('2024-03-01T00:00:00+09:00'));
    expect(monthOf(Date.parse('2024-02-29T23:59:59+09:00'))).toBe('2024-02');
    expect(dayStartOf('2025-07-01')).toBe(Date.parse('2025-07-01T00:00:00+09:00'));
  });

  it("follows daylight saving time: each month starts at that day's local midnight", () => {
    useCityTimeZone('Europe/Paris');
    expect(parsePeriod('2024-01').start).toBe(Date.parse('2024-01-01T00:00:00+01:00'));
    expect(parsePeriod('2024-04').start).toBe(Date.parse('2024-04-01T00:00:00+02:00'));
    expect(parsePeriod('2024-Q4').end).toBe(Date.parse('2025-01-01T00:00:00+01:00'));
    expect(monthOf(Date.parse('2024-10-31T23:30:00+01:00'))).toBe('2024-10');
    expect(monthOf(Date.parse('2024-03-31T23:30:00+02:00'))).toBe('2024-03');
    expect(utcOffsetAt(Date.parse('2024-07-01T00:00:00Z'))).toBe(2 * 3_600_000);
    expect(cityTimeZone()).toBe('Europe/Paris');
  });

  it('refuses an unknown zone and reads calendar dates strictly', () => {
    expect(() => useCityTimeZone('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(dayStartOf('2025-07-01')).toBe(Date.parse('2025-07-01T00:00:00+07:00'));
    expect(dayStartOf('2025-02-30')).toBeNaN();
    expect(dayStartOf('2025-7-1')).toBeNaN();
  });
});

describe('previousPeriod: the period before, of the same kind', () => {
  it('month → the previous month, quarter → the previous quarter, year → the previous year, across year ends', () => {
    expect(previousPeriod('2025-11')).toBe('2025-10');
    expect(previousPeriod('2025-01')).toBe('2024-12');
    expect(previousPeriod('2025-Q3')).toBe('2025-Q2');
    expect(previousPeriod('2025-Q1')).toBe('2024-Q4');
    expect(previousPeriod('2025')).toBe('2024');
    expect(previousPeriod('0000-01')).toBeNull();
    expect(previousPeriod('2025-13')).toBeNull();
    expect(previousPeriod('nonsense')).toBeNull();
  });
  it('is the period that ends where the given one starts, of the same kind', () => {
    fc.assert(fc.property(fc.integer({ min: 1990, max: 2090 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('month', 'quarter', 'year'), (y, m, kind) => {
      const id = kind === 'month' ? `${y}-${String(m).padStart(2, '0')}` : kind === 'quarter' ? `${y}-Q${Math.ceil(m / 3)}` : String(y);
      const prev = parsePeriod(previousPeriod(id)!);
      const cur = parsePeriod(id);
      expect(prev.kind).toBe(cur.kind);
      expect(prev.end).toBe(cur.start);
    }));
  });
});
