/** Issue 19: the XLSX (written by write-excel-file, read back here from its zip), the citation, a download of the figure's own table. */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { chartTable, toCsv, type ShareMeta } from './data.ts';
import { xlsxBlob } from './xlsx.ts';
import { citeText } from './cite.ts';
import type { ChartData } from './scene.ts';

const ASOF = '2026-12-02T10:00:00+07:00';
const history: ChartData = { kind: 'line', max: 100, labels: ['10/2026', '11/2026', '12/2026'], series: [{ label: 'Tổng điểm', values: [74.2, 75.1, 39.4] }], provisional: [false, false, true] };
const meta: ShareMeta = { title: 'Tổng điểm theo tháng, Quận 3', unit: 'Quận 3', period: '2026-12', asOf: ASOF, asOfLabel: '10:00 2 thg 12, 2026', method: '766-v1', site: 'example.test', provisional: true, link: 'https://example.test/units/quan-3?period=2026-12' };
// the figure's table as on screen (with a band column the chart does not draw), raw values
const table = { columns: ['Kỳ', 'Tổng điểm', 'Xếp loại'], rows: [['Tháng 10/2026', 74.2, 'Khá'], ['Tháng 11/2026', 75.1, 'Khá'], ['Tháng 12/2026 (tạm tính)', 39.4, '=HYPERLINK("x")']] };
const opts = { locale: 'vi' as const, labelColumn: 'Kỳ', keys: ['2026-10', '2026-11', '2026-12'], categoriesArePeriods: true, table };

/** The cells of a sheet as text (shared strings resolved), row by row. */
function readSheet(files: Record<string, Uint8Array>, n: number): (string | number)[][] {
  const shared = [...strFromU8(files['xl/sharedStrings.xml'] ?? new Uint8Array()).matchAll(/<si>(?:<t[^>]*>)?([\s\S]*?)(?:<\/t>)?<\/si>/g)].map((m) => m[1]);
  const xml = strFromU8(files[`xl/worksheets/sheet${n}.xml`]);
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) => [...row[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
    expect(c[2] ?? '').not.toContain('<f>'); // never a formula
    const v = /<v>([\s\S]*?)<\/v>/.exec(c[2] ?? '')?.[1] ?? /<t[^>]*>([\s\S]*?)<\/t>/.exec(c[2] ?? '')?.[1] ?? '';
    if (/t="s"/.test(c[1])) return unescape(shared[Number(v)]);
    if (/t="(inlineStr|str)"/.test(c[1])) return unescape(v);
    return Number(v);
  }));
}

describe('downloads of a figure (issue 19)', () => {
  it('CSV and JSON hold the figure\'s table as on screen, with ids, method, as-of and the status of each row', () => {
    const t = chartTable(history, meta, opts);
    expect(t.columns).toEqual(['Mã', 'Kỳ', 'Tổng điểm', 'Xếp loại', 'Phương pháp', 'Dữ liệu đến', 'Trạng thái số liệu']);
    expect(t.rows[2]).toEqual(['2026-12', 'Tháng 12/2026 (tạm tính)', 39.4, '=HYPERLINK("x")', '766-v1', ASOF, 'tạm tính']);
    expect(toCsv(t).startsWith('\uFEFFMã,Kỳ')).toBe(true);
    expect(toCsv(t)).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('XLSX: the same columns and rows (numbers as numbers, text never a formula), and a citation sheet saying provisional', async () => {
    const t = chartTable(history, meta, opts);
    const blob = await xlsxBlob(t, meta, 'vi', true, citeText(meta, 'vi', new Date('2026-12-05T03:00:00Z')));
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    expect(strFromU8(files['xl/workbook.xml'])).toMatch(/name="Số liệu"[\s\S]*name="Trích dẫn"/);
    const data = readSheet(files, 1);
    expect(data[0]).toEqual(t.columns);
    expect(data.slice(1)).toEqual(t.rows);
    const about = Object.fromEntries(readSheet(files, 2).map(([k, v]) => [k, v]));
    expect(about['Trạng thái số liệu']).toMatch(/^Tạm tính: kỳ này chưa kết thúc\. Số liệu tính đến /);
    expect(about['Kỳ']).toBe('Tháng 12/2026 (tạm tính)');
    expect(about['Liên kết cố định']).toBe(meta.link);
    expect(about['Trích dẫn (APA)']).toContain('Truy cập ngày 5 tháng 12, 2026');
  });

  it('XLSX of a figure over units: the official codes beside the ids, as text (a leading zero kept)', async () => {
    const ranking: ChartData = { kind: 'bar', labels: ['Xã Thạnh An', 'Phường Bàn Cờ'], series: [{ label: 'Điểm', values: [70, 81.5] }] };
    const t = chartTable(ranking, meta, { locale: 'vi', labelColumn: 'Đơn vị', keys: ['xa-thanh-an', 'phuong-ban-co'], codes: ['02764', '27154'] });
    const files = unzipSync(new Uint8Array(await (await xlsxBlob(t, meta, 'vi', true, 'cite')).arrayBuffer()));
    const data = readSheet(files, 1);
    expect(data[0].slice(0, 3)).toEqual(['Mã', 'Mã hành chính', 'Đơn vị']);
    expect(data.slice(1).map((r) => r.slice(0, 3))).toEqual([['xa-thanh-an', '02764', 'Xã Thạnh An'], ['phuong-ban-co', '27154', 'Phường Bàn Cờ']]);
  });

  it('cites APA-style: author, year of the data, title, unit, period (provisional), data set, method, as-of, retrieved, permanent URL', () => {
    expect(citeText(meta, 'vi', new Date('2026-12-05T03:00:00Z'))).toBe(
      'Bản đồ thể chế. (2026). Tổng điểm theo tháng, Quận 3, Tháng 12/2026 (tạm tính) [Bộ dữ liệu; Phương pháp 766-v1; Dữ liệu đến 10:00 2 thg 12, 2026]. '
      + 'Truy cập ngày 5 tháng 12, 2026, từ https://example.test/units/quan-3?period=2026-12');
    expect(citeText({ ...meta, provisional: false, unit: 'District 3', title: 'Total score by month' }, 'en', new Date('2026-12-05T03:00:00Z'))).toBe(
      'Bản đồ thể chế [Institutional Transparency Map]. (2026). Total score by month, District 3, December 2026 [Data set; Method 766-v1; Data as of 10:00 2 thg 12, 2026]. '
      + 'Retrieved 5 December 2026, from https://example.test/units/quan-3?period=2026-12');
  });
});
