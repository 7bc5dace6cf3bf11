import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, makeScore, METHOD_766_V1 } from '@itmap/kit/testing';
import { moduleLifecycles } from '@itmap/kit';
import { rankingsOf } from '../../../shared-types/src/snapshots.ts';

const units = [
  { id: 'hcm', parentId: null, kind: 'city', name: { vi: 'TP. Hồ Chí Minh', en: 'Ho Chi Minh City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'q1', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 1', en: 'District 1' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'q3', parentId: 'hcm', kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'stp', parentId: 'hcm', kind: 'department', name: { vi: 'Sở Tư pháp', en: 'Department of Justice' }, peerGroup: 'department', offersElectronicCertifiedCopy: false },
];
const scores = [
  makeScore({ unitId: 'hcm', period: '2024-03', peerGroup: 'city', total: 68.95, rank: 1, band: 'average' }),
  makeScore({ unitId: 'q1', period: '2024-03', peerGroup: 'district', total: 71.2, rank: 2, band: 'fair' }),
  makeScore({ unitId: 'q3', period: '2024-03', peerGroup: 'district', total: 91.456, rank: 1, band: 'excellent' }),
  makeScore({ unitId: 'stp', period: '2024-03', peerGroup: 'department', total: 49.99, rank: 1, band: 'weak' }),
];
const files = {
  'latest.json': { asOf: '2025-01-01T00:00:00+07:00', method: '766-v1', periods: ['2024-03'], latestPeriod: '2024-03', defaultPeriod: '2024-03', provisionalPeriods: [], changed: [] },
  'units.json': { asOf: '2025-01-01T00:00:00+07:00', units },
  'method.json': METHOD_766_V1,
  // the compact ranking the publisher writes beside scores/<period>.json (what the overview reads)
  'rankings/2024-03.json': rankingsOf({ period: '2024-03', method: '766-v1', asOf: '2025-01-01T00:00:00+07:00', provisional: false, scores }),
};

describe('overview', () => {
  it('sorts its ranking by a header (the kit\'s SortHeader): the order from ?sort=&dir=, aria-sort on the sorted column, a click writes the URL', async () => {
    const calls: unknown[] = [];
    const props = baseProps(fakeApi(files), { locale: 'en', navigate: (to) => calls.push(to) });
    const { rerender } = render(App, props);
    let table = await screen.findByRole('table', { name: /Ranking of/ });
    expect(within(table).getByRole('columnheader', { name: /^Rank/ }).getAttribute('aria-sort')).toBe('ascending');
    expect(within(table).getByRole('columnheader', { name: /^Unit/ }).getAttribute('aria-sort')).toBeNull();
    within(table).getByRole('button', { name: /^Unit/ }).click();
    expect(calls).toEqual([{ query: { sort: 'unit', dir: null }, replace: true }]);
    await rerender({ ...props, query: { sort: 'unit' } });
    table = await screen.findByRole('table', { name: /Ranking of/ });
    const names = () => within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('th')!.textContent);
    expect(names()).toEqual(['District 1', 'District 3']);
    expect(within(table).getByRole('columnheader', { name: /^Unit/ }).getAttribute('aria-sort')).toBe('ascending');
    await rerender({ ...props, query: { sort: 'score', dir: 'asc' } });
    expect(names()).toEqual(['District 1', 'District 3']);
    expect(table.querySelector('th[data-sort-key="score"]')!.getAttribute('aria-sort')).toBe('ascending');
    await rerender({ ...props, query: { sort: 'score' } });
    expect(names()).toEqual(['District 3', 'District 1']);
  });


  it('shows the change since the previous month beside each score and rank, and nothing for a unit not scored then', async () => {
    const february = [
      makeScore({ unitId: 'q1', period: '2024-02', peerGroup: 'district', total: 75.25, rank: 1, band: 'fair' }),
      makeScore({ unitId: 'hcm', period: '2024-02', peerGroup: 'city', total: 68.95, rank: 1, band: 'average' }),
    ];
    const withFebruary = { ...files, 'latest.json': { ...files['latest.json'], periods: ['2024-02', '2024-03'] }, 'rankings/2024-02.json': rankingsOf({ period: '2024-02', method: '766-v1', asOf: '2025-01-01T00:00:00+07:00', provisional: false, scores: february }) };
    const calls: string[] = [];
    render(App, baseProps(fakeApi(withFebruary, calls), { locale: 'en' }));
    const table = await screen.findByRole('table', { name: /Ranking of/ });
    await vi.waitFor(() => { if (!table.querySelector('.change')) throw new Error('no change yet'); });
    const rows = within(table).getAllByRole('row').slice(1);
    // Quận 1 fell from 1st (75.25) to 2nd (71.20); Quận 3 had no score in February: nothing shown, not 0
    expect(rows[1].querySelector('[data-change="rank"]')?.textContent).toBe('▼1down 1 places since February 2024');
    expect(rows[1].querySelector('[data-change="score"] [aria-hidden]')?.textContent).toBe('▼ \u22124.1');
    expect(rows[1].querySelector('[data-change="score"]')?.getAttribute('title')).toBe('down 4.1 points since February 2024');
    expect(rows[0].querySelector('.change')).toBeNull();
    expect(calls).toContain('rankings/2024-02.json');
  });


  it('ranks the default peer group (districts) in an accessible table with bars and links', async () => {
    render(App, baseProps(fakeApi(files)));
    const table = await screen.findByRole('table', { name: 'Xếp hạng Quận, huyện, TP. Thủ Đức, Tháng 3/2024' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.children].map((c) => c.textContent?.trim()).join('|'))).toEqual(['1|Quận 3|91,46||Xuất sắc', '2|Quận 1|71,20||Khá']);
    expect(within(rows[0]).getByRole('link', { name: 'Quận 3' }).getAttribute('href')).toBe('/units/q3');
    expect(table.querySelectorAll('svg.score-bar')).toHaveLength(2);
    // the peer groups are links to URL state; the current one is marked
    const tab = screen.getByRole('link', { name: 'Quận, huyện, TP. Thủ Đức' });
    expect(tab.getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Sở, ban, ngành' }).getAttribute('href')).toBe('/?peer=department');
  });

  it('describes the chart in words and gives its data table', async () => {
    render(App, baseProps(fakeApi(files)));
    await screen.findByRole('table', { name: /Xếp hạng/ }); // the ranking, then its chart, render after the map
    const figure = await vi.waitFor(() => {
      const chart = screen.getAllByRole('figure').find((f) => f.classList.contains('chart'));
      if (!chart) throw new Error('the chart is not there yet');
      return chart;
    });
    expect(figure.textContent).toContain('Quận 3 dẫn đầu với 91,46 điểm');
    expect(within(figure).queryByRole('table')).toBeNull(); // under its Table tab
    await fireEvent.click(within(figure).getByRole('tab', { name: 'Bảng' }));
    const data = within(figure).getByRole('table');
    expect(within(data).getAllByRole('row')).toHaveLength(3);
  });

  it('follows the peer group and locale props (English complete)', async () => {
    const props = baseProps(fakeApi(files));
    const { rerender } = render(App, props);
    await screen.findByRole('table', { name: /Xếp hạng/ });
    await rerender({ ...props, locale: 'en', query: { peer: 'department' } });
    const table = await screen.findByRole('table', { name: 'Ranking of Departments, March 2024' });
    expect(within(table).getByRole('link', { name: 'Department of Justice' })).toBeTruthy();
    expect(table.textContent).toContain('Weak');
    expect(table.textContent).toContain('49.99');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Service to citizens and businesses: rankings');
  });

  it('reads the compact rankings snapshot, and the scores snapshot where a period has none', async () => {
    const calls: string[] = [];
    render(App, baseProps(fakeApi(files, calls)));
    await screen.findByRole('table', { name: /Xếp hạng/ });
    expect(calls.filter((c) => /^(scores|rankings)\//.test(c))).toEqual(['rankings/2024-03.json']);
    document.body.replaceChildren();
    const older: Record<string, unknown> = { ...files, 'scores/2024-03.json': { period: '2024-03', method: '766-v1', asOf: '2025-01-01T00:00:00+07:00', provisional: false, scores } };
    delete older['rankings/2024-03.json'];
    render(App, baseProps(fakeApi(older)));
    const table = await screen.findByRole('table', { name: /Xếp hạng/ });
    expect(table.textContent).toContain('91,46');
  });

  it('uses latestPeriod when none is given and latest.json (an older publisher) has no defaultPeriod', async () => {
    const { defaultPeriod: _d, provisionalPeriods: _p, ...old } = files['latest.json'];
    render(App, baseProps(fakeApi({ ...files, 'latest.json': old }), { period: '' }));
    expect(await screen.findByRole('table', { name: /^Xếp hạng .*Tháng 3\/2024$/ })).toBeTruthy();
  });

  it('shows an error card with Retry when a snapshot is missing, and recovers', async () => {
    const partial: Record<string, unknown> = { ...files };
    delete partial['rankings/2024-03.json'];
    render(App, baseProps(fakeApi(partial)));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('404');
    partial['rankings/2024-03.json'] = files['rankings/2024-03.json'];
    within(alert).getByRole('button', { name: 'Thử lại' }).click();
    expect(await screen.findByRole('table', { name: /Xếp hạng/ })).toBeTruthy();
  });
});

import { fireEvent } from '@testing-library/svelte';
import { files as mapFiles } from '../../_group/test-data.ts';

/** the map's tile links: they come a task after the map is laid out */
const tileLinks = (map: HTMLElement) => vi.waitFor(() => within(map).getAllByRole('link'));

describe('overview tile map', () => {
  it('maps the wards directly when the period\'s structure has no districts (HCMC from July 2025), and only the units of the period', async () => {
    const ward = (id: string, vi: string, centroid: [number, number]) => ({ id, parentId: 'hcm', kind: 'ward', name: { vi, en: vi }, peerGroup: 'ward-urban', offersElectronicCertifiedCopy: true, centroid, validFrom: '2025-07-01', validTo: null });
    const twoLevel = [
      units[0], units[1], // Quận 1 ceased on 30 June 2025: listed in units.json, not scored in 2025-08
      ward('phuong-sai-gon', 'Phường Sài Gòn', [106.70, 10.78]), ward('phuong-ben-thanh', 'Phường Bến Thành', [106.69, 10.77]),
    ];
    const august = [
      makeScore({ unitId: 'hcm', period: '2025-08', peerGroup: 'city', total: 80, rank: 1, band: 'good' }),
      makeScore({ unitId: 'phuong-sai-gon', period: '2025-08', peerGroup: 'ward-urban', total: 91, rank: 1, band: 'excellent' }),
      makeScore({ unitId: 'phuong-ben-thanh', period: '2025-08', peerGroup: 'ward-urban', total: 72, rank: 2, band: 'fair' }),
    ];
    render(App, baseProps(fakeApi({
      ...files,
      'latest.json': { ...files['latest.json'], periods: ['2025-08'], latestPeriod: '2025-08', defaultPeriod: '2025-08' },
      'units.json': { asOf: '2025-09-01T00:00:00+07:00', units: twoLevel },
      'rankings/2025-08.json': rankingsOf({ period: '2025-08', method: '766-v1', asOf: '2025-09-01T00:00:00+07:00', provisional: false, scores: august }),
    }), { period: '2025-08' }));
    const map = await screen.findByRole('group', { name: 'Phường, xã, đặc khu theo xếp loại, Tháng 8/2025' });
    expect((await tileLinks(map)).map((a) => a.getAttribute('href'))).toEqual(['/units/phuong-sai-gon', '/units/phuong-ben-thanh']);
    expect(screen.queryByRole('combobox', { name: /Khu vực/ })).toBeNull();
  });

  it('draws one focusable tile per district, coloured and named by band, with legend, footnote and a table', async () => {
    render(App, baseProps(fakeApi(mapFiles)));
    const map = await screen.findByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' });
    const tiles = await tileLinks(map);
    // (the change since February follows after '; ' once its scores are in: the tooltip test checks it)
    expect(tiles.map((a) => a.getAttribute('aria-label')!.split('; ')[0])).toEqual([
      'Q.1 71,2 — Quận 1: 71,20 điểm, Khá, hạng 2 trong nhóm',
      'Q.3 91,5 — Quận 3: 91,46 điểm, Xuất sắc, hạng 1 trong nhóm',
      'CC 45,0 — Huyện Củ Chi: 45,00 điểm, Yếu, hạng 1 trong nhóm',
    ]);
    expect(tiles[0].getAttribute('href')).toBe('/?district=q1'); // a district with wards drills down
    expect(tiles[1].getAttribute('href')).toBe('/units/q3'); // one without opens its profile
    // the tile's colour, strip and words are painted on the canvas under the links (TileMap.svelte): its band is on its link
    expect(map.querySelector('[data-unit="q3"]')?.getAttribute('data-band')).toBe('excellent');
    expect(map.parentElement!.querySelector('canvas')?.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByRole('list', { name: 'Chú giải xếp loại' }).textContent).toContain('Xuất sắc (≥ 90)');
    expect(screen.getByRole('list', { name: 'Chú giải xếp loại' }).textContent).toContain('Yếu (< 50)');
    expect(document.body.textContent).toContain('giấy phép mở tương thích');
    // Map | Table tabs: the map's table is built when its tab is first chosen (the map is the first view)
    const tabs = within(screen.getByRole('tablist', { name: 'Cách xem: Quận, huyện theo xếp loại, Tháng 3/2024' })).getAllByRole('tab');
    expect(tabs.map((t) => [t.textContent!.trim(), t.getAttribute('aria-selected')])).toEqual([['Bản đồ', 'true'], ['Bảng', 'false']]);
    const tablePanel = document.getElementById(tabs[1].getAttribute('aria-controls')!)!;
    expect(tablePanel.hidden).toBe(true);
    expect(tablePanel.querySelector('table')).toBeNull();
    await fireEvent.click(tabs[1]);
    const table = await screen.findByRole('table', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' });
    expect(tablePanel.contains(table)).toBe(true);
    expect(screen.queryByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' })).toBeNull(); // the map's panel hidden
    await fireEvent.click(tabs[0]);
    expect(tablePanel.querySelector('table')).toBeTruthy(); // built once, kept
    await fireEvent.click(tabs[1]);
    expect(within(table).getByRole('link', { name: 'Phường, xã (2)' }).getAttribute('href')).toBe('/?district=q1');
  });

  it('keeps the map\'s tab in the URL on the shell (?table=map, the top units chart\'s its own id): a link opens on the table, a tab writes it', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const calls: unknown[] = [];
    const app = moduleLifecycles(App, { name: 'overview' });
    try {
      await app.mount({ domElement: el, ...baseProps(fakeApi(mapFiles), { navigate: (to) => calls.push(to), query: { table: 'map,top-units', district: 'q1' } }) });
      const table = await within(el).findByRole('table', { name: 'Phường, xã của Quận 1 theo xếp loại, Tháng 3/2024' });
      expect(within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('th')!.textContent)).toEqual(['Phường Bến Nghé', 'Phường Đa Kao']);
      const map = within(within(el).getByRole('tablist', { name: /^Cách xem: Phường, xã của Quận 1/ }));
      expect(map.getByRole('tab', { name: 'Bảng' }).getAttribute('aria-selected')).toBe('true');
      await fireEvent.click(map.getByRole('tab', { name: 'Bản đồ' }));
      expect(calls).toEqual([{ query: { table: 'top-units' }, replace: true }]);
      await app.update({ query: { table: 'top-units', district: 'q1' } });
      await within(el).findByRole('group', { name: 'Phường, xã của Quận 1 theo xếp loại, Tháng 3/2024' });
      expect(map.getByRole('tab', { name: 'Bản đồ' }).getAttribute('aria-selected')).toBe('true');
    } finally {
      await app.unmount();
      el.remove();
    }
  });

  it('opens the profile from a tile (click or Enter) and shows the wards of a selected district', async () => {
    const calls: unknown[] = [];
    render(App, baseProps(fakeApi(mapFiles), { navigate: (to) => calls.push(to), query: { district: 'q1' } }));
    const map = await screen.findByRole('group', { name: 'Phường, xã của Quận 1 theo xếp loại, Tháng 3/2024' });
    const tiles = await tileLinks(map);
    expect(tiles.map((a) => a.getAttribute('data-unit'))).toEqual(['q1-ben-nghe', 'q1-da-kao']);
    await fireEvent.click(tiles[0]);
    expect(calls).toEqual([{ path: '/units/q1-ben-nghe', query: {} }]);
    expect(screen.getByRole('link', { name: '← Toàn thành phố' }).getAttribute('href')).toBe('/');
    const select = screen.getByRole('combobox', { name: 'Khu vực' }) as HTMLSelectElement;
    expect(select.value).toBe('q1');
    await fireEvent.change(select, { target: { value: 'q3' } });
    expect(calls[1]).toEqual({ query: { district: 'q3' } });
  });

  it('steps through the periods of latest.json (links to the previous and next, a slider that navigates when it settles)', async () => {
    const calls: unknown[] = [];
    const { rerender } = render(App, baseProps(fakeApi(mapFiles), { navigate: (to) => calls.push(to), query: { district: 'q1' } }));
    const stepper = await screen.findByRole('group', { name: 'Kỳ' });
    expect(within(stepper).getByRole('link', { name: /^Kỳ trước: 2\/2024/ }).getAttribute('href')).toBe('/?period=2024-02');
    expect(within(stepper).getByRole('link', { name: /^Kỳ sau: 4\/2024/ }).getAttribute('href')).toBe('/?period=2024-04');
    const slider = within(stepper).getByRole('slider', { name: 'Kỳ' }) as HTMLInputElement;
    expect([slider.min, slider.max, slider.value, slider.getAttribute('aria-valuetext')]).toEqual(['0', '3', '2', 'Tháng 3/2024']);
    // dragged: the period under the thumb is said (provisional ones so), the page follows on release
    await fireEvent.input(slider, { target: { value: '3' } });
    expect(slider.getAttribute('aria-valuetext')).toBe('Tháng 4/2024 (tạm tính)');
    expect(calls).toEqual([]);
    await fireEvent.change(slider, { target: { value: '3' } });
    expect(calls).toEqual([{ query: { period: '2024-04' } }]);
    // the first period has no previous one
    await rerender(baseProps(fakeApi(mapFiles), { period: '2024-01' }));
    await vi.waitFor(() => { if (!screen.getByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 1/2024' })) throw new Error('not yet'); });
    expect(within(screen.getByRole('group', { name: 'Kỳ' })).queryByRole('link', { name: /Kỳ trước/ })).toBeNull();
  });

  it('drills down: a district chosen narrows the rankings and the top units to its wards, with a breadcrumb back to the city', async () => {
    const march = mapFiles['scores/2024-03.json'] as { scores: ReturnType<typeof makeScore>[] };
    const withQ3Ward = {
      ...mapFiles,
      'units.json': { ...(mapFiles['units.json'] as object), units: [...(mapFiles['units.json'] as { units: unknown[] }).units, { id: 'q3-vts', parentId: 'q3', kind: 'ward', name: { vi: 'Phường Võ Thị Sáu', en: 'Vo Thi Sau Ward' }, peerGroup: 'ward-urban', offersElectronicCertifiedCopy: true }] },
      'scores/2024-03.json': { ...march, scores: [...march.scores, makeScore({ unitId: 'q3-vts', period: '2024-03', peerGroup: 'ward-urban', total: 95, rank: 1, band: 'excellent' })] },
    };
    const calls: unknown[] = [];
    const props = baseProps(fakeApi(withQ3Ward), { navigate: (to) => calls.push(to), query: { peer: 'ward-urban' } });
    const { rerender } = render(App, props);
    const names = async (caption: RegExp) => within(await screen.findByRole('table', { name: caption })).getAllByRole('row').slice(1).map((r) => r.querySelector('th')!.textContent);
    expect(await names(/^Xếp hạng Phường/)).toEqual(['Phường Võ Thị Sáu', 'Phường Bến Nghé', 'Phường Đa Kao']);
    expect(screen.queryByTestId('breadcrumb')).toBeNull();
    // a click on Quận 1's tile chooses it
    await fireEvent.click((await tileLinks(await screen.findByRole('group', { name: /^Quận, huyện theo xếp loại/ })))[0]);
    expect(calls).toEqual([{ query: { district: 'q1' } }]);
    await rerender({ ...props, query: { peer: 'ward-urban', district: 'q1' } });
    expect(await names(/^Xếp hạng Phường, thị trấn, Quận 1, Tháng 3\/2024$/)).toEqual(['Phường Bến Nghé', 'Phường Đa Kao']);
    // the city's ranks, only the district's peer groups, its wards in the chart
    const table = screen.getByRole('table', { name: /^Xếp hạng Phường/ });
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('td')!.firstChild!.textContent)).toEqual(['1', '2']);
    expect(screen.getAllByRole('link').filter((a) => a.classList.contains('tab')).map((a) => a.textContent)).toEqual(['Phường, thị trấn']);
    await vi.waitFor(() => { if (!document.querySelector('figure.chart')) throw new Error('no chart yet'); });
    expect(document.querySelector('figure.chart figcaption')!.textContent).toBe('2 đơn vị điểm cao nhất — Phường, thị trấn, Quận 1, Tháng 3/2024');
    const crumb = screen.getByTestId('breadcrumb');
    expect(within(crumb).getByRole('link', { name: 'TP. Hồ Chí Minh' }).getAttribute('href')).toBe('/');
    expect(crumb.querySelector('[aria-current="location"]')!.textContent).toBe('Quận 1');
    expect(within(crumb).getByRole('link', { name: '(hồ sơ)' }).getAttribute('href')).toBe('/units/q1');
  });

  it('a tile\'s tooltip on focus or hover: name, district, score, band, rank, change since the previous period; the tile highlighted, Escape hides it', async () => {
    const withFebruary = { ...mapFiles, 'latest.json': { ...(mapFiles['latest.json'] as object), periods: ['2024-02', '2024-03'] } };
    render(App, baseProps(fakeApi(withFebruary), { query: { district: 'q1' }, locale: 'en' }));
    const map = await screen.findByRole('group', { name: 'Wards and communes of District 1 by band, March 2024' });
    const tile = await vi.waitFor(() => {
      const a = map.querySelector<SVGAElement>('[data-unit="q1-ben-nghe"]')!;
      if (!a.getAttribute('aria-label')!.includes('since February 2024')) throw new Error('no change yet');
      return a;
    });
    // the same words for screen readers, in the tile's name (the tooltip itself is hidden from them)
    expect(tile.getAttribute('aria-label')).toBe('BN 85.0 — Ben Nghe Ward (District 1): 85.00 points, Good, rank 1 in its peer group; up 2.0 points since February 2024; same rank as in February 2024');
    expect(screen.queryByTestId('tile-tip')).toBeNull();
    await fireEvent.focus(tile);
    const tip = screen.getByTestId('tile-tip');
    expect([...tip.children].map((c) => c.textContent)).toEqual(['Ben Nghe Ward', 'District 1', '85.00 points · Good', 'Rank 1 in its peer group', 'up 2.0 points since February 2024', 'same rank as in February 2024']);
    expect(tip.getAttribute('aria-hidden')).toBe('true');
    expect(tile.classList.contains('tile--active')).toBe(true);
    expect(map.classList.contains('tile-map__svg--active')).toBe(true);
    await fireEvent.keyDown(tile, { key: 'Escape' });
    expect(screen.queryByTestId('tile-tip')).toBeNull();
    const other = map.querySelector('[data-unit="q1-da-kao"]')!;
    await fireEvent.mouseEnter(other);
    expect(screen.getByTestId('tile-tip').firstElementChild!.textContent).toBe('Da Kao Ward');
    await fireEvent.mouseLeave(other);
    expect(screen.queryByTestId('tile-tip')).toBeNull();
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(mapFiles), { locale: 'en' }));
    const map = await screen.findByRole('group', { name: 'Districts by band, March 2024' });
    expect((await tileLinks(map))[1].getAttribute('aria-label')!.split('; ')[0]).toBe('Q.3 91.5 — District 3: 91.46 points, Excellent, rank 1 in its peer group');
    expect(document.body.textContent).toContain('compatible open licence');
  });
});

describe('overview: ongoing periods (issue 15)', () => {
  it('opens on the last complete month (defaultPeriod), not the ongoing latestPeriod', async () => {
    render(App, baseProps(fakeApi(mapFiles), { period: '' }));
    expect(await screen.findByRole('group', { name: 'Quận, huyện theo xếp loại, Tháng 3/2024' })).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('says an ongoing period is provisional, with its asOf, in both languages', async () => {
    const { unmount } = render(App, baseProps(fakeApi(mapFiles), { period: '2024-04' }));
    const note = await screen.findByRole('note');
    expect(note.textContent).toBe('Tạm tính: kỳ này chưa kết thúc. Số liệu tính đến 12:00 10 thg 4, 2024, còn thay đổi cho đến hết kỳ.');
    expect(document.querySelector('.module-head')!.textContent).toContain('Tháng 4/2024 (tạm tính) · Dữ liệu đến 12:00 10 thg 4, 2024');
    unmount();
    render(App, baseProps(fakeApi(mapFiles), { period: '2024-04', locale: 'en' }));
    expect((await screen.findByRole('note')).textContent).toMatch(/^Provisional: this period is not over\. Figures as of 10 Apr 2024, 12:00/);
    expect(document.querySelector('.module-head')!.textContent).toContain('April 2024 (provisional)');
  });
});
