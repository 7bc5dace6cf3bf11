/**
 * Synthetic cities for tests at a size no real registry has yet: a city, districts, and wards under them,
 * with a few records per ward, or with scores of realistic variety (random counts through the real engine).
 */
import { mulberry32 } from '../../tools/demo/generate.ts';
import { rollUp, scorePeriod } from '../../functions/src/domain/engine/index.ts';
import { dossier, procedure } from '../../functions/src/domain/engine/test-helpers.ts';
import { MEASURE_IDS, METHOD_766_V1 } from '../../shared-types/src/method.ts';
import type { SourceRecord, Unit } from '../../shared-types/src/records.ts';
import type { Counts, UnitScore } from '../../shared-types/src/scores.ts';

/** A city with `size` units: one city, a district per 30 units, wards under the districts (urban and rural by turns: two peer groups). */
export function syntheticUnits(size: number): Unit[] {
  const districts = Math.max(1, Math.floor(size / 30));
  const units: Unit[] = [{ id: 'city', parentId: null, kind: 'city', name: { vi: 'Thành phố', en: 'City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false }];
  for (let d = 0; d < districts && units.length < size; d++) {
    units.push({ id: `d${d}`, parentId: 'city', kind: 'district', name: { vi: `Quận ${d}`, en: `District ${d}` }, peerGroup: 'district-urban', offersElectronicCertifiedCopy: false });
  }
  for (let w = 0; units.length < size; w++) {
    units.push({ id: `d${w % districts}-w${w}`, parentId: `d${w % districts}`, kind: 'ward', name: { vi: `Phường ${w}`, en: `Ward ${w}` }, peerGroup: w % 2 ? 'commune-rural' : 'ward-urban', offersElectronicCertifiedCopy: w % 3 === 0 });
  }
  return units;
}

/** A procedure and `perWard` dossiers in March 2024 for every ward: enough for every unit to score something. */
export function syntheticRecords(units: Unit[], perWard = 3): SourceRecord[] {
  const records: SourceRecord[] = [];
  for (const unit of units.filter((u) => u.kind === 'ward')) {
    records.push(procedure({ id: `p-${unit.id}`, unitId: unit.id }));
    for (let i = 0; i < perWard; i++) {
      const day = String(2 + ((i * 7 + unit.id.length) % 20)).padStart(2, '0');
      records.push(dossier({
        id: `d-${unit.id}-${i}`, unitId: unit.id, procedureId: `p-${unit.id}`, receivedAt: `2024-03-${day}T08:00:00+07:00`,
        dueAt: `2024-03-${day}T17:00:00+07:00`, completedAt: i % 2 === 0 ? `2024-03-${day}T12:00:00+07:00` : `2024-03-25T12:00:00+07:00`,
        updatedAt: '2024-03-28T00:00:00+07:00',
      }));
    }
  }
  return records;
}

/** Scores of every unit for a period, from random own counts (seeded) through the engine: numbers as varied as a city's. */
export function syntheticScores(units: Unit[], period: string, asOf: string, seed = 16): UnitScore[] {
  const random = mulberry32(seed);
  const own = new Map<string, Counts>();
  for (const unit of units) {
    const counts: Counts = {};
    for (const measure of MEASURE_IDS) counts[measure] = Math.floor(random() * 5_000);
    own.set(unit.id, counts);
  }
  return scorePeriod({ units, period, pooled: rollUp(units, own), method: METHOD_766_V1, asOf });
}
