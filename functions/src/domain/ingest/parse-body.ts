/**
 * Turns a request body (JSON array, NDJSON or CSV) into raw items, one per record, before validation.
 * A body that cannot be read at all is an error for the whole request; a single NDJSON line that
 * does not parse is an error for that record only, so one bad line never costs a large upload.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { ZodType } from 'zod';
import { RECORD_TYPES, recordSchemas, type RecordType } from '../../../../shared-types/src/records.ts';

export const MAX_BODY_BYTES = 5_000_000;
export const MAX_RECORDS_PER_REQUEST = 10_000;

export type BodyFormat = 'json' | 'ndjson' | 'csv';

/** A raw item, or the reason its line could not be read. */
export type RawItem = { value: unknown } | { parseError: string };

export class BodyError extends Error {
  readonly code: 'unparseable' | 'unsupported_media_type' | 'too_large' | 'bad_request';
  constructor(code: BodyError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export function bodyFormat(contentType: string | undefined): BodyFormat {
  const mediaType = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/ndjson') return 'ndjson';
  if (mediaType === 'text/csv') return 'csv';
  throw new BodyError(
    'unsupported_media_type',
    `Content-Type "${mediaType}" is not accepted; send application/json (an array of records), application/x-ndjson or text/csv with ?type=`,
  );
}

export function parseBody(input: { text: string; contentType?: string; type?: string }): RawItem[] {
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new BodyError('too_large', `Body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES} bytes (and ${MAX_RECORDS_PER_REQUEST} records) per request. Split it into batches.`);
  }
  const format = bodyFormat(input.contentType);
  const items = format === 'json' ? parseJsonArray(input.text) : format === 'ndjson' ? parseNdjson(input.text) : parseCsvRows(input.text, input.type);
  if (items.length > MAX_RECORDS_PER_REQUEST) {
    throw new BodyError('too_large', `Body holds ${items.length} records; the limit is ${MAX_RECORDS_PER_REQUEST} records per request.`);
  }
  return items;
}

function parseJsonArray(text: string): RawItem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BodyError('unparseable', `Body is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new BodyError('unparseable', 'Body must be a JSON array of records (or NDJSON, or CSV).');
  return value.map((item) => ({ value: item }));
}

function parseNdjson(text: string): RawItem[] {
  const items: RawItem[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push({ value: JSON.parse(line) });
    } catch (error) {
      items.push({ parseError: `line is not valid JSON: ${(error as Error).message}` });
    }
  }
  return items;
}

/** A record type named in a URL or a file: only the three own names (`__proto__` or `constructor` is none of them). */
export const isRecordType = (type: unknown): type is RecordType => RECORD_TYPES.includes(type as RecordType);

function parseCsvRows(text: string, type: string | undefined): RawItem[] {
  if (!isRecordType(type)) {
    throw new BodyError('bad_request', `CSV bodies need ?type=${RECORD_TYPES.join('|')} in the URL${type ? `; got "${type.slice(0, 50)}"` : ''}.`);
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    throw new BodyError('unparseable', `Body is not valid CSV: ${(error as Error).message}`);
  }
  return rows.map((row) => ({ value: csvRecord(type, row) }));
}

/**
 * One CSV row as the record it stands for, its cells turned into the types of the record's own schema: a
 * boolean column gives booleans, a count column numbers, and an id stays the text it is (`000123`, not 123).
 * `npm run import` sends CSV files through this too.
 */
export function csvRecord(type: RecordType, row: Record<string, string>): Record<string, unknown> {
  return { type, ...coerceRow(row, fieldKinds[type]) };
}

type FieldKind = { base: string; nullable: boolean };

/** Reads the field types off the record's own schema, so CSV coercion cannot drift from validation. */
function fieldKindsOf(schema: ZodType): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind>();
  const shape = (schema as unknown as { shape: Record<string, ZodType> }).shape;
  for (const [field, fieldSchema] of Object.entries(shape)) {
    let def = (fieldSchema as unknown as { def: { type: string; innerType?: unknown } }).def;
    let nullable = false;
    while (def.innerType && ['nullable', 'optional', 'default', 'readonly'].includes(def.type)) {
      if (def.type === 'nullable' || def.type === 'optional') nullable = true;
      def = (def.innerType as { def: typeof def }).def;
    }
    kinds.set(field, { base: def.type, nullable });
  }
  return kinds;
}

const fieldKinds = Object.fromEntries(RECORD_TYPES.map((type) => [type, fieldKindsOf(recordSchemas[type])])) as Record<RecordType, Map<string, FieldKind>>;

/** CSV cells are text: turn them into the JSON types the schema expects, leaving anything odd for validation to name. */
function coerceRow(row: Record<string, string>, kinds: Map<string, FieldKind>): Record<string, unknown> {
  const fields = Object.entries(row).filter(([field]) => field !== 'type');
  // Built with fromEntries: a column named `__proto__` stays a field (and is rejected as unknown), not a prototype.
  return Object.fromEntries(fields.map(([field, cell]) => [field, coerceCell(cell, kinds.get(field))]));
}

function coerceCell(cell: string, kind: FieldKind | undefined): unknown {
  if (!kind) return cell; // unknown column: validation rejects it by name
  if (cell === '' && kind.nullable) return null;
  if (kind.base === 'boolean') {
    const lower = cell.toLowerCase();
    return lower === 'true' || lower === '1' ? true : lower === 'false' || lower === '0' ? false : cell;
  }
  if (kind.base === 'number' || kind.base === 'int') return cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
  return cell;
}
