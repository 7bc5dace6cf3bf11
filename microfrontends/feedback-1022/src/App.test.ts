import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi } from '../../_kit/testing.ts';

const ASOF = '2025-01-01T00:00:00+07:00';
function figures(inPeriod: number, onTime: number, satisfied: number) {
  return {
    inPeriod, received: inPeriod, resolved: inPeriod - 1, resolvedOnTime: onTime - 1, onTime, overdue: inPeriod - onTime, open: 1, satisfied,
    onTimeRate: inPeriod ? onTime / inPeriod : null, satisfactionRate: inPeriod ? satisfied / inPeriod : null,
  };
}
function view(period: string, n: number) {
  return {
    period, asOf: ASOF, unitId: null,
    total: figures(n * 10, n * 10 - 1, n * 10 - 2),
    byField: [
      { field: 'land', name: { vi: 'Đất đai', en: 'Land' }, ...figures(n * 6, n * 6, n * 6 - 1) },
      { field: 'other', name: { vi: 'Khác', en: 'Other' }, ...figures(n * 4, n * 4 - 1, n * 4 - 1) },
    ],
    byUnit: [
      { unitId: 'q1', ...figures(n * 3, n * 3, n * 3) },
      { unitId: 'q3', ...figures(n * 7, n * 7 - 1, n * 7 - 2) },
    ],
  };
}
const units = [
  { id: 'q1', parentId: null, kind: 'district', name: { vi: 'Quận 1', en: 'District 1' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'q3', parentId: null, kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
];
const files = {
  'latest.json': { asOf: ASOF, method: '766-v1', periods: ['2024-01', '2024-02', '2024-03', '2024-Q1', '2024'], latestPeriod: '2024-03', changed: [] },
  'units.json': { asOf: ASOF, units },
  'feedback/2024-01.json': view('2024-01', 100),
  // 2024-02 not published: left out of the trend
  'feedback/2024-03.json': view('2024-03', 120),
  'feedback/2024-Q1.json': view('2024-Q1', 300),
};

describe('feedback-1022', () => {
  it('shows the totals, the on-time and satisfaction rates and the fields', async () => {
    render(App, baseProps(fakeApi(files)));
    expect((await screen.findByTestId('on-time-rate')).textContent).toBe('99,92 %');
    expect(screen.getByTestId('satisfaction-rate').textContent).toBe('99,83 %');
    const table = screen.getByRole('table', { name: 'Phản ánh theo lĩnh vực, Tháng 3/2024' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['Đất đai', 'Khác']);
    expect(rows[0].textContent).toContain('720'); // received
    expect(rows[0].textContent).toContain('100,00 %');
    expect(screen.getByRole('link', { name: 'Theo lĩnh vực' }).getAttribute('aria-current')).toBe('page');
  });

  it('lists handling units, most feedback first, with links to their profiles', async () => {
    render(App, baseProps(fakeApi(files), { query: { by: 'unit' } }));
    const table = await screen.findByRole('table', { name: 'Phản ánh theo đơn vị xử lý, Tháng 3/2024' });
    const links = within(table).getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual(['Quận 3', 'Quận 1']);
    expect(links[0].getAttribute('href')).toBe('/units/q3');
  });

  it('charts the rates over months (missing snapshots left out), with a data table', async () => {
    render(App, baseProps(fakeApi(files)));
    const figure = await screen.findByRole('figure');
    expect(figure.textContent).toContain('Tỷ lệ đúng hạn và hài lòng theo tháng');
    expect(figure.textContent).toContain('Từ Tháng 1/2024 đến Tháng 3/2024');
    expect(within(within(figure).getByRole('table')).getAllByRole('row')).toHaveLength(1 + 2);
  });

  it('speaks English, a quarter too', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-Q1' }));
    expect(await screen.findByRole('table', { name: 'Feedback by field, Q1 2024' })).toBeTruthy();
    expect(screen.getByTestId('on-time-rate').textContent).toBe('99.97 %');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('1022 feedback');
    expect((await screen.findByRole('figure')).textContent).toContain('by quarter');
  });

  it('shows an error card when the period has no snapshot', async () => {
    render(App, baseProps(fakeApi(files), { period: '2023-01' }));
    expect((await screen.findByRole('alert')).textContent).toContain('404');
  });
});
