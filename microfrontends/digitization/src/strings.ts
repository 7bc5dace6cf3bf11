import { translator } from '@itmap/kit';

// Vietnamese first; English complete. Indicator names and descriptions come from /data/method.json.
const STRINGS = {
  vi: {
    heading: 'Số hóa hồ sơ',
    intro: 'Kết quả điện tử, số hóa hồ sơ, tái sử dụng dữ liệu, kho dữ liệu cá nhân và dữ liệu dân cư.',
  },
  en: {
    heading: 'Digitization',
    intro: 'Electronic results, digitized dossiers, reuse of digitized data, the personal data store and population data.',
  },
} as const;

export const t = translator(STRINGS);
