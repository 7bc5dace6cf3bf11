/**
 * A module's own static data (docs/MODULES.md § Data of its own): JSON or CSV files published with a version of the
 * module, under `/modules/<name>/<version>/data/<file>`, each described in its manifest by a schema (`manifest.data`:
 * file → schema). The registry checks every file against its schema at publish (rules.ts, MAX_DATA_BYTES) and the
 * kit's `moduleData` reads them; both parse with the functions below, so a file means the same to both.
 *
 * The schema is a small subset of JSON Schema: `type` (object, array, string, number, integer, boolean, null, or a
 * list of them), `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `minimum`, `maximum`,
 * `minLength`, `maxLength`, `pattern`, `minItems`, `maxItems`, and `description`. A CSV file's schema is an array of
 * objects whose properties are scalars: the header names the columns, each cell is read as its property's type
 * (`number`/`integer` as a number, `boolean` as true/false, an empty cell as null when the type allows null).
 */
export type DataType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
export interface DataSchema {
  type?: DataType | DataType[];
  description?: string;
  properties?: Record<string, DataSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: DataSchema;
  enum?: (string | number | boolean | null)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
}
/** One problem in a data file: where (a JSON pointer into the parsed value, `/3/beds`) and what. */
export interface DataProblem { path: string; message: string }

/** A data file's name: lower-case letters, digits and inner "-", then .json or .csv. */
export const DATA_FILE = /^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:json|csv)$/;
/** Problems reported for one file at most (the first ones, in order). */
export const MAX_DATA_PROBLEMS = 20;

const TYPES: readonly DataType[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
const KEYWORDS = new Set(['type', 'description', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems']);
const typesOf = (schema: DataSchema): DataType[] | null => schema.type === undefined ? null : Array.isArray(schema.type) ? schema.type : [schema.type];

/** Why `schema` is not a schema this platform checks (an unknown keyword, a bad value), by its path; empty if it is. */
export function schemaProblems(schema: unknown, path = ''): DataProblem[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [{ path: path || '/', message: 'a schema is an object' }];
  const s = schema as Record<string, unknown>;
  const problems: DataProblem[] = [];
  const at = (keyword: string, message: string) => problems.push({ path: `${path}/${keyword}`, message });
  for (const keyword of Object.keys(s)) if (!KEYWORDS.has(keyword)) at(keyword, `unknown keyword (supported: ${[...KEYWORDS].join(', ')})`);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (!types.every((t) => (TYPES as unknown[]).includes(t))) at('type', `one of ${TYPES.join(', ')} (or a list of them)`);
  for (const keyword of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems']) {
    if (s[keyword] !== undefined && typeof s[keyword] !== 'number') at(keyword, 'a number');
  }
  if (s.pattern !== undefined) {
    try { new RegExp(String(s.pattern), 'u'); } catch { at('pattern', 'a regular expression'); }
  }
  if (s.enum !== undefined && !(Array.isArray(s.enum) && s.enum.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))) at('enum', 'a list of strings, numbers, booleans or null');
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((v) => typeof v === 'string'))) at('required', 'a list of property names');
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) at('additionalProperties', 'only false is supported');
  if (s.properties !== undefined) {
    if (typeof s.properties !== 'object' || s.properties === null || Array.isArray(s.properties)) at('properties', 'an object of schemas');
    else for (const [name, sub] of Object.entries(s.properties)) problems.push(...schemaProblems(sub, `${path}/properties/${name}`));
  }
  if (s.items !== undefined) problems.push(...schemaProblems(s.items, `${path}/items`));
  return problems;
}

/** A CSV file's schema: an array of objects of scalar properties (the columns). */
export function csvSchemaProblem(schema: DataSchema): string | null {
  const row = schema.items;
  const scalar = (s: DataSchema) => (typesOf(s) ?? []).every((t) => t !== 'object' && t !== 'array');
  if (!typesOf(schema)?.includes('array') || !row || !typesOf(row)?.includes('object') || !row.properties) return 'a CSV file\'s schema is {type: "array", items: {type: "object", properties: {column: …}}}';
  const nested = Object.entries(row.properties).find(([, s]) => !scalar(s));
  return nested ? `column "${nested[0]}" must be a string, number, integer, boolean or null` : null;
}

