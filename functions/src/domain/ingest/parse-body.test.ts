import { describe, expect, it } from 'vitest';
import { BodyError, MAX_BODY_BYTES, csvRecord, parseBody } from './parse-body.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as BodyError).code;
  }
  return 'no error';
};

describe('parseBody', () => {
  it('reads a JSON array', () => {
    expect(parseBody({ text: '[{"a":1},{"b":2}]' })).toEqual([{ value: { a: 1 } }, { value: { b: 2 } }]);
  });

  it('refuses JSON that does not parse, or is not an array', () => {
    expect(codeOf(() => parseBody({ text: '[{"a":' }))).toBe('unparseable');
    expect(codeOf(() => parseBody({ text: '{"a":1}' }))).toBe('unparseable');
  });

  it('reads NDJSON, turning a broken line into a per-record error instead of failing the body', () => {
    const items = parseBody({ text: '{"a":1}\n\nnot json\n{"b":2}\n', contentType: 'application/x-ndjson' });
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ value: { a: 1 } });
    expect('parseError' in items[1] && items[1].parseError).toMatch(/not valid JSON/);
    expect(items[2]).toEqual({ value: { b: 2 } });
  });

  it('reads CSV with the types of the record schema: booleans, numbers, empty nullable cells as null', () => {
    const text = 'id,unitId,receivedAt,supplementRequests,paidOnline,completedAt\nd1,u1,2024-03-05T08:30:00+07:00,2,true,\n';
    const [item] = parseBody({ text, contentType: 'text/csv', type: 'dossier' });
    expect(item).toEqual({
      value: { type: 'dossier', id: 'd1', unitId: 'u1', receivedAt: '2024-03-05T08:30:00+07:00', supplementRequests: 2, paidOnline: true, completedAt: null },
    });
  });

  it('leaves odd CSV cells as text so validation can name them', () => {
    const [item] = parseBody({ text: 'id,supplementRequests,paidOnline\nd1,two,maybe\n', contentType: 'text/csv; charset=utf-8', type: 'dossier' });
    expect(item).toEqual({ value: { type: 'dossier', id: 'd1', supplementRequests: 'two', paidOnline: 'maybe' } });
  });

  it('keeps ids as text: 000123 stays "000123", in the API and in npm run import', () => {
    const [item] = parseBody({ text: 'id,unitId,procedureId,supplementRequests\n000123,79,0042,07\n', contentType: 'text/csv', type: 'dossier' });
    expect(item).toEqual({ value: { type: 'dossier', id: '000123', unitId: '79', procedureId: '0042', supplementRequests: 7 } });
    expect(csvRecord('feedback', { id: '000123', wardId: '', likes: '3' })).toEqual({ type: 'feedback', id: '000123', wardId: null, likes: 3 });
  });

  it('needs ?type= for CSV, one of the three record types (no prototype name)', () => {
    expect(codeOf(() => parseBody({ text: 'id\n1\n', contentType: 'text/csv' }))).toBe('bad_request');
    for (const type of ['unit', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(codeOf(() => parseBody({ text: 'id\n1\n', contentType: 'text/csv', type }))).toBe('bad_request');
    }
  });

  it('keeps a CSV column named __proto__ as a field, for validation to refuse', () => {
    const [item] = parseBody({ text: 'id,__proto__\nd1,x\n', contentType: 'text/csv', type: 'dossier' });
    const { value } = item as { value: object };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
  });

  it('refuses other media types and oversized bodies, stating the limit', () => {
    expect(codeOf(() => parseBody({ text: '<x/>', contentType: 'application/xml' }))).toBe('unsupported_media_type');
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect(codeOf(() => parseBody({ text: big }))).toBe('too_large');
    try {
      parseBody({ text: big });
    } catch (error) {
      expect((error as Error).message).toContain(String(MAX_BODY_BYTES));
    }
  });
});
