import { translator } from '@itmap/kit';

// Vietnamese first; English complete. Indicator names and descriptions come from /data/method.json.
const STRINGS = {
  vi: {
    heading: 'Tiến độ giải quyết',
    intro: 'Hồ sơ được giải quyết sớm hoặc đúng hạn.',
  },
  en: {
    heading: 'Progress',
    intro: 'Dossiers handled early or on time.',
  },
} as const;

export const t = translator(STRINGS);
