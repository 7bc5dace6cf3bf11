import { fill, type Locale } from '../../_kit/index.ts';

// Vietnamese first; English complete.
const STRINGS = {
  vi: {
    heading: "Dịch vụ công trực tuyến",
    caption: 'Điểm {period}',
  },
  en: {
    heading: "Online services",
    caption: 'Scores, {period}',
  },
} as const;

export function t(locale: Locale, key: keyof (typeof STRINGS)['vi'], vars: Record<string, string | number> = {}): string {
  return fill((STRINGS[locale] ?? STRINGS.vi)[key], vars);
}
