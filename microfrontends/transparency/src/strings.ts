import { translator } from '@itmap/kit';

// Vietnamese first; English complete. Indicator names and descriptions come from /data/method.json.
const STRINGS = {
  vi: {
    heading: 'Công khai, minh bạch',
    intro: 'Thủ tục hành chính được công bố, công khai đúng hạn và đầy đủ; hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia.',
  },
  en: {
    heading: 'Transparency',
    intro: 'Procedures announced and published on time and in full; dossiers synced to the National Public Service Portal.',
  },
} as const;

export const t = translator(STRINGS);
