import { translator } from '@itmap/kit';

// Vietnamese first; English complete. Indicator names and descriptions come from /data/method.json.
const STRINGS = {
  vi: {
    heading: 'Dịch vụ công trực tuyến',
    intro: 'Hồ sơ nộp trực tuyến toàn trình, và nhóm con thanh toán trực tuyến (tích hợp thanh toán, thủ tục và hồ sơ có thanh toán trực tuyến).',
  },
  en: {
    heading: 'Online services',
    intro: 'Fully online dossiers, and the online-payment sub-group (payment integration, procedures and dossiers paid online).',
  },
} as const;

export const t = translator(STRINGS);
