import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, makeScore, METHOD_766_V1, openTable } from '@itmap/kit/testing';

const units = [
  { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'q3', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
];
const history = [
  makeScore({ unitId: 'q3', period: '2024-01', peerGroup: 'district', total: 60, rank: 3, band: 'average' }),
  makeScore({ unitId: 'q3', period: '2024-02', peerGroup: 'district', total: 72.5, rank: 2, band: 'fair' }),
  makeScore({ unitId: 'q3', period: '2024-03', peerGroup: 'district', total: 81.234, rank: 1, band: 'good' }),
  makeScore({ unitId: 'q3', period: '2024-Q1', peerGroup: 'district', total: 70, rank: 2, band: 'fair' }),
];
history[2].indicators['1.1'] = { n: 0, d: 0, ratio: null, points: 0, max: 6, noData: true };
const files = {
  'latest.json': { asOf: '2025-01-01T00:00:00+07:00', method: '766-v1', periods: ['2024-01', '2024-02', '2024-03', '2024-Q1'], latestPeriod: '2024-03', defaultPeriod: '2024-03', provisionalPeriods: [], changed: [] },
  'units.json': { asOf: '2025-01-01T00:00:00+07:00', units },
  'method.json': METHOD_766_V1,
  'units/q3.json': { unitId: 'q3', method: '766-v1', asOf: '2025-01-01T00:00:00+07:00', history },
};

describe('profile', () => {
  it('adds the unit to the compare set (?compare=, up to five) with a link to the compare page', async () => {
    const view = render(App, baseProps(fakeApi(files), { unitId: 'q3', period: '2024-03', locale: 'en', query: { compare: 'q1' } }));
    const [link, feed] = within(await screen.findByTestId('compare-link')).getAllByRole('link');
    expect(feed.getAttribute('href')).toBe('/data/feeds/units/q3.xml'); // the unit's Atom feed (the publisher's)
    expect(link.textContent).toBe('+ Add to comparison (2 units)');
    expect(link.getAttribute('href')).toBe('/compare?compare=q1%2Cq3');
    view.unmount();
    render(App, baseProps(fakeApi(files), { unitId: 'q3', period: '2024-03', locale: 'en', query: { compare: 'q3,q1' } }));
    expect(within(await screen.findByTestId('compare-link')).getAllByRole('link')[0].textContent?.trim()).toBe('In the comparison (2 units) — open it');
  });


  it('shows the change since the previous period of the same kind on the total, the rank and each group; nothing without a score then', async () => {
    const { unmount } = render(App, baseProps(fakeApi(files), { unitId: 'q3', period: '2024-03', locale: 'en' }));
    // March 81.23 (rank 1) against February 72.50 (rank 2)
    const total = await screen.findByTestId('total-change');
    expect(total.querySelector('[aria-hidden]')?.textContent).toBe('▲ +8.7');
    expect(total.textContent).toContain('up 8.7 points since February 2024');
    expect(screen.getByTestId('rank').parentElement!.querySelector('[data-change="rank"]')?.textContent).toBe('▲1up 1 places since February 2024');
    const groups = screen.getByRole('table', { name: 'The five groups' });
    const changes = [...groups.querySelectorAll('[data-change="score"]')].map((c) => c.getAttribute('title'));
    expect(changes).toHaveLength(5);
    expect(changes[0]).toMatch(/^up \d\.\d points since February 2024$/);
    unmount();
    // January has no month before it; Q1 has no Q4 of 2023: nothing shown, not 0
    for (const period of ['2024-01', '2024-Q1']) {
      const view = render(App, baseProps(fakeApi(files), { unitId: 'q3', period, locale: 'en' }));
      await screen.findByTestId('total');
      expect(document.querySelector('.change')).toBeNull();
      view.unmount();
    }
  });


  it('names a merged ward\'s predecessors and links them, and a former ward says when and into what it merged', async () => {
    const merged = [
      units[0],
      { id: 'q3-p1', parentId: 'hcm', kind: 'ward', name: { vi: 'Phường 1', en: 'Ward 1' }, peerGroup: 'ward', offersElectronicCertifiedCopy: true, code: '27139', validFrom: '2021-01-01', validTo: '2025-06-30', successors: ['phuong-ban-co'] },
      { id: 'phuong-ban-co', parentId: 'hcm', kind: 'ward', name: { vi: 'Phường Bàn Cờ', en: 'Ban Co Ward' }, peerGroup: 'ward', offersElectronicCertifiedCopy: true, code: '27142', validFrom: '2025-07-01', validTo: null, predecessors: [{ id: 'q3-p1', part: true }] },
    ];
    const wardHistory = (unitId: string, period: string, total: number) => makeScore({ unitId, period, peerGroup: 'ward', total, rank: 1, band: 'good' });
    const mergedFiles = {
      ...files,
      'latest.json': { ...files['latest.json'], periods: ['2025-06', '2025-07'], latestPeriod: '2025-07', defaultPeriod: '2025-07' },
      'units.json': { asOf: '2025-08-01T00:00:00+07:00', units: merged },
      'units/phuong-ban-co.json': { unitId: 'phuong-ban-co', method: '766-v1', asOf: '2025-08-01T00:00:00+07:00', history: [wardHistory('phuong-ban-co', '2025-07', 85)] },
      'units/q3-p1.json': { unitId: 'q3-p1', method: '766-v1', asOf: '2025-08-01T00:00:00+07:00', history: [wardHistory('q3-p1', '2025-06', 70)] },
    };
    const { unmount } = render(App, baseProps(fakeApi(mergedFiles), { unitId: 'phuong-ban-co', period: '2025-07' }));
    const formed = await screen.findByTestId('predecessors');
    expect(formed.textContent).toContain('Thành lập từ 1 tháng 7, 2025');
    expect(within(formed).getByRole('link', { name: 'Phường 1' }).getAttribute('href')).toBe('/units/q3-p1');
    expect(formed.textContent).toContain('(một phần)');
    expect(screen.getByText(/mã 27142/)).toBeTruthy();
    // the history chart: the ward's own series and its predecessor's, apart
    const figure = (await screen.findAllByRole('figure')).find((f) => f.textContent?.includes('Tổng điểm theo tháng'))!;
    expect(figure.textContent).toContain('Phường 1 (đơn vị cũ)');
    unmount();
    render(App, baseProps(fakeApi(mergedFiles), { unitId: 'q3-p1', period: '2025-06' }));
    const went = await screen.findByTestId('successors');
    expect(went.textContent).toMatch(/Hoạt động đến hết 30 tháng 6, 2025; sáp nhập vào:/);
    expect(within(went).getByRole('link', { name: 'Phường Bàn Cờ' }).getAttribute('href')).toBe('/units/phuong-ban-co');
  });

  it('shows the total, band, rank, the five groups and every indicator with n/d', async () => {
    render(App, baseProps(fakeApi(files), { unitId: 'q3' }));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Quận 3');
    expect(screen.getByTestId('total').textContent).toBe('81,23');
    expect(screen.getAllByText('Tốt').length).toBeGreaterThan(0);
    expect(screen.getByText(/Hạng 1 trong nhóm/)).toBeTruthy();
    const groups = screen.getByRole('table', { name: 'Năm nhóm chỉ số' });
    expect(within(groups).getAllByRole('row')).toHaveLength(1 + 5);
    expect(groups.textContent).toContain('trong đó thanh toán trực tuyến');
    const indicators = screen.getByRole('table', { name: 'Các chỉ số, Tháng 3/2024' });
    expect(indicators.querySelectorAll('tbody tr:not(.group-row)')).toHaveLength(METHOD_766_V1.indicators.length);
    const first = within(indicators).getByRole('row', { name: /1\.1/ });
    expect(first.textContent).toContain('0 / 0');
    // the kit's "no data": nothing to count, the empty rule gives 0 points (its reason behind "?")
    expect(first.querySelector('[data-no-data="no-records"]')?.textContent).toContain('Không có dữ liệu');
    // a group with data is not marked
    expect(groups.querySelectorAll('[data-no-data]')).toHaveLength(0);
    expect(screen.getByRole('link', { name: 'TP. Hồ Chí Minh' }).getAttribute('href')).toBe('/units/hcm');
  });

  it('charts the history of the same kind of period, with summary and data table', async () => {
    render(App, baseProps(fakeApi(files), { unitId: 'q3' }));
    await screen.findAllByRole('figure');
    const figure = screen.getAllByRole('figure').find((f) => f.textContent?.includes('Tổng điểm theo tháng'))!;
    expect(figure.textContent).toContain('Tổng điểm theo tháng, Quận 3');
    expect(figure.textContent).toContain('Từ Tháng 1/2024 đến Tháng 3/2024: 60,00 → 81,23 điểm');
    expect(within(within(openTable(figure)).getByRole('table')).getAllByRole('row')).toHaveLength(1 + 3);
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(files), { unitId: 'q3', locale: 'en', period: '2024-Q1' }));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('District 3');
    expect(screen.getByTestId('total').textContent).toBe('70.00');
    expect(screen.getAllByText('Fair').length).toBeGreaterThan(0);
    expect(screen.getByRole('table', { name: 'Indicators, Q1 2024' })).toBeTruthy();
    expect((await screen.findAllByRole('figure')).some((f) => f.textContent?.includes('Total score by quarter, District 3'))).toBe(true);
  });

  it('says so for an unknown unit or a period without a score', async () => {
    const { unmount } = render(App, baseProps(fakeApi(files), { unitId: 'nope' }));
    expect((await screen.findByRole('status')).textContent).toContain('Không tìm thấy đơn vị “nope”');
    unmount();
    render(App, baseProps(fakeApi(files), { unitId: 'q3', period: '2023' }));
    // (the chart's share menu has a status region of its own)
    const status = await screen.findByTestId('no-score');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toMatch(/^Năm 2023: Chưa có điểm/);
    expect(status.querySelector('[data-no-data="not-scored"]')?.getAttribute('title')).toMatch(/^Đơn vị không thuộc cơ cấu hành chính của kỳ này/);
  });
});

