import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, makeScore, METHOD_766_V1 } from '@itmap/kit/testing';
import { rankingsOf } from '../../../shared-types/src/snapshots.ts';

const ASOF = '2025-01-01T00:00:00+07:00';
const units = [
  { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'q1', parentId: 'hcm', kind: 'district', code: '760', name: { vi: 'Quận 1', en: 'District 1' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'q3', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'q1-p1', parentId: 'q1', kind: 'ward', code: '26734', name: { vi: 'Phường 1', en: 'Ward 1' }, peerGroup: 'ward', offersElectronicCertifiedCopy: true },
  { id: 'q3-p1', parentId: 'q3', kind: 'ward', name: { vi: 'Phường 1', en: 'Ward 1' }, peerGroup: 'ward', offersElectronicCertifiedCopy: true },
];
const score = (unitId: string, period: string, peerGroup: string, total: number, rank: number) => makeScore({ unitId, period, peerGroup, total, rank, band: total >= 80 ? 'good' : 'fair' });
const history = {
  q1: [score('q1', '2024-02', 'district', 75.25, 1), score('q1', '2024-03', 'district', 71.2, 2)],
  q3: [score('q3', '2024-03', 'district', 91.46, 1)],
  'q1-p1': [score('q1-p1', '2024-02', 'ward', 60, 2), score('q1-p1', '2024-03', 'ward', 70, 1)],
  'q3-p1': [score('q3-p1', '2024-02', 'ward', 65, 1), score('q3-p1', '2024-03', 'ward', 64, 2)],
};
const march = Object.values(history).map((h) => h.find((s) => s.period === '2024-03')!);
const files = {
  'latest.json': { asOf: ASOF, method: '766-v1', periods: ['2024-02', '2024-03'], latestPeriod: '2024-03', defaultPeriod: '2024-03', provisionalPeriods: [], changed: [] },
  'units.json': { asOf: ASOF, units },
  'method.json': METHOD_766_V1,
  'rankings/2024-03.json': rankingsOf({ period: '2024-03', method: '766-v1', asOf: ASOF, provisional: false, scores: march }),
  ...Object.fromEntries(Object.entries(history).map(([id, h]) => [`units/${id}.json`, { unitId: id, method: '766-v1', asOf: ASOF, history: h }])),
};

describe('compare', () => {
  it('shows the units of ?compare= side by side, same-named wards told apart, each figure with its change since the previous period', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-03', query: { compare: 'q1-p1,q3-p1,q1,nowhere' } }));
    const table = await screen.findByRole('table', { name: 'Comparison of 3 units, March 2024' });
    const heads = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(heads).toEqual(['Measure', 'Ward 1 (District 1)', 'Ward 1 (District 3)', 'District 1']);
    const total = within(table).getByRole('row', { name: /^Total score/ });
    const cells = [...total.querySelectorAll('td')];
    expect(cells.map((c) => c.querySelector('[aria-hidden]')?.textContent)).toEqual(['▲ +10.0', '▼ \u22121.0', '▼ \u22124.1']);
    const rank = within(table).getByRole('row', { name: /^Rank/ });
    expect([...rank.querySelectorAll('[data-change="rank"] [aria-hidden]')].map((c) => c.textContent)).toEqual(['▲1', '▼1', '▼1']);
    // the remove links leave the others, in order
    expect(screen.getByRole('link', { name: 'Remove Ward 1 (District 3) from the comparison' }).getAttribute('href')).toBe('/?compare=q1-p1%2Cq1');
    // both charts, with their tables
    const figures = screen.getAllByRole('figure').filter((f) => f.classList.contains('chart'));
    expect(figures.map((f) => f.querySelector('h2, h3, figcaption')?.textContent?.trim() ?? '')).toHaveLength(2);
  });

  it('the groups chart\'s CSV carries each unit\'s official code beside its id (none: empty)', async () => {
    const saved: Blob[] = [];
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = (b: Blob) => { saved.push(b); return 'blob:x'; };
    URL.revokeObjectURL = () => {};
    try {
      render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-03', query: { compare: 'q1-p1,q3-p1,q1' } }));
      const figure = (await screen.findAllByRole('figure')).find((f) => f.textContent?.includes('The five groups'))!;
      await fireEvent.click(figure.querySelector('.share__button')!);
      await fireEvent.click(figure.querySelector('[data-share="csv"]')!);
      await vi.waitFor(() => expect(saved).toHaveLength(1));
      const rows = (await saved[0].text()).replace('\uFEFF', '').trim().split('\r\n').map((r) => r.split(','));
      expect(rows[0].slice(0, 3)).toEqual(['ID', 'Official code', 'Unit']);
      expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([['q1-p1', '26734'], ['q3-p1', ''], ['q1', '760']]);
    } finally {
      Object.assign(URL, { createObjectURL, revokeObjectURL });
    }
  });

  it('a unit without a score then shows nothing, not 0; adding from the list writes the URL', async () => {
    const calls: unknown[] = [];
    render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-03', query: { compare: 'q3' }, navigate: (to) => calls.push(to) }));
    const table = await screen.findByRole('table', { name: /Comparison of 1 units/ });
    expect(table.querySelector('.change')).toBeNull(); // District 3 has no February
    const select = screen.getByRole('combobox', { name: 'Add a unit' }) as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).not.toContain('q3');
    await fireEvent.change(select, { target: { value: 'q1' } });
    await fireEvent.submit(select.form!);
    expect(calls).toEqual([{ query: { compare: 'q3,q1' } }]);
  });

  it('without a set it says how to start; with five it offers no more', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'vi', period: '2024-03', query: {} }));
    expect((await screen.findByText(/Chưa chọn đơn vị nào/)).textContent).toContain('Thêm vào so sánh');
    document.body.replaceChildren();
    render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-03', query: { compare: 'q1,q3,q1-p1,q3-p1,hcm' } }));
    expect(await screen.findByText(/5 units already/)).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Add a unit' })).toBeNull();
  });
});
