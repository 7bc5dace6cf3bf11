import { describe, expect, it } from 'vitest';
import { csvSchemaProblem, parseCsv, parseData, schemaProblems, validateData, DATA_FILE, type DataSchema } from './module-data.ts';

const clinic: DataSchema = {
  type: 'object', required: ['id', 'beds'], additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^c[0-9]+$' }, beds: { type: 'integer', minimum: 0, maximum: 500 },
    kind: { enum: ['station', 'hospital'] }, name: { type: 'string', minLength: 1, maxLength: 10 },
  },
};
const list: DataSchema = { type: 'array', items: clinic, maxItems: 3 };

describe('a module’s data against its schema', () => {
  it('accepts what the schema describes', () => {
    expect(validateData(list, [{ id: 'c1', beds: 3, kind: 'station' }, { id: 'c2', beds: 0, name: 'Trạm 2' }])).toEqual([]);
    expect(validateData({ type: 'number' }, 2)).toEqual([]); // an integer is a number
  });

  it('names each field at fault by its JSON pointer', () => {
    expect(validateData(list, [{ id: 'c1', beds: 'many' }, { id: 'x', beds: 1.5, kind: 'clinic', extra: 1 }, { beds: -1 }, { id: 'c4', beds: 1, name: '' }])).toEqual([
      { path: '/', message: 'must have at most 3 items' },
      { path: '/0/beds', message: 'must be integer, not a string ("many")' },
      { path: '/1/id', message: 'must match ^c[0-9]+$' },
      { path: '/1/beds', message: 'must be integer, not a number' },
      { path: '/1/kind', message: 'must be one of "station", "hospital"' },
      { path: '/1/extra', message: 'is not in the schema' },
      { path: '/2/id', message: 'is required' },
      { path: '/2/beds', message: 'must be at least 0' },
      { path: '/3/name', message: 'must have at least 1 characters' },
    ]);
    expect(validateData({ type: 'object' }, null)).toEqual([{ path: '/', message: 'must be object, not null' }]);
    expect(validateData({ type: 'array', items: { type: 'integer' } }, Array.from({ length: 30 }, () => 'x'))).toHaveLength(20);
  });

  it('refuses schemas it would not check', () => {
    expect(schemaProblems(list)).toEqual([]);
    expect(schemaProblems({ type: 'array', items: { type: 'date', format: 'x', additionalProperties: true } })).toEqual([
      { path: '/items/format', message: expect.stringMatching(/^unknown keyword/) },
      { path: '/items/type', message: 'one of object, array, string, number, integer, boolean, null (or a list of them)' },
      { path: '/items/additionalProperties', message: 'only false is supported' },
    ]);
    expect(csvSchemaProblem(list)).toBeNull();
    expect(csvSchemaProblem({ type: 'object' })).toMatch(/CSV file's schema is/);
    expect(csvSchemaProblem({ type: 'array', items: { type: 'object', properties: { tags: { type: 'array' } } } })).toBe('column "tags" must be a string, number, integer, boolean or null');
  });

  it('file names', () => {
    for (const ok of ['clinics.json', 'visits-2026.csv']) expect(DATA_FILE.test(ok)).toBe(true);
    for (const bad of ['Clinics.json', 'a.html', 'x.json.js', '-a.csv', '../a.json', 'a b.csv']) expect(DATA_FILE.test(bad)).toBe(false);
  });
});

describe('CSV', () => {
  it('reads quotes, doubled quotes, commas and line breaks in cells, CRLF, a BOM and a last line without a break', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","line\nbreak"\r\n1,2')).toEqual([{ a: 'x, "y"', b: 'line\nbreak' }, { a: '1', b: '2' }]);
  });

  it('refuses a row of another width and an unclosed quote, naming the row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow('/1 has 1 cells, the header 2 (line 3)');
    expect(() => parseCsv('a\n"x\n')).toThrow(/unclosed quote/);
  });

  it('reads cells as their columns’ types; what is not one stays text for the check to name', () => {
    const schema: DataSchema = { type: 'array', items: { type: 'object', properties: { n: { type: ['integer', 'null'] }, ok: { type: 'boolean' } } } };
    const rows = parseData('x.csv', 'n,ok\n4,true\n,false\nfour,yes\n', schema);
    expect(rows).toEqual([{ n: 4, ok: true }, { n: null, ok: false }, { n: 'four', ok: 'yes' }]);
    expect(validateData(schema, rows).map((p) => p.path)).toEqual(['/2/n', '/2/ok']);
    expect(() => parseData('x.json', '{')).toThrow(/^\/ is not JSON/);
  });
});
