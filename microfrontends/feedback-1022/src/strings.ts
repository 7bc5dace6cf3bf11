import { fill, type Locale } from '../../_kit/index.ts';

// Vietnamese first; English complete.
const STRINGS = {
  vi: {
    heading: 'Phản ánh, kiến nghị 1022',
    intro: 'Phản ánh, kiến nghị của người dân qua Cổng 1022: theo lĩnh vực, theo đơn vị xử lý, tỷ lệ xử lý đúng hạn và tỷ lệ hài lòng.',
    received: 'Tiếp nhận',
    resolved: 'Đã xử lý',
    resolvedOnTime: 'Xử lý đúng hạn',
    overdue: 'Quá hạn',
    open: 'Đang xử lý',
    inPeriod: 'Trong kỳ',
    onTimeRate: 'Tỷ lệ đúng hạn',
    satisfactionRate: 'Tỷ lệ hài lòng',
    totals: 'Tổng hợp {period}',
    by: 'Xem theo',
    byField: 'Theo lĩnh vực',
    byUnit: 'Theo đơn vị xử lý',
    fieldCaption: 'Phản ánh theo lĩnh vực, {period}',
    unitCaption: 'Phản ánh theo đơn vị xử lý, {period}',
    field: 'Lĩnh vực',
    unit: 'Đơn vị xử lý',
    trendTitle: 'Tỷ lệ đúng hạn và hài lòng theo {kind}',
    trendSummary: 'Từ {first} đến {last}: đúng hạn {fromOnTime} → {toOnTime}; hài lòng {fromSat} → {toSat}.',
    trendEmpty: 'Chưa đủ dữ liệu để vẽ xu hướng.',
    kind_month: 'tháng', kind_quarter: 'quý', kind_year: 'năm',
    empty: 'Không có phản ánh nào trong kỳ này.',
    note: 'Tỷ lệ đúng hạn là tỷ lệ của chỉ số 5.1, tỷ lệ hài lòng là của chỉ số 5.2, tính trên các phản ánh thuộc kỳ (tiếp nhận trong kỳ hoặc chuyển từ kỳ trước và chưa xử lý xong).',
    asOf: 'Dữ liệu đến {asOf}',
  },
  en: {
    heading: '1022 feedback',
    intro: 'Citizens’ feedback and petitions through the 1022 portal: by field, by handling unit, on-time and satisfaction rates.',
    received: 'Received',
    resolved: 'Resolved',
    resolvedOnTime: 'Resolved on time',
    overdue: 'Overdue',
    open: 'Open',
    inPeriod: 'In the period',
    onTimeRate: 'On-time rate',
    satisfactionRate: 'Satisfaction rate',
    totals: 'Totals, {period}',
    by: 'View by',
    byField: 'By field',
    byUnit: 'By handling unit',
    fieldCaption: 'Feedback by field, {period}',
    unitCaption: 'Feedback by handling unit, {period}',
    field: 'Field',
    unit: 'Handling unit',
    trendTitle: 'On-time and satisfaction rates by {kind}',
    trendSummary: 'From {first} to {last}: on time {fromOnTime} → {toOnTime}; satisfied {fromSat} → {toSat}.',
    trendEmpty: 'Not enough data for a trend yet.',
    kind_month: 'month', kind_quarter: 'quarter', kind_year: 'year',
    empty: 'No feedback in this period.',
    note: 'The on-time rate is indicator 5.1’s ratio and the satisfaction rate indicator 5.2’s, over the feedback of the period (received in it, or carried over and not yet resolved).',
    asOf: 'Data as of {asOf}',
  },
} as const;

export type FeedbackStringKey = keyof (typeof STRINGS)['vi'];
export function t(locale: Locale, key: FeedbackStringKey, vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
