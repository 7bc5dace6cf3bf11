/** The downloads and images of a provisional view (issue 15): pure parts, no browser. */
import { describe, expect, it } from 'vitest';
import { chartTable, toCsv, toJson, anyProvisional, type ShareMeta } from './data.ts';
import { layout, toSvg, estimate, TILE_FILLS, type ChartData } from './scene.ts';
import { sceneFor, type ShareInput } from './actions.ts';
import { provisionalLegends } from '../core.ts';

const ASOF = '2026-12-02T10:00:00+07:00';
const history: ChartData = { kind: 'line', max: 100, labels: ['10/2026', '11/2026', '12/2026'], series: [{ label: 'Tổng điểm', values: [74.2, 75.1, 39.4] }], provisional: [false, false, true] };
const meta: ShareMeta = { title: 'Tổng điểm theo tháng, Quận 3', unit: 'Quận 3', period: '2026-12', asOf: ASOF, method: '766-v1', site: 'example.test', provisional: true };
const opts = { locale: 'vi' as const, labelColumn: 'Kỳ', keys: ['2026-10', '2026-11', '2026-12'], categoriesArePeriods: true };

describe('downloads of provisional figures', () => {
  it('CSV: a status column, per period where the categories are periods, formula-safe', () => {
    const t = chartTable(history, meta, opts);
    expect(t.columns).toEqual(['Mã', 'Kỳ', 'Tổng điểm', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
    expect(t.rows.map((r) => r.at(-1))).toEqual(['chính thức', 'chính thức', 'tạm tính']);
    const csv = toCsv(t);
    expect(csv.split('\r\n')[3]).toBe(`2026-12,12/2026,39.4,766-v1,${ASOF},tạm tính`);
    // the view's status on every row otherwise (a ranking of one period)
    const ranking = chartTable({ kind: 'bar', labels: ['Quận 3', '=cmd'], series: [{ label: 'Điểm', values: [39.4, 20] }] }, meta, { locale: 'en', labelColumn: 'Unit' });
    expect(ranking.columns.at(-1)).toBe('Status of the figures');
    expect(ranking.rows.map((r) => r.at(-1))).toEqual(['provisional', 'provisional']);
    expect(toCsv(ranking)).toContain("\r\n'=cmd,20,2026-12,766-v1,");
    expect(chartTable({ kind: 'bar', labels: ['Quận 3'], series: [{ label: 'Điểm', values: [75] }] }, { ...meta, provisional: false }, opts).rows[0].at(-1)).toBe('chính thức');
  });

  it('JSON: provisional and asOf at the top, with the note', () => {
    const json = JSON.parse(toJson(chartTable(history, { ...meta, provisional: false }, opts), { ...meta, provisional: false }, 'vi', anyProvisional(history, { provisional: false })));
    expect(json).toMatchObject({ period: '2026-12', asOf: ASOF, provisional: true });
    expect(json.provisionalNote).toMatch(/^Tạm tính: kỳ này chưa kết thúc\. Số liệu tính đến 10:00 2 thg 12, 2026/);
    const final = JSON.parse(toJson(chartTable(history, meta, opts), { ...meta, provisional: false }, 'en'));
    expect(final).toMatchObject({ provisional: false, provisionalNote: null, asOf: ASOF });
  });
});

describe('downloads of figures over units: the official code beside the id', () => {
  const ranking: ChartData = { kind: 'bar', labels: ['Phường Bàn Cờ', 'Phường Xuân Hòa', 'Phường mới'], series: [{ label: 'Điểm', values: [81.5, 77, 60] }] };
  const units = { locale: 'vi' as const, labelColumn: 'Đơn vị', keys: ['phuong-ban-co', 'phuong-xuan-hoa', 'phuong-moi'], codes: ['27154', '27139', undefined] };

  it('CSV: a code column right after the ids, empty for a unit without a code', () => {
    const t = chartTable(ranking, meta, units);
    expect(t.columns).toEqual(['Mã', 'Mã hành chính', 'Đơn vị', 'Điểm', 'Kỳ', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
    expect(t.rows.map((r) => r.slice(0, 4))).toEqual([['phuong-ban-co', '27154', 'Phường Bàn Cờ', 81.5], ['phuong-xuan-hoa', '27139', 'Phường Xuân Hòa', 77], ['phuong-moi', null, 'Phường mới', 60]]);
    expect(toCsv(t).split('\r\n')[3]).toBe(`phuong-moi,,Phường mới,60,2026-12,766-v1,${ASOF},tạm tính`);
    expect(chartTable(ranking, meta, { ...units, locale: 'en', labelColumn: 'Unit' }).columns.slice(0, 3)).toEqual(['ID', 'Official code', 'Unit']);
  });

  it('JSON: the same columns and rows', () => {
    const t = chartTable(ranking, meta, units);
    const json = JSON.parse(toJson(t, meta, 'vi'));
    expect(json.columns[1]).toBe('Mã hành chính');
    expect(json.rows.map((r: unknown[]) => r[1])).toEqual(['27154', '27139', null]);
  });

  it('no code column without ids, nor when the codes do not match the rows, nor when no unit has a code', () => {
    expect(chartTable(ranking, meta, { ...units, codes: [undefined, null, ''] }).columns).not.toContain('Mã hành chính');
    expect(chartTable(ranking, meta, { ...units, keys: undefined }).columns).not.toContain('Mã hành chính');
    expect(chartTable(ranking, meta, { ...units, codes: ['27154'] }).columns).not.toContain('Mã hành chính');
    expect(chartTable(history, meta, opts).columns).toEqual(['Mã', 'Kỳ', 'Tổng điểm', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
  });
});

describe('images of provisional figures', () => {
  it('draws the segment into a provisional point dashed, the point hollow, with a legend', () => {
    const scene = layout(history, { width: 800, measure: estimate, provisionalLegend: provisionalLegends('vi') });
    const polys = scene.items.filter((i) => i.t === 'poly');
    // the legend's sample, the solid run Oct–Nov, the dashed Nov–Dec
    expect(polys.map((p) => [p.pts.length, !!p.dash])).toEqual([[2, true], [2, false], [2, true]]);
    const dots = scene.items.filter((i) => i.t === 'dot');
    expect(dots.map((d) => !!d.stroke)).toEqual([true, false, false, true]);
    expect(scene.items.some((i) => i.t === 'text' && i.s.startsWith('Nét đứt'))).toBe(true);
    const svg = toSvg(scene);
    expect(svg.match(/stroke-dasharray="5 4"/g)).toHaveLength(2);
    // nothing dashed, no legend, for final figures
    const final = layout({ ...history, provisional: undefined }, { width: 800, measure: estimate, provisionalLegend: provisionalLegends('vi') });
    expect(final.items.some((i) => i.t === 'poly' && i.dash)).toBe(false);
    expect(final.items.some((i) => i.t === 'text' && i.s.startsWith('Nét đứt'))).toBe(false);
  });

  it('draws a provisional period\'s bars lighter, with a legend', () => {
    const bars: ChartData = { kind: 'bar', labels: ['2/2024', '3/2024'], series: [{ label: 'Quá hạn', values: [1, 0] }, { label: 'Đang xử lý, chưa đến hạn', values: [0, 2] }], provisional: [false, true] };
    const scene = layout(bars, { width: 800, measure: estimate, provisionalLegend: provisionalLegends('en') });
    const rects = scene.items.filter((i) => i.t === 'rect');
    // the two series' legend squares, the provisional legend's square, then the bars: Feb solid, Mar lighter
    expect(rects.map((r) => r.op ?? 1)).toEqual([1, 1, 0.45, 1, 0.45, 1, 0.45]);
    expect(scene.items.some((i) => i.t === 'text' && i.s === 'Lighter bars: provisional period (not over yet)')).toBe(true);
    expect(toSvg(scene).match(/fill-opacity="0.45"/g)).toHaveLength(3);
  });

  it('PNG/SVG caption: the period marked provisional and the note drawn in, in both languages', () => {
    const input = (locale: 'vi' | 'en', provisional: boolean): ShareInput => ({
      data: { kind: 'bar', labels: ['Quận 3'], series: [{ label: 'Điểm', values: [39.4] }] },
      meta: { ...meta, provisional, asOfLabel: '10:00 2 thg 12, 2026' }, locale, labelColumn: 'Unit',
    });
    const texts = (i: ShareInput) => sceneFor(i, 'light').items.filter((x) => x.t === 'text').map((x) => (x as { s: string }).s).join('\n');
    const vi = texts(input('vi', true));
    expect(vi).toContain('Quận 3 · Tháng 12/2026 (tạm tính)');
    expect(vi).toContain('Tạm tính: kỳ này chưa kết thúc.');
    expect(vi).toMatch(/Dữ liệu đến 10:00 2 thg 12, 2026 · Phương pháp 766-v1/);
    const en = texts(input('en', true));
    expect(en).toContain('December 2026 (provisional)');
    expect(en).toContain('Provisional: this period is not over.');
    const final = texts(input('vi', false));
    expect(final).not.toMatch(/tạm tính/i);
  });
});

describe('images of the tile map (kind tiles)', () => {
  const map: ChartData = {
    kind: 'tiles', labels: ['Quận 3', 'Quận 1', 'Quận 5'], series: [{ label: 'Điểm', values: [91.46, 71.2, null] }],
    tiles: [{ col: 0, row: 0, label: 'Q.3', band: 'excellent' }, { col: 1, row: 0, label: 'Q.1', band: 'fair' }, { col: 0, row: 1, label: 'Q.5', band: null }],
    legend: [{ code: 'excellent', label: 'Xuất sắc (≥ 90)' }, { code: 'fair', label: 'Khá (≥ 70)' }, { code: 'none', label: 'Chưa có điểm' }],
  };
  it('one tile per unit at its cell, filled by its band, with its label and score (one decimal, — without); the legend', () => {
    const scene = layout(map, { width: 800, measure: estimate, locale: 'vi-VN' });
    const fills = scene.items.filter((i) => i.t === 'rect').map((r) => (r as { fill: string }).fill);
    // each tile: an outline, then its fill; then the legend's swatches (outline, fill)
    expect(fills.filter((_, i) => i % 2 === 1)).toEqual([TILE_FILLS.excellent, TILE_FILLS.fair, TILE_FILLS.none, TILE_FILLS.excellent, TILE_FILLS.fair, TILE_FILLS.none]);
    const rects = scene.items.filter((i) => i.t === 'rect') as { x: number; y: number }[];
    expect(rects[2].x).toBeGreaterThan(rects[0].x); // Q.1 right of Q.3
    expect(rects[4].y).toBeGreaterThan(rects[0].y); // Q.5 below
    const texts = scene.items.filter((i) => i.t === 'text').map((i) => (i as { s: string }).s);
    expect(texts).toEqual(['Q.3', '91,5', 'Q.1', '71,2', 'Q.5', '—', 'Xuất sắc (≥ 90)', 'Khá (≥ 70)', 'Chưa có điểm']);
    // a white ink on the dark blues
    expect((scene.items.find((i) => i.t === 'text' && i.s === 'Q.3') as { fill: string }).fill).toBe('#ffffff');
    expect((scene.items.find((i) => i.t === 'text' && i.s === 'Q.1') as { fill: string }).fill).toBe('#0b1220');
  });

  it('a provisional map says so in the image, as a chart does', () => {
    const input: ShareInput = { data: map, meta: { ...meta, title: 'Quận, huyện theo xếp loại, Tháng 12/2026', unit: undefined, asOfLabel: '10:00 2 thg 12, 2026' }, locale: 'vi', labelColumn: 'Đơn vị' };
    const texts = sceneFor(input, 'light').items.filter((x) => x.t === 'text').map((x) => (x as { s: string }).s);
    expect(texts).toContain('Tháng 12/2026 (tạm tính)');
    expect(texts.some((s) => s.startsWith('Tạm tính: kỳ này chưa kết thúc.'))).toBe(true);
    expect(texts.filter((s) => /tạm tính/i.test(s))).toHaveLength(2);
    const final = sceneFor({ ...input, meta: { ...input.meta, provisional: false } }, 'light').items.filter((x) => x.t === 'text').map((x) => (x as { s: string }).s);
    expect(final.some((s) => /tạm tính/i.test(s))).toBe(false);
    expect(final).toContain('Q.3');
  });
});
