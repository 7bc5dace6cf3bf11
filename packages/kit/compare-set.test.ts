import { describe, expect, it } from 'vitest';
import { MAX_COMPARE, compareParam, parseCompare, withUnit, withoutUnit } from './compare-set.ts';

describe('the compare set (?compare=a,b,c)', () => {
  it('reads known ids, each once, at most five, in the order given', () => {
    expect(parseCompare('q3, q1,,q3,nowhere', new Set(['q1', 'q3']))).toEqual(['q3', 'q1']);
    expect(parseCompare('a,b,c,d,e,f,g')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(MAX_COMPARE).toBe(5);
    expect(parseCompare(undefined)).toEqual([]);
    expect(parseCompare('')).toEqual([]);
  });
  it('adds at the end (not twice, not a sixth), removes, and writes no parameter for an empty set', () => {
    expect(withUnit(['a'], 'b')).toEqual(['a', 'b']);
    expect(withUnit(['a', 'b'], 'a')).toEqual(['a', 'b']);
    expect(withUnit(['a', 'b', 'c', 'd', 'e'], 'f')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(withoutUnit(['a', 'b'], 'a')).toEqual(['b']);
    expect(compareParam(['a', 'b'])).toBe('a,b');
    expect(compareParam([])).toBeNull();
  });
});
