/** "Download everything of this view" (issue 19): the archive holds each figure's own CSV, JSON and SVG and a README citing them. */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { archiveBlob, archiveFiles, archiveName } from './archive.ts';
import { dataBlob, type ShareInput } from './actions.ts';
import { downloadViewArchive, registerFigure } from './figures.ts';

const ASOF = '2026-12-02T10:00:00+07:00';
const history: ShareInput = {
  data: { kind: 'line', max: 100, labels: ['10/2026', '11/2026', '12/2026'], series: [{ label: 'Tổng điểm', values: [74.2, 75.1, 39.4] }], provisional: [false, false, true] },
  meta: { title: 'Tổng điểm theo tháng, Quận 3', unit: 'Quận 3', period: '2026-12', asOf: ASOF, method: '766-v1', site: 'example.test', provisional: true, link: 'https://example.test/units/quan-3?period=2026-12' },
  locale: 'vi', labelColumn: 'Kỳ', keys: ['2026-10', '2026-11', '2026-12'], categoriesArePeriods: true,
};
const ranking: ShareInput = {
  data: { kind: 'bar', labels: ['Phường Bàn Cờ', 'Phường Xuân Hòa'], series: [{ label: 'Điểm', values: [81.5, 77] }] },
  meta: { title: 'Xếp hạng phường, xã', period: '2026-11', asOf: ASOF, method: '766-v1', site: 'example.test', provisional: false },
  locale: 'vi', labelColumn: 'Đơn vị', keys: ['phuong-ban-co', 'phuong-xuan-hoa'], codes: ['27154', '27139'],
};
const context = { locale: 'vi' as const, title: 'Tổng quan — Bản đồ thể chế', link: 'https://example.test/?period=2026-11', now: '2026-12-06T03:00:00.000Z' };

describe('the archive of a view', () => {
  it('holds every figure\'s CSV, JSON and SVG, numbered in page order, and a README with the view\'s address and each citation', async () => {
    const files = await archiveFiles([history, ranking], context);
    expect(Object.keys(files).sort()).toEqual([
      '01-itmap-tong-diem-theo-thang-quan-3-2026-12.csv', '01-itmap-tong-diem-theo-thang-quan-3-2026-12.json', '01-itmap-tong-diem-theo-thang-quan-3-2026-12.svg',
      '02-itmap-xep-hang-phuong-xa-2026-11.csv', '02-itmap-xep-hang-phuong-xa-2026-11.json', '02-itmap-xep-hang-phuong-xa-2026-11.svg',
      'README.txt',
    ]);
    // the same bytes as the figure's own download
    expect(strFromU8(files['02-itmap-xep-hang-phuong-xa-2026-11.csv'])).toBe(await dataBlob(ranking, 'csv').blob.text());
    expect(strFromU8(files['02-itmap-xep-hang-phuong-xa-2026-11.csv'])).toContain('27154');
    expect(strFromU8(files['01-itmap-tong-diem-theo-thang-quan-3-2026-12.svg'])).toMatch(/<svg[^>]*>[\s\S]*Tổng điểm theo tháng, Quận 3/);
    const readme = strFromU8(files['README.txt']);
    expect(readme).toContain(context.link);
    expect(readme).toContain('Tải về ngày 2026-12-06');
    expect(readme).toMatch(/01\. Tổng điểm theo tháng, Quận 3 \(số liệu tạm tính: kỳ chưa kết thúc\)/);
    expect(readme).toMatch(/02\. Xếp hạng phường, xã\r\n/); // a final period says nothing more
    expect(readme).toContain('Bản đồ thể chế'); // the citations
  });

  it('is a ZIP of those files, named after the page and the period', async () => {
    const zip = new Uint8Array(await (await archiveBlob([ranking], context)).arrayBuffer());
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(['01-itmap-xep-hang-phuong-xa-2026-11.csv', '01-itmap-xep-hang-phuong-xa-2026-11.json', '01-itmap-xep-hang-phuong-xa-2026-11.svg', 'README.txt']);
    expect(archiveName('/', '2026-11')).toBe('itmap-tong-quan-2026-11.zip');
    expect(archiveName('/units/phường-bàn-cờ', '2026-Q3')).toBe('itmap-units-phuong-ban-co-2026-q3.zip');
  });

  it('archives the figures on the page while they are on it; none, nothing saved', async () => {
    const context = { locale: 'en' as const, title: 'x', link: 'https://example.test/', path: '/' };
    expect(await downloadViewArchive(context)).toBe(false);
    const leave = registerFigure({ input: async () => ranking });
    leave();
    expect(await downloadViewArchive(context)).toBe(false);
  });
});
