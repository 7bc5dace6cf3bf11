/**
 * The citation of a figure (issue 19), APA 7 style for a data set that changes over time: author,
 * (year of the data), title with the unit and period [Data set], publisher, the date it was
 * retrieved and the permanent URL. A provisional period says so in the title's bracket.
 * Pure: no DOM.
 */
import { formatPeriod, periodLabel } from '../core.ts';
import { shareText, type ShareLocale } from './strings.ts';
import type { ShareMeta } from './data.ts';

const DATE_LOCALE = { vi: 'vi-VN', en: 'en-GB' } as const;

export function citeText(meta: ShareMeta, locale: ShareLocale, retrieved: Date): string {
  const s = shareText(locale);
  // the year of the data where it was published (Ho Chi Minh City), not UTC's
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(meta.asOf ? new Date(meta.asOf) : retrieved);
  // the unit and period once: titles often name them already
  const period = meta.period && !meta.title.includes(formatPeriod(meta.period, locale)) ? periodLabel(meta.period, locale, meta.provisional)
    : meta.period && meta.provisional ? `(${periodLabel(meta.period, locale, true).split('(').pop()}` : '';
  const what = [meta.title, meta.unit && !meta.title.includes(meta.unit) ? meta.unit : ''].filter(Boolean).join(', ') + (period ? (period.startsWith('(') ? ` ${period}` : `, ${period}`) : '');
  const details = [s.citeDataSet, meta.method ? s.method.replace('{method}', meta.method) : '', meta.asOfLabel ? s.asOf.replace('{asOf}', meta.asOfLabel) : ''].filter(Boolean).join('; ');
  const date = new Intl.DateTimeFormat(DATE_LOCALE[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(retrieved);
  return `${s.citeAuthor}. (${year}). ${what} [${details}]. ${s.citeRetrieved.replace('{date}', date).replace('{url}', meta.link ?? meta.site)}`;
}