import { files as groupFiles } from '../../_group/test-data.ts';

describe('profile comparisons', () => {
  it('ranks within the peer group (of N) and compares with the peer median and the parent unit', async () => {
    render(App, baseProps(fakeApi(groupFiles), { unitId: 'q1-da-kao' }));
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Phường Đa Kao');
    expect(screen.getByTestId('rank').textContent).toBe('Hạng 2/2 trong nhóm Phường, thị trấn');
    const table = screen.getByRole('table', { name: 'So sánh với trung vị nhóm và đơn vị cấp trên, Tháng 3/2024' });
    const heads = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(heads).toEqual(['Nhóm', 'Đơn vị này', 'Trung vị Phường, thị trấn', 'Cấp trên: Quận 1']);
    const total = within(table).getAllByRole('row')[1];
    expect([...total.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['60,00', '72,50', '71,20']);
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 1 + 5);
    const chart = screen.getAllByRole('figure').find((f) => f.textContent?.includes('% điểm tối đa'))!;
    expect(chart.textContent).toContain('trung vị 2 đơn vị cùng nhóm: 72,50; Quận 1: 71,20');
    // every indicator has the peer median beside it
    const indicators = screen.getByRole('table', { name: 'Các chỉ số, Tháng 3/2024' });
    expect(within(indicators).getByRole('columnheader', { name: 'Trung vị nhóm' })).toBeTruthy();
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(groupFiles), { unitId: 'q1-da-kao', locale: 'en' }));
    expect((await screen.findByTestId('rank')).textContent).toBe('Rank 2 of 2 among Wards and townships');
    expect(screen.getByRole('table', { name: 'Compared with the peer-group median and the parent unit, March 2024' })).toBeTruthy();
  });
});

