import { describe, expect, it } from 'vitest';
import { getMethod, MEASURE_IDS, METHOD_766_V1, methodMax, validateMethod, type MethodTable } from './method.ts';
import { bandOf, round2 } from './scores.ts';

describe('METHOD_766_V1', () => {
  it('is a valid table worth 100 points in five groups', () => {
    expect(validateMethod(METHOD_766_V1)).toEqual({ ok: true, method: METHOD_766_V1 });
    expect(methodMax(METHOD_766_V1)).toBe(100);
    expect(Object.fromEntries(METHOD_766_V1.groups.map((g) => [g.key, g.max]))).toEqual({ transparency: 18, progress: 20, onlineServices: 22, digitization: 22, satisfaction: 18 });
    expect(METHOD_766_V1.subgroups).toMatchObject([{ key: 'payment', group: 'onlineServices', max: 10 }]);
    expect(METHOD_766_V1.indicators.map((i) => i.id)).toEqual(['1.1', '1.2', '1.3', '1.4', '2.1', '3.1', '3.2', '3.3', '3.4', '4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '5.1', '5.2', '5.3']);
    for (const ind of METHOD_766_V1.indicators) {
      expect(MEASURE_IDS).toContain(ind.numerator);
      expect(MEASURE_IDS).toContain(ind.denominator);
    }
  });
  it('is JSON-serialisable as is (published as /data/method.json)', () => {
    expect(validateMethod(JSON.parse(JSON.stringify(METHOD_766_V1))).ok).toBe(true);
  });
  it('getMethod finds built-ins and names the known ids otherwise', () => {
    expect(getMethod('766-v1')).toBe(METHOD_766_V1);
    expect(() => getMethod('766-v9')).toThrow(/766-v1/);
    expect(() => getMethod('toString')).toThrow();
  });
});

describe('validateMethod', () => {
  const copy = (): MethodTable => structuredClone(METHOD_766_V1);
  it('catches inconsistent tables', () => {
    const a = copy();
    a.indicators[0].max = 7;
    expect(validateMethod(a)).toMatchObject({ ok: false, errors: [{ field: 'groups.0.max' }] });
    const b = copy();
    b.indicators[6].threshold = undefined;
    expect(validateMethod(b)).toMatchObject({ ok: false, errors: [{ field: 'indicators.6.threshold' }] });
    const c = copy();
    (c.indicators[0] as { numerator: string }).numerator = 'nonsense';
    expect(validateMethod(c).ok).toBe(false);
    const d = copy();
    d.indicators[1].id = '1.1';
    expect(validateMethod(d)).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/duplicate/) }] });
  });
});

describe('round2 and bandOf', () => {
  it('rounds halves up despite float noise', () => {
    expect(round2(89.995)).toBe(90);
    expect(round2(0.1 + 0.2)).toBe(0.3);
    expect(round2(89.99499)).toBe(89.99);
  });
  it('bands on the total rounded to 2 decimals', () => {
    expect(bandOf(89.995, METHOD_766_V1)).toBe('excellent');
    expect(bandOf(89.994, METHOD_766_V1)).toBe('good');
    expect(bandOf(80, METHOD_766_V1)).toBe('good');
    expect(bandOf(79.99, METHOD_766_V1)).toBe('fair');
    expect(bandOf(70, METHOD_766_V1)).toBe('fair');
    expect(bandOf(50, METHOD_766_V1)).toBe('average');
    expect(bandOf(49.994, METHOD_766_V1)).toBe('weak');
    expect(bandOf(0, METHOD_766_V1)).toBe('weak');
    expect(bandOf(100, METHOD_766_V1)).toBe('excellent');
  });
});
