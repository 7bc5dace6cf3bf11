import { fill, type Locale } from '@itmap/kit/core';

// Vietnamese first; English complete.
const STRINGS = {
  vi: {
    maxPoints: 'Tối đa {max} điểm, {n} chỉ số. Trung vị của {group}: {median} điểm.',
    peerGroup: 'Nhóm đơn vị',
    tableCaption: '{group}: các chỉ số theo đơn vị — {peer}, {period}',
    groupPoints: 'Điểm nhóm',
    payment: 'Thanh toán trực tuyến',
    nd: 'n / d',
    ndLong: 'Tử số / mẫu số',
    ratio: 'Tỷ lệ',
    points: 'Điểm',
    sortBy: 'Sắp xếp theo {col}',
    sortedAsc: 'tăng dần',
    sortedDesc: 'giảm dần',
    empty: 'Chưa có điểm cho kỳ này.',
    chartUnit: 'Đơn vị trên biểu đồ',
    chartTitle: '{group} theo {kind}, {unit}',
    chartSummary: 'Từ {first} đến {last}: {from} → {to} trên {max} điểm; cao nhất {best} ({bestPeriod}).',
    chartEmpty: 'Chưa có lịch sử điểm của đơn vị này.',
    kind_month: 'tháng', kind_quarter: 'quý', kind_year: 'năm',
    definitions: 'Cách tính các chỉ số của nhóm',
    methodLink: 'Toàn bộ phương pháp',
    profile: 'Hồ sơ',
    asOf: 'Dữ liệu đến {asOf}',
  },
  en: {
    maxPoints: 'Up to {max} points, {n} indicators. Median of {group}: {median} points.',
    peerGroup: 'Peer group',
    tableCaption: '{group}: indicators by unit — {peer}, {period}',
    groupPoints: 'Group points',
    payment: 'Online payment',
    nd: 'n / d',
    ndLong: 'Numerator / denominator',
    ratio: 'Ratio',
    points: 'Points',
    sortBy: 'Sort by {col}',
    sortedAsc: 'ascending',
    sortedDesc: 'descending',
    empty: 'No scores for this period yet.',
    chartUnit: 'Unit in the chart',
    chartTitle: '{group} by {kind}, {unit}',
    chartSummary: 'From {first} to {last}: {from} → {to} of {max} points; highest {best} ({bestPeriod}).',
    chartEmpty: 'This unit has no score history yet.',
    kind_month: 'month', kind_quarter: 'quarter', kind_year: 'year',
    definitions: 'How the group’s indicators are computed',
    methodLink: 'The whole method',
    profile: 'Profile',
    asOf: 'Data as of {asOf}',
  },
} as const;

export type GroupStringKey = keyof (typeof STRINGS)['vi'];
export function gt(locale: Locale, key: GroupStringKey, vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
