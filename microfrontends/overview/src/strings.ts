import { fill, type Locale } from '../../_kit/index.ts';

const STRINGS = {
  vi: {
    heading: 'Xếp hạng phục vụ người dân, doanh nghiệp',
    intro: 'Điểm theo Bộ chỉ số 766 (thang 100), xếp hạng trong từng nhóm đơn vị cùng cấp.',
    peerGroup: 'Nhóm đơn vị',
    tableCaption: 'Xếp hạng {group}, {period}',
    chartTitle: '{n} đơn vị điểm cao nhất — {group}, {period}',
    chartSummary: '{top} dẫn đầu với {topScore} điểm. Trong {count} đơn vị, điểm trung vị là {median}; thấp nhất là {bottom} với {bottomScore} điểm.',
    empty: 'Chưa có điểm cho kỳ này.',
    asOf: 'Dữ liệu đến {asOf}',
  },
  en: {
    heading: 'Service to citizens and businesses: rankings',
    intro: 'Scores on the 766 index (out of 100), ranked within each group of peer units.',
    peerGroup: 'Peer group',
    tableCaption: 'Ranking of {group}, {period}',
    chartTitle: 'Top {n} units — {group}, {period}',
    chartSummary: '{top} leads with {topScore} points. Across {count} units the median is {median}; the lowest is {bottom} with {bottomScore} points.',
    empty: 'No scores for this period yet.',
    asOf: 'Data as of {asOf}',
  },
} as const;

export function t(locale: Locale, key: keyof (typeof STRINGS)['vi'], vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
