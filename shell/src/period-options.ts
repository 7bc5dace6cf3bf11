/**
 * The period selector's options (pure; root-config.ts turns them into <option>s). The first
 * option (value "") is what a URL without ?period= shows: `defaultPeriod`, the last complete
 * month (`latestPeriod` from a publisher older than it). Every period still ongoing at asOf
 * (`provisionalPeriods`) is labelled "(tạm tính)" / "(provisional)"; the ongoing month stays one
 * click away in the list.
 */
import { defaultPeriodFrom, isProvisionalPeriod, periodKind, periodLabel, type LatestSnapshot, type Locale } from '@itmap/kit/core';
import { st } from './strings.ts';

export interface PeriodOption { value: string; label: string }
export interface PeriodOptions { first: PeriodOption; groups: { kind: 'month' | 'quarter' | 'year'; label: string; options: PeriodOption[] }[] }

export function periodOptions(latest: Partial<LatestSnapshot> | null, current: string | null, locale: Locale): PeriodOptions {
  const label = (p: string) => periodLabel(p, locale, isProvisionalPeriod(latest, p));
  const def = defaultPeriodFrom(latest);
  const complete = !!latest?.defaultPeriod && !isProvisionalPeriod(latest, def);
  const first = { value: '', label: def ? st(locale, complete ? 'latestComplete' : 'latest', { period: label(def) }) : st(locale, 'latest', { period: '…' }) };
  const all = [...new Set([...(latest?.periods ?? []), ...(current ? [current] : [])])].sort().reverse();
  const groups = (['month', 'quarter', 'year'] as const)
    .map((kind) => ({ kind, label: st(locale, kind), options: all.filter((p) => periodKind(p) === kind).map((p) => ({ value: p, label: label(p) })) }))
    .filter((g) => g.options.length);
  return { first, groups };
}