describe('profile: ongoing periods (issue 15)', () => {
  it('opens on the last complete month (defaultPeriod)', async () => {
    render(App, baseProps(fakeApi(groupFiles), { unitId: 'q3', period: '' }));
    expect(await screen.findByRole('table', { name: 'Các chỉ số, Tháng 3/2024' })).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('says an ongoing period is provisional, with its asOf, in both languages', async () => {
    const { unmount } = render(App, baseProps(fakeApi(groupFiles), { unitId: 'q3', period: '2024-04' }));
    expect((await screen.findByRole('note')).textContent).toBe('Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến 12:00 10 thg 4, 2024, còn thay đổi cho đến hết kỳ.');
    expect(document.querySelector('.module-head')!.textContent).toContain('Tháng 4/2024 (tạm tính)');
    unmount();
    render(App, baseProps(fakeApi(groupFiles), { unitId: 'q3', period: '2024-04', locale: 'en' }));
    expect((await screen.findByRole('note')).textContent).toMatch(/^Provisional: this period is not over/);
  });

  it('a complete month\'s view: the trend ends at that month (issue 19), so no provisional point', async () => {
    render(App, baseProps(fakeApi(groupFiles), { unitId: 'q3', period: '2024-03' }));
    await screen.findAllByRole('figure');
    expect(screen.queryByRole('note')).toBeNull();
    const figure = screen.getAllByRole('figure').find((f) => f.textContent?.includes('Tổng điểm theo tháng'))!;
    expect(within(figure).queryByTestId('provisional-legend')).toBeNull();
    const rows = within(within(openTable(figure)).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Tháng 1/2024', 'Tháng 2/2024', 'Tháng 3/2024']);
  });

  it('marks the provisional last point of the trend (legend, table, summary) when the ongoing month is chosen', async () => {
    render(App, baseProps(fakeApi(groupFiles), { unitId: 'q3', period: '2024-04' }));
    await screen.findAllByRole('figure');
    const figure = screen.getAllByRole('figure').find((f) => f.textContent?.includes('Tổng điểm theo tháng'))!;
    expect(figure.textContent).toContain('đến Tháng 4/2024 (tạm tính): 86,46 → 81,46 điểm');
    expect(within(figure).getByTestId('provisional-legend').textContent).toBe('Nét đứt, chấm rỗng: kỳ tạm tính (chưa kết thúc)');
    const rows = within(within(openTable(figure)).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Tháng 1/2024', 'Tháng 2/2024', 'Tháng 3/2024', 'Tháng 4/2024 (tạm tính)']);
    // the groups chart (not over periods) has no such legend
    const other = screen.getAllByRole('figure').find((f) => f.textContent?.includes('% điểm tối đa'))!;
    expect(within(other).queryByTestId('provisional-legend')).toBeNull();
  });
});