const typeOf = (value: unknown): DataType => value === null ? 'null' : Array.isArray(value) ? 'array'
  : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value as DataType;
const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** The problems of `value` against `schema` (the first MAX_DATA_PROBLEMS), each at a JSON pointer; empty if it is valid. */
export function validateData(schema: DataSchema, value: unknown, path = '', problems: DataProblem[] = []): DataProblem[] {
  const add = (message: string) => { if (problems.length < MAX_DATA_PROBLEMS) problems.push({ path: path || '/', message }); };
  const types = typesOf(schema);
  const actual = typeOf(value);
  if (types && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
    add(`must be ${types.join(' or ')}, not ${actual === 'integer' ? 'a number' : actual === 'null' ? 'null' : `${actual === 'array' ? 'an' : 'a'} ${actual}`}${typeof value === 'string' ? ` ("${value.slice(0, 40)}")` : ''}`);
    return problems;
  }
  if (schema.enum && !schema.enum.includes(value as never)) add(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) add(`must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) add(`must be at most ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) add(`must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) add(`must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) add(`must match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) add(`must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) add(`must have at most ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => validateData(schema.items!, item, pointer(path, i), problems));
  } else if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) validateMissing(name);
    for (const [name, item] of Object.entries(object)) {
      const sub = schema.properties?.[name];
      if (sub) validateData(sub, item, pointer(path, name), problems);
      else if (schema.additionalProperties === false && problems.length < MAX_DATA_PROBLEMS) problems.push({ path: pointer(path, name), message: 'is not in the schema' });
    }
  }
  return problems;
  function validateMissing(name: string) { if (problems.length < MAX_DATA_PROBLEMS) problems.push({ path: pointer(path, name), message: 'is required' }); }
}

/** Thrown for a file that cannot be read as its type (not JSON, a ragged CSV): where and what. */
export class DataParseError extends Error {
  readonly problem: DataProblem;
  constructor(problem: DataProblem) {
    super(`${problem.path} ${problem.message}`);
    this.problem = problem;
  }
}

/** RFC 4180 CSV: a header row, then rows of as many cells (quoted cells may hold commas, quotes as "", line breaks). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false, i = 0;
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (quoted) throw new DataParseError({ path: `/${rows.length}`, message: 'has an unclosed quote' });
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [header, ...body] = rows;
  if (!header || header.every((h) => h === '')) throw new DataParseError({ path: '/', message: 'has no header row' });
  return body.filter((r) => !(r.length === 1 && r[0] === '')).map((cells, n) => {
    if (cells.length !== header.length) throw new DataParseError({ path: `/${n}`, message: `has ${cells.length} cells, the header ${header.length} (line ${n + 2})` });
    return Object.fromEntries(header.map((name, c) => [name, cells[c]]));
  });
}

/** A CSV cell read as its column's type; left as text when it is not one (validateData then says so). */
function cell(schema: DataSchema | undefined, text: string): unknown {
  const types = schema ? typesOf(schema) ?? [] : [];
  if (text === '' && types.includes('null')) return null;
  if ((types.includes('number') || types.includes('integer')) && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * A data file's text as its value: JSON parsed, CSV parsed and its cells read as their columns' types. Throws
 * DataParseError when it cannot be read; does not check the schema (validateData does).
 */
export function parseData(file: string, text: string, schema?: DataSchema): unknown {
  if (file.endsWith('.csv')) {
    const columns = schema?.items?.properties ?? {};
    return parseCsv(text).map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, cell(columns[name], value)])));
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataParseError({ path: '/', message: `is not JSON (${error instanceof Error ? error.message : error})` });
  }
}
