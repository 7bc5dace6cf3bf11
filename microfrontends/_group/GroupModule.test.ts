import { describe, expect, it, vi } from 'vitest';
import { render, screen, within, fireEvent } from '@testing-library/svelte';
import GroupModule from './GroupModule.svelte';
import { groupDefs, groupRows, sortRows } from './group.ts';
import { baseProps, fakeApi, openTable } from '@itmap/kit/testing';
import { files, units, METHOD_766_V1 } from './test-data.ts';

const props = (over: Parameters<typeof baseProps>[1] = {}, group = 'transparency') =>
  ({ ...baseProps(fakeApi(files), over), group, title: 'Công khai, minh bạch' });

describe('group module logic', () => {
  it('takes the group’s indicators from the method table, in order', () => {
    const d = groupDefs(METHOD_766_V1, 'onlineServices');
    expect(d.indicators.map((i) => i.id)).toEqual(['3.1', '3.2', '3.3', '3.4']);
    expect(d.subgroups.map((s) => s.key)).toEqual(['payment']);
    expect(groupDefs(METHOD_766_V1, 'progress').subgroups).toEqual([]);
  });

  it('sorts by unit name (Vietnamese collation), group points, or an indicator', () => {
    const scores = (files['scores/2024-03.json'] as { scores: never[] }).scores;
    const rows = groupRows(scores, new Map(units.map((u) => [u.id, u as never])), 'ward-urban', 'transparency', 'vi');
    expect(sortRows(rows, 'unit', 'asc', 'vi').map((r) => r.name)).toEqual(['Phường Bến Nghé', 'Phường Đa Kao']);
    expect(sortRows(rows, 'points', 'asc', 'vi').map((r) => r.unitId)).toEqual(['q1-da-kao', 'q1-ben-nghe']);
    expect(sortRows(rows, '1.4', 'desc', 'vi').map((r) => r.unitId)).toEqual(['q1-ben-nghe', 'q1-da-kao']);
  });
});

