import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { noDataReason, noDataText } from './no-data.ts';
import NoData from './NoData.svelte';

const ind = (d: number, noData = false) => ({ n: 0, d, ratio: d ? 0 : null, points: 0, max: 6, noData });

describe('"no data": one rule (noDataReason)', () => {
  it('an indicator: data when there is something to count; else no-records (empty rule zero, 0 points) or not-applicable (empty rule full, or not in the method)', () => {
    expect(noDataReason({ indicator: ind(5) })).toBeNull(); // 0 of 5 is a figure (ratio 0), not missing data
    expect(noDataReason({ indicator: ind(0, true) })).toBe('no-records');
    expect(noDataReason({ indicator: ind(0, false) })).toBe('not-applicable');
    expect(noDataReason({ indicator: undefined })).toBe('not-applicable');
  });

  it('a unit or a group: not scored without a score; no data only when none of its indicators has any', () => {
    expect(noDataReason({ score: null })).toBe('not-scored');
    expect(noDataReason({ score: undefined })).toBe('not-scored');
    const score = { indicators: { '1.1': ind(0, true), '1.2': ind(3), '5.1': ind(0, false), '5.2': ind(0, false) } };
    expect(noDataReason({ score })).toBeNull();
    expect(noDataReason({ score, indicators: ['1.1'] })).toBe('no-records');
    expect(noDataReason({ score, indicators: ['5.1', '5.2'] })).toBe('not-applicable');
    expect(noDataReason({ score, indicators: ['1.1', '5.1'] })).toBe('no-records'); // points were lost
    expect(noDataReason({ score, indicators: ['1.1', '1.2'] })).toBeNull();
    expect(noDataReason({ score: { indicators: { a: ind(0, true), b: ind(0) } } })).toBe('no-records');
    // a compact ranking entry (no indicators) is scored: it has data
    expect(noDataReason({ score: { total: 50 } as { indicators?: undefined } })).toBeNull();
  });

  it('says it the same way in both languages', () => {
    expect(noDataText('vi', 'no-records')).toMatchObject({ short: 'Không có dữ liệu', ask: 'Vì sao?' });
    expect(noDataText('en', 'not-applicable').short).toBe('Not applicable');
    expect(noDataText('en', 'not-scored').why).toMatch(/not part of this period’s administrative structure/);
  });
});

describe('NoData.svelte', () => {
  it('shows the short text, the reason as a tooltip and behind a "?" disclosure (keyboard, touch, screen readers)', async () => {
    render(NoData, { reason: 'no-records', locale: 'en' });
    const root = document.querySelector('[data-no-data="no-records"]')!;
    expect(root.getAttribute('title')).toBe(noDataText('en', 'no-records').why);
    const ask = screen.getByRole('button', { name: 'Why? No data' });
    const why = document.getElementById(ask.getAttribute('aria-controls')!)!;
    expect([ask.getAttribute('aria-expanded'), why.hidden]).toEqual(['false', true]);
    await fireEvent.click(ask);
    expect([ask.getAttribute('aria-expanded'), why.hidden, why.textContent]).toEqual(['true', false, noDataText('en', 'no-records').why]);
    await fireEvent.click(ask);
    expect(why.hidden).toBe(true);
  });
});
