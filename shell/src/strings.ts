import type { Locale } from '@itmap/kit/core';

export const SHELL_STRINGS = {
  vi: {
    site: 'Bản đồ thể chế',
    tagline: 'Chỉ số phục vụ người dân, doanh nghiệp của TP. Hồ Chí Minh',
    skip: 'Bỏ qua đến nội dung chính',
    nav: 'Các trang',
    period: 'Kỳ',
    latest: 'Mới nhất: {period}',
    latestComplete: 'Tháng đã kết thúc gần nhất: {period}',
    month: 'Tháng', quarter: 'Quý', year: 'Năm',
    unit: 'Tìm đơn vị',
    unitPlaceholder: 'Tên phường, quận, sở…',
    go: 'Xem',
    switchLocale: 'English',
    switchLocaleLabel: 'Switch to English',
    loading: 'Đang tải…',
    moduleError: 'Không tải được mục “{title}”',
    registryError: 'Không tải được danh sách mục của trang',
    retry: 'Thử lại',
    notFound: 'Không có trang này. Về trang Tổng quan?',
    footer: 'Dữ liệu mở theo Quyết định 766/QĐ-TTg. Mỗi biểu đồ có bảng số liệu.',
    asOf: 'Dữ liệu đến {asOf}',
    unitNotFound: 'Không tìm thấy đơn vị “{q}”.',
    printLink: 'Trang này: {url}',
  },
  en: {
    site: 'Institutional Transparency Map',
    tagline: 'Ho Chi Minh City’s index of service to citizens and businesses',
    skip: 'Skip to main content',
    nav: 'Pages',
    period: 'Period',
    latest: 'Latest: {period}',
    latestComplete: 'Last complete month: {period}',
    month: 'Month', quarter: 'Quarter', year: 'Year',
    unit: 'Find a unit',
    unitPlaceholder: 'Ward, district, department…',
    go: 'Go',
    switchLocale: 'Tiếng Việt',
    switchLocaleLabel: 'Chuyển sang tiếng Việt',
    loading: 'Loading…',
    moduleError: '“{title}” could not be loaded',
    registryError: 'The list of the page’s sections could not be loaded',
    retry: 'Retry',
    notFound: 'There is no such page. Go to the overview?',
    footer: 'Open data under Decision 766/QĐ-TTg. Every chart comes with its data table.',
    asOf: 'Data as of {asOf}',
    unitNotFound: 'No unit “{q}” was found.',
    printLink: 'This page: {url}',
  },
} as const;
export type ShellStringKey = keyof (typeof SHELL_STRINGS)['vi'];

export function st(locale: Locale, key: ShellStringKey, vars: Record<string, string> = {}): string {
  return SHELL_STRINGS[locale][key].replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);
}
