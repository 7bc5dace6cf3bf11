import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, openTable } from '@itmap/kit/testing';

/** 10 April 2024: January to March complete, April ongoing */
const ASOF = '2024-04-10T12:00:00+07:00';
/** two open petitions: one not yet due (on time), one past due (overdue) */
function figures(inPeriod: number, onTime: number, satisfied: number) {
  return {
    inPeriod, received: inPeriod, resolved: inPeriod - 2, resolvedOnTime: onTime - 1, onTime, overdue: inPeriod - onTime, open: 2, openNotDue: 1, openOverdue: 1, satisfied,
    onTimeRate: inPeriod ? onTime / inPeriod : null, satisfactionRate: inPeriod ? satisfied / inPeriod : null,
  };
}
function view(period: string, n: number, provisional = false) {
  return {
    period, asOf: ASOF, provisional, unitId: null,
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
  'latest.json': {
    asOf: ASOF, method: '766-v1', periods: ['2024-01', '2024-02', '2024-03', '2024-04', '2024-Q1', '2024-Q2', '2024'],
    latestPeriod: '2024-04', defaultPeriod: '2024-03', provisionalPeriods: ['2024-04', '2024-Q2', '2024'], changed: [],
  },
  'units.json': { asOf: ASOF, units },
  'feedback/2024-01.json': view('2024-01', 100),
  // 2024-02 not published: left out of the trend
  'feedback/2024-03.json': view('2024-03', 120),
  'feedback/2024-04.json': { ...view('2024-04', 40, true), total: { ...figures(400, 399, 398), open: 150, openNotDue: 149, openOverdue: 1 } },
  'feedback/2024-Q1.json': view('2024-Q1', 300),
};
const chart = (name: RegExp) => screen.getAllByRole('figure').find((f) => name.test(f.querySelector('figcaption')!.textContent!))!;

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
    await screen.findAllByRole('figure');
    const figure = chart(/^Tỷ lệ đúng hạn/);
    expect(figure.textContent).toContain('Tỷ lệ đúng hạn và hài lòng theo tháng');
    expect(figure.textContent).toContain('Từ Tháng 1/2024 đến Tháng 3/2024');
    expect(within(within(openTable(figure)).getByRole('table')).getAllByRole('row')).toHaveLength(1 + 2);
  });

  it('speaks English, a quarter too', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en', period: '2024-Q1' }));
    expect(await screen.findByRole('table', { name: 'Feedback by field, Q1 2024' })).toBeTruthy();
    expect(screen.getByTestId('on-time-rate').textContent).toBe('99.97 %');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('1022 feedback');
    expect((await screen.findAllByRole('figure'))[0].textContent).toContain('by quarter');
  });

  it('shows an error card when the period has no snapshot', async () => {
    render(App, baseProps(fakeApi(files), { period: '2023-01' }));
    expect((await screen.findByRole('alert')).textContent).toContain('404');
  });
});

describe('feedback-1022: open not yet due apart from overdue; ongoing periods (issue 15)', () => {
  it('shows open-not-yet-due and open-past-due apart, beside overdue, in the totals and the table', async () => {
    render(App, baseProps(fakeApi(files)));
    await screen.findByTestId('on-time-rate');
    const stat = (key: string) => document.querySelector(`[data-stat="${key}"]`)!;
    expect(stat('overdue').textContent).toBe('Quá hạn1');
    expect(stat('openNotDue').textContent).toBe('Đang xử lý, chưa đến hạn1');
    expect(stat('openOverdue').textContent).toBe('Đang xử lý, đã quá hạn1');
    expect(document.querySelector('[data-stat="open"]')).toBeNull();
    const table = screen.getByRole('table', { name: 'Phản ánh theo lĩnh vực, Tháng 3/2024' });
    const heads = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(heads).toEqual(['Lĩnh vực', 'Tiếp nhận', 'Đã xử lý', 'Xử lý đúng hạn', 'Quá hạn', 'Đang xử lý, đã quá hạn', 'Đang xử lý, chưa đến hạn', 'Tỷ lệ đúng hạn', 'Tỷ lệ hài lòng']);
  });

  it('charts overdue beside open-not-yet-due over the periods, with both in its data table', async () => {
    render(App, baseProps(fakeApi(files), { period: '2024-04' }));
    await screen.findAllByRole('figure');
    const figure = chart(/^Quá hạn và đang xử lý chưa đến hạn theo tháng$/);
    expect(figure.textContent).toContain('Tháng 4/2024 (tạm tính): 1 phản ánh quá hạn (trong đó 1 đang xử lý), 149 đang xử lý chưa đến hạn.');
    const table = within(openTable(figure)).getByRole('table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Kỳ', 'Trong kỳ', 'Quá hạn', 'Đang xử lý, đã quá hạn', 'Đang xử lý, chưa đến hạn']);
    const last = within(table).getAllByRole('row').at(-1)!;
    expect([...last.children].map((c) => c.textContent)).toEqual(['Tháng 4/2024 (tạm tính)', '400', '1', '1', '149']);
  });

  it('opens on the last complete month (defaultPeriod), not the ongoing one', async () => {
    render(App, baseProps(fakeApi(files), { period: '' }));
    expect(await screen.findByRole('table', { name: 'Phản ánh theo lĩnh vực, Tháng 3/2024' })).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('says an ongoing period is provisional, with its asOf, in both languages, and marks it in the trend', async () => {
    const { unmount } = render(App, baseProps(fakeApi(files), { period: '2024-04' }));
    expect((await screen.findByRole('note')).textContent).toBe('Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến 12:00 10 thg 4, 2024, còn thay đổi cho đến hết kỳ.');
    expect(document.querySelector('.module-head')!.textContent).toContain('Tháng 4/2024 (tạm tính)');
    await screen.findAllByRole('figure');
    const rates = chart(/^Tỷ lệ đúng hạn/);
    expect(within(rates).getByTestId('provisional-legend')).toBeTruthy();
    expect(within(within(openTable(rates)).getByRole('table')).getAllByRole('row').at(-1)!.querySelector('th')!.textContent).toBe('Tháng 4/2024 (tạm tính)');
    unmount();
    render(App, baseProps(fakeApi(files), { period: '2024-04', locale: 'en' }));
    expect((await screen.findByRole('note')).textContent).toMatch(/^Provisional: this period is not over/);
    expect(document.querySelector('[data-stat="openNotDue"]')!.textContent).toBe('Open, not yet due149');
  });
});
