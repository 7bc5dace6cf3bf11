import { spreadsheetCsv } from './csv.ts';
import type { MethodTable } from '../../../shared-types/src/method.ts';
import type { Structure } from '../domain/structure/structure.ts';
import type { UnitScore } from '../../../shared-types/src/scores.ts';

const round = (value: number | null, digits = 4) => (value === null ? '' : Number(value.toFixed(digits)));

/**
 * One row per unit, one column per figure, with the method version, asOf and `provisional` (an ongoing period,
 * judged at asOf) on every row so a copied row keeps its meaning.
 */
export function scoresCsv(snapshot: { period: string; method: string; asOf: string; provisional: boolean; scores: UnitScore[] }, structure: Structure, method: MethodTable): string {
  const units = structure.byId;
  const groups = method.groups.map((group) => group.key);
  const header = [
    'period', 'unit_id', 'unit_code', 'unit_name_vi', 'unit_name_en', 'peer_group', 'total', 'band', 'rank', 'retired',
    ...groups.map((group) => `${group}_points`),
    ...method.indicators.flatMap((indicator) => [`i${indicator.id}_n`, `i${indicator.id}_d`, `i${indicator.id}_points`]),
    'method', 'as_of', 'provisional',
  ];
  const rows = snapshot.scores.map((score) => [
    snapshot.period, score.unitId, units.get(score.unitId)?.code ?? '', units.get(score.unitId)?.name.vi ?? '', units.get(score.unitId)?.name.en ?? '', score.peerGroup,
    round(score.total, 2), score.band, score.rank ?? '', score.retired ?? false,
    ...groups.map((group) => round(score.groups[group]?.points ?? null, 4)),
    ...method.indicators.flatMap((indicator) => {
      const result = score.indicators[indicator.id];
      return [result?.n ?? '', result?.d ?? '', round(result?.points ?? null)];
    }),
    snapshot.method, snapshot.asOf, snapshot.provisional,
  ]);
  return spreadsheetCsv([header, ...rows]);
}
