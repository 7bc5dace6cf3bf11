import { fill, type Locale } from '../../_kit/index.ts';

const STRINGS = {
  vi: {
    pickUnit: 'Chọn một đơn vị để xem hồ sơ.',
    notFound: 'Không tìm thấy đơn vị “{id}”.',
    noScore: 'Chưa có điểm của đơn vị này cho {period}.',
    total: 'Tổng điểm',
    outOf: 'trên {max}',
    rankIn: 'Hạng {rank} trong nhóm {group}',
    groups: 'Năm nhóm chỉ số',
    group: 'Nhóm',
    indicators: 'Các chỉ số, {period}',
    indicator: 'Chỉ số',
    nd: 'Tử số / mẫu số',
    ratio: 'Tỷ lệ',
    points: 'Điểm',
    max: 'Tối đa',
    noData: 'không có dữ liệu',
    payment: 'trong đó thanh toán trực tuyến',
    historyTitle: 'Tổng điểm theo {kind}, {unit}',
    historySummary: 'Từ {first} đến {last}: {from} → {to} điểm; cao nhất {best} điểm ({bestPeriod}).',
    historyEmpty: 'Chưa có lịch sử điểm.',
    kind_month: 'tháng', kind_quarter: 'quý', kind_year: 'năm',
    back: '← Tổng quan',
    parent: 'Trực thuộc',
  },
  en: {
    pickUnit: 'Choose a unit to see its profile.',
    notFound: 'No unit “{id}” was found.',
    noScore: 'This unit has no score for {period} yet.',
    total: 'Total score',
    outOf: 'out of {max}',
    rankIn: 'Rank {rank} among {group}',
    groups: 'The five groups',
    group: 'Group',
    indicators: 'Indicators, {period}',
    indicator: 'Indicator',
    nd: 'Numerator / denominator',
    ratio: 'Ratio',
    points: 'Points',
    max: 'Max',
    noData: 'no data',
    payment: 'of which online payment',
    historyTitle: 'Total score by {kind}, {unit}',
    historySummary: 'From {first} to {last}: {from} → {to} points; highest {best} points ({bestPeriod}).',
    historyEmpty: 'No score history yet.',
    kind_month: 'month', kind_quarter: 'quarter', kind_year: 'year',
    back: '← Overview',
    parent: 'Part of',
  },
} as const;

export type ProfileStringKey = keyof (typeof STRINGS)['vi'];
export function t(locale: Locale, key: ProfileStringKey, vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
