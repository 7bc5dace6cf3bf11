import { translator } from '@itmap/kit';

// Vietnamese first; English complete. Indicator names and descriptions come from /data/method.json.
const STRINGS = {
  vi: {
    heading: 'Mức độ hài lòng',
    intro: 'Phản ánh, kiến nghị được xử lý đúng hạn và người dân hài lòng với việc giải quyết phản ánh và hồ sơ.',
  },
  en: {
    heading: 'Satisfaction',
    intro: 'Feedback handled on time, and citizens satisfied with how their feedback and dossiers were handled.',
  },
} as const;

export const t = translator(STRINGS);
