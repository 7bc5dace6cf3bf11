/** Strings of the share menu, the images and the embed (vi first, en complete). */
export type ShareLocale = 'vi' | 'en';

const TEXT = {
  vi: {
    menu: 'Chia sẻ, tải về',
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    menuLabel: 'Chia sẻ, tải về: {title}',
    png: 'Ảnh PNG',
    png2x: 'Ảnh PNG 2x (nét cao)',
    pngDark: 'Ảnh PNG nền tối',
    png2xDark: 'Ảnh PNG 2x nền tối',
    svg: 'Ảnh SVG',
    svgDark: 'Ảnh SVG nền tối',
    csv: 'Số liệu CSV',
    json: 'Số liệu JSON',
    copyLink: 'Sao chép liên kết',
    copyEmbed: 'Sao chép mã nhúng',
    copied: 'Đã sao chép.',
    copyManual: 'Không sao chép tự động được; hãy chọn và sao chép đoạn dưới đây.',
    downloaded: 'Đã tải về {file}.',
    failed: 'Không tạo được tệp: {message}',
    source: 'Nguồn: Bản đồ thể chế — {site}',
    asOf: 'Dữ liệu đến {asOf}',
    method: 'Phương pháp {method}',
    colId: 'Mã',
    colPeriod: 'Kỳ',
    colMethod: 'Phương pháp',
    colAsOf: 'Dữ liệu đến',
    colStatus: 'Trạng thái số liệu',
    citeNote: 'Trích dẫn: Bản đồ thể chế, tên biểu đồ, kỳ và thời điểm dữ liệu.',
    viewOn: 'Xem trên Bản đồ thể chế',
    embedTitle: 'Biểu đồ: {title}',
    pinnedChanged: 'Số liệu đã được cập nhật sau thời điểm ghim ({pin}); đang hiện số liệu đến {asOf}.',
    embedError: 'Không tải được biểu đồ.',
    unknownChart: 'Không có biểu đồ “{chart}”.',
    needUnit: 'Thiếu tham số unit.',
  },
  en: {
    menu: 'Share, download',
    menuLabel: 'Share, download: {title}',
    png: 'PNG image',
    png2x: 'PNG image 2x (high resolution)',
    pngDark: 'PNG image, dark',
    png2xDark: 'PNG image 2x, dark',
    svg: 'SVG image',
    svgDark: 'SVG image, dark',
    csv: 'Data as CSV',
    json: 'Data as JSON',
    copyLink: 'Copy link',
    copyEmbed: 'Copy embed code',
    copied: 'Copied.',
    copyManual: 'Could not copy automatically; select and copy the text below.',
    downloaded: 'Downloaded {file}.',
    failed: 'Could not make the file: {message}',
    source: 'Nguồn: Bản đồ thể chế — {site}',
    asOf: 'Data as of {asOf}',
    method: 'Method {method}',
    colId: 'ID',
    colPeriod: 'Period',
    colMethod: 'Method',
    colAsOf: 'Data as of',
    colStatus: 'Status of the figures',
    citeNote: 'Cite as: Institutional Transparency Map (Bản đồ thể chế), chart title, period and data date.',
    viewOn: 'View on the Institutional Transparency Map',
    embedTitle: 'Chart: {title}',
    pinnedChanged: 'The data was updated after the pinned date ({pin}); showing data as of {asOf}.',
    embedError: 'The chart could not be loaded.',
    unknownChart: 'There is no chart “{chart}”.',
    needUnit: 'The unit parameter is missing.',
  },
} as const;
export type ShareStrings = { [K in keyof (typeof TEXT)['vi']]: string };

export function shareText(locale: ShareLocale): ShareStrings {
  return TEXT[locale] ?? TEXT.vi;
}
export function st(locale: ShareLocale, key: keyof ShareStrings, vars: Record<string, string | number> = {}): string {
  return shareText(locale)[key].replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}
