import { describe, expect, it } from 'vitest';
import { ariaSortOf, sortFromQuery, sortQuery, sortedBy, type SortSpec } from './sort.ts';

const spec: SortSpec = { keys: ['rank', 'unit', 'score'], fallback: 'rank', firstDir: (k) => (k === 'score' ? 'desc' : 'asc') };
const vi = new Intl.Collator('vi', { numeric: true });

describe('sortable tables: one rule (issue 19)', () => {
  it('reads the order from ?sort=&dir=, known keys only, else the default and the column\'s first direction', () => {
    expect(sortFromQuery({}, spec)).toEqual({ key: 'rank', dir: 'asc' });
    expect(sortFromQuery({ sort: 'score' }, spec)).toEqual({ key: 'score', dir: 'desc' });
    expect(sortFromQuery({ sort: 'unit', dir: 'desc' }, spec)).toEqual({ key: 'unit', dir: 'desc' });
    expect(sortFromQuery({ sort: 'bogus', dir: 'sideways' }, spec)).toEqual({ key: 'rank', dir: 'asc' });
  });
  it('a click on the sorted column flips it, on another starts in its first direction; defaults are not written', () => {
    expect(sortQuery({ key: 'rank', dir: 'asc' }, 'rank', spec)).toEqual({ sort: null, dir: 'desc' });
    expect(sortQuery({ key: 'rank', dir: 'desc' }, 'rank', spec)).toEqual({ sort: null, dir: null });
    expect(sortQuery({ key: 'rank', dir: 'asc' }, 'score', spec)).toEqual({ sort: 'score', dir: null });
    expect(sortQuery({ key: 'score', dir: 'desc' }, 'score', spec)).toEqual({ sort: 'score', dir: 'asc' });
    expect(ariaSortOf({ key: 'score', dir: 'asc' }, 'score')).toBe('ascending');
    expect(ariaSortOf({ key: 'score', dir: 'desc' }, 'score')).toBe('descending');
    expect(ariaSortOf({ key: 'score', dir: 'desc' }, 'unit')).toBeUndefined();
  });
  it('sorts numbers and Vietnamese names either way, rows without a value last either way, ties in the order given', () => {
    const rows = [
      { name: 'Phường Đa Kao', v: 2 }, { name: 'Phường Bến Nghé', v: null }, { name: 'Phường 10', v: 5 }, { name: 'Phường 2', v: 2 }, { name: 'Xã An Nhơn Tây', v: 9 },
    ];
    expect(sortedBy(rows, (r) => r.v, 'asc', vi).map((r) => r.name)).toEqual(['Phường Đa Kao', 'Phường 2', 'Phường 10', 'Xã An Nhơn Tây', 'Phường Bến Nghé']);
    expect(sortedBy(rows, (r) => r.v, 'desc', vi).map((r) => r.name)).toEqual(['Xã An Nhơn Tây', 'Phường 10', 'Phường Đa Kao', 'Phường 2', 'Phường Bến Nghé']);
    // "Đ" after "D", numbers as numbers (2 before 10)
    expect(sortedBy(rows, (r) => r.name, 'asc', vi).map((r) => r.name)).toEqual(['Phường 2', 'Phường 10', 'Phường Bến Nghé', 'Phường Đa Kao', 'Xã An Nhơn Tây']);
    expect(sortedBy(rows, (r) => r.v, 'asc', vi, (a, b) => vi.compare(a.name, b.name)).map((r) => r.name).slice(0, 2)).toEqual(['Phường 2', 'Phường Đa Kao']);
  });
});
