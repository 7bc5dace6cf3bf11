/** The server's CSVs (scores, 1022 view): a UTF-8 BOM first, formula cells made inert, the columns kept. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { METHOD_766_V1 } from '../../../shared-types/src/method.ts';
import type { Unit } from '../../../shared-types/src/records.ts';
import { scoreAll } from '../domain/engine/index.ts';
import { units } from '../domain/engine/test-helpers.ts';
import { feedbackCsv, mergeFeedback } from './feedback-snapshot.ts';
import { scoresCsv } from './score-csv.ts';
import { asStructure, subtreeOf } from '../domain/structure/structure.ts';

const asOf = '2024-12-31T00:00:00+07:00';
// Names a spreadsheet would run: =, +, -, @, tab, carriage return at the start.
const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
const named: Unit[] = units.map((unit, i) => ({ ...unit, name: { vi: hostile[i] ?? unit.name.vi, en: `${hostile[i + 1] ?? 'x'} en` } }));
const rows = (csv: string) => parse(csv.slice(1), { columns: true }) as Record<string, string>[];

describe('CSVs the server writes', () => {
  const scores = scoreAll({ units: named, records: [], periods: ['2024-03'], method: METHOD_766_V1, asOf });
  const csv = scoresCsv({ period: '2024-03', method: METHOD_766_V1.id, asOf, provisional: false, scores }, asStructure(named), METHOD_766_V1);

  it('start with a UTF-8 byte-order mark', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const feedback = feedbackCsv(mergeFeedback({ members: subtreeOf(named, null), fields: [{ code: 'other', name: { vi: '=Khác', en: 'Other' } }], period: '2024-03', asOf, perUnit: new Map() }), asStructure(named));
    expect(feedback.charCodeAt(0)).toBe(0xfeff);
    expect(rows(feedback)[0]).toMatchObject({ slice: 'field', code: 'other', name_vi: "'=Khác" });
  });

  it('quote every cell that starts like a formula with a leading apostrophe, and leave the others and the numbers alone', () => {
    const byUnit = new Map(rows(csv).map((row) => [row.unit_id, row]));
    named.forEach((unit, i) => {
      const row = byUnit.get(unit.id)!;
      expect(row.unit_name_vi).toBe(hostile[i] ? `'${hostile[i]}` : unit.name.vi);
      expect(row.unit_name_en).toBe(`'${hostile[i + 1]} en`);
      expect(row.total).toMatch(/^\d+(\.\d+)?$/);
    });
    expect(rows(csv).map((row) => row.peer_group)).toEqual(named.map((unit) => unit.peerGroup)); // plain text untouched
  });

  it('keep their columns, the provisional one included', () => {
    const header = Object.keys(rows(csv)[0]);
    expect(header.slice(0, 10)).toEqual(['period', 'unit_id', 'unit_code', 'unit_name_vi', 'unit_name_en', 'peer_group', 'total', 'band', 'rank', 'retired']);
    expect(header.slice(-3)).toEqual(['method', 'as_of', 'provisional']);
  });
});
