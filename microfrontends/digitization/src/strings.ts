import { fill, type Locale } from '../../_kit/index.ts';

// Vietnamese first; English complete.
const STRINGS = {
  vi: {
    heading: "Số hóa hồ sơ",
    caption: 'Điểm {period}',
  },
  en: {
    heading: "Digitization",
    caption: 'Scores, {period}',
  },
} as const;

export function t(locale: Locale, key: keyof (typeof STRINGS)['vi'], vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