describe('GroupModule', () => {
  it('shows each unit\'s change of the group\'s points since the previous month, and nothing where there is no previous month', async () => {
    const calls: string[] = [];
    const view = render(GroupModule, { ...baseProps(fakeApi(files, calls), { locale: 'en' }), group: 'transparency', title: 'Transparency' });
    const table = await screen.findByRole('table', { name: /indicators by unit/ });
    await vi.waitFor(() => { if (!table.querySelector('.change')) throw new Error('no change yet'); });
    // every score of 2024-03 is 2 points of total above 2024-02: transparency's share of it
    const expected = groupRows((files['scores/2024-03.json'] as { scores: never[] }).scores, new Map(), 'district-urban', 'transparency', 'en',
      new Map((files['scores/2024-02.json'] as { scores: { unitId: string }[] }).scores.map((s) => [s.unitId, s as never])));
    expect(expected.map((r) => r.change)).toEqual([expected[0].change, expected[0].change]);
    expect(expected[0].change).toBeGreaterThan(0);
    const cells = [...table.querySelectorAll('tbody [data-change="score"]')].map((c) => c.getAttribute('title'));
    expect(cells).toEqual(expected.map((r) => `up ${r.change!.toFixed(1)} points since February 2024`));
    expect(calls).toContain('scores/2024-02.json');
    view.unmount();
    render(GroupModule, { ...baseProps(fakeApi(files), { locale: 'en', period: '2024-01' }), group: 'transparency', title: 'Transparency' });
    const january = await screen.findByRole('table', { name: /indicators by unit — .*January 2024/ });
    await new Promise((r) => setTimeout(r, 50));
    expect(january.querySelector('.change')).toBeNull();
  });


  it('shows every indicator of the group with n/d, ratio and points, for the first peer group', async () => {
    render(GroupModule, props());
    const table = await screen.findByRole('table', { name: 'Công khai, minh bạch: các chỉ số theo đơn vị — Quận, TP. Thủ Đức, Tháng 3/2024' });
    const heads = within(table).getAllByRole('columnheader').map((h) => h.textContent?.trim());
    for (const id of ['1.1', '1.2', '1.3', '1.4']) expect(heads.some((h) => h?.startsWith(id))).toBe(true);
    expect(heads.some((h) => h?.startsWith('3.1'))).toBe(false);
    const rows = within(table).getAllByRole('row').slice(2);
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['Quận 3', 'Quận 1']); // by group points, desc
    expect(rows[1].textContent).toContain('0 / 0');
    expect(rows[1].querySelector('[data-no-data="no-records"]')?.textContent).toContain('Không có dữ liệu'); // the kit's "no data"
    expect(rows[0].querySelectorAll('[data-no-data]')).toHaveLength(0);
    expect(within(rows[0]).getByRole('link', { name: 'Quận 3' }).getAttribute('href')).toBe('/units/q3');
    expect(within(table).getByRole('columnheader', { name: /Điểm nhóm/ }).getAttribute('aria-sort')).toBe('descending');
    // definitions from the method table
    expect(screen.getByRole('heading', { name: 'Cách tính các chỉ số của nhóm' })).toBeTruthy();
    expect(document.body.textContent).toContain(METHOD_766_V1.indicators[0].description.vi);
  });

  it('follows peer, sort and dir from the URL and writes them on click', async () => {
    const calls: unknown[] = [];
    render(GroupModule, props({ query: { peer: 'ward-urban', sort: 'unit' }, navigate: (to) => calls.push(to) }));
    const table = await screen.findByRole('table', { name: /Phường, thị trấn/ });
    expect(within(table).getAllByRole('row').slice(2).map((r) => r.querySelector('th')?.textContent)).toEqual(['Phường Bến Nghé', 'Phường Đa Kao']);
    expect(screen.getByRole('link', { name: 'Phường, thị trấn' }).getAttribute('aria-current')).toBe('page');
    await fireEvent.click(within(table).getByRole('button', { name: /^1\.2/ }));
    expect(calls).toEqual([{ query: { sort: '1.2', dir: null }, replace: true }]);
    await fireEvent.click(within(table).getByRole('button', { name: /^Đơn vị/ }));
    expect(calls[1]).toEqual({ query: { sort: 'unit', dir: 'desc' }, replace: true });
  });

  it('charts the group’s points of the chosen unit over months, with summary and data table', async () => {
    render(GroupModule, props({ query: { unit: 'q3' } }));
    const figure = await screen.findByRole('figure');
    await within(figure).findByText(/Từ Tháng 1\/2024 đến Tháng 3\/2024/);
    expect(figure.textContent).toContain('Công khai, minh bạch theo tháng, Quận 3');
    const data = within(openTable(figure)).getByRole('table');
    expect(within(data).getAllByRole('row')).toHaveLength(1 + 3);
    expect((screen.getByRole('combobox', { name: 'Đơn vị trên biểu đồ' }) as HTMLSelectElement).value).toBe('q3');
  });

  it('shows the payment sub-group for online services', async () => {
    render(GroupModule, props({}, 'onlineServices'));
    const table = await screen.findByRole('table', { name: /^Dịch vụ công trực tuyến: các chỉ số/ });
    expect(within(table).getByRole('columnheader', { name: /Thanh toán trực tuyến \/ 10/ })).toBeTruthy();
    expect(within(table).getAllByRole('columnheader').filter((h) => /^3\.\d/.test(h.textContent!.trim()))).toHaveLength(4);
  });

  it('speaks English, numbers per locale', async () => {
    render(GroupModule, props({ locale: 'en' }, 'digitization'));
    const table = await screen.findByRole('table', { name: 'Digitization: indicators by unit — Urban districts, March 2024' });
    expect(within(table).getByRole('button', { name: /^4\.3 Wards offering/ })).toBeTruthy();
    expect(table.textContent).toMatch(/\d\.\d\d/);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Digitization');
  });

  it('shows an error card with Retry when a snapshot is missing', async () => {
    const partial = { ...files };
    delete partial['method.json'];
    render(GroupModule, { ...baseProps(fakeApi(partial)), group: 'progress', title: 'Tiến độ' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('404');
  });
});

describe('GroupModule: ongoing periods (issue 15)', () => {
  it('opens on the last complete month (defaultPeriod), or latestPeriod from an older publisher', async () => {
    const { unmount } = render(GroupModule, props({ period: '' }));
    expect(await screen.findByRole('table', { name: /Tháng 3\/2024$/ })).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
    unmount();
    const old = { ...files, 'latest.json': { ...(files['latest.json'] as object), defaultPeriod: undefined, provisionalPeriods: undefined } };
    render(GroupModule, { ...baseProps(fakeApi(old), { period: '' }), group: 'transparency', title: 'Công khai, minh bạch' });
    expect(await screen.findByRole('table', { name: /Tháng 4\/2024$/ })).toBeTruthy();
  });

  it('says an ongoing period is provisional, with its asOf, and marks it in the trend', async () => {
    render(GroupModule, props({ period: '2024-04', query: { unit: 'q3' } }));
    const note = await screen.findByRole('note');
    expect(note.textContent).toBe('Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến 12:00 10 thg 4, 2024, còn thay đổi cho đến hết kỳ.');
    expect(document.querySelector('.module-head')!.textContent).toContain('Tháng 4/2024 (tạm tính)');
    const figure = screen.getByRole('figure');
    await within(figure).findByText(/đến Tháng 4\/2024 \(tạm tính\)/);
    const rows = within(within(openTable(figure)).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Tháng 1/2024', 'Tháng 2/2024', 'Tháng 3/2024', 'Tháng 4/2024 (tạm tính)']);
    expect(within(figure).getByTestId('provisional-legend').textContent).toContain('kỳ tạm tính');
  });

  it('speaks English', async () => {
    render(GroupModule, props({ period: '2024-04', locale: 'en' }));
    expect((await screen.findByRole('note')).textContent).toBe('Provisional: this period is not over. Figures as of 10 Apr 2024, 12:00; they will change until the period ends.');
    expect(document.querySelector('.module-head')!.textContent).toContain('April 2024 (provisional)');
  });
});
