import { fill, type Locale } from '../../_kit/index.ts';

// Vietnamese first; English complete.
const STRINGS = {
  vi: {
    heading: "Phản ánh, kiến nghị 1022",
    caption: 'Điểm {period}',
  },
  en: {
    heading: "1022 feedback",
    caption: 'Scores, {period}',
  },
} as const;

export function t(locale: Locale, key: keyof (typeof STRINGS)['vi'], vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
