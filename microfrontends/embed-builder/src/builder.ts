/**
 * The embed builder's rule (issue 19): the embed code of a choice — chart, unit or peer group, period, language,
 * theme, size, pinned or live — through the kit's embedUrl/embedSnippet (the share menus' own), so the builder and
 * the menus give the same code. Pure; tested in builder.test.ts.
 */
import { embedSnippet, embedUrl, type EmbedTarget } from '@itmap/kit/core';

export interface EmbedChoice {
  chart: 'history' | 'ranking';
  /** history: the unit charted; ranking: a unit to mark (optional) */
  unit: string;
  /** ranking: the peer group */
  peer: string;
  /** ranking: how many units */
  top: number;
  period: string;
  lang: 'vi' | 'en';
  /** '' follows the reader's setting */
  theme: '' | 'light' | 'dark';
  /** '100%' or a width in px */
  width: string;
  height: number;
  /** true: the data as published now, never changing (pin); false: the latest published figures of the period */
  pinned: boolean;
}

export const WIDTHS = ['100%', '480', '640', '800'] as const;
export const HEIGHT_MIN = 240;
export const HEIGHT_MAX = 1200;
export const TOP_CHOICES = [5, 10, 20] as const;

/** The embed's target (its chart and own parameters). */
export function targetOf(choice: EmbedChoice): EmbedTarget {
  return choice.chart === 'history'
    ? { chart: 'history', params: { unit: choice.unit } }
    : { chart: 'ranking', params: { peer: choice.peer, top: String(choice.top), unit: choice.unit || undefined } };
}

/** The embed's address and the code to paste; `asOf`: the published state a pinned embed keeps. */
export function embedCode(origin: string, choice: EmbedChoice, title: string, asOf: string | null): { src: string; code: string } {
  const src = embedUrl(origin, targetOf(choice), { period: choice.period, lang: choice.lang, theme: choice.theme || undefined, asOf: choice.pinned && asOf ? asOf : undefined });
  const height = Math.min(HEIGHT_MAX, Math.max(HEIGHT_MIN, Math.round(choice.height) || 460));
  const width = (WIDTHS as readonly string[]).includes(choice.width) ? choice.width : '100%';
  return { src, code: embedSnippet(origin, src, title, height, width) };
}
