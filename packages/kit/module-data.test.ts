import { describe, expect, it } from 'vitest';
import { ApiError } from './core.ts';
import { moduleData, moduleDataUrl } from './module-data.ts';

const MODULE = 'https://site.example/modules/health/1.2.0/health-0123456789.js';
const files: Record<string, string> = {
  'https://site.example/modules/health/1.2.0/data/clinics.csv': 'id,name,beds,open\r\nc1,"Trạm y tế, Phường 1",12,true\r\nc2,Trạm y tế Phường 2,,false\r\n',
  'https://site.example/modules/health/1.2.0/data/summary.json': '{"clinics":2}',
};
const fetch = (async (input: RequestInfo | URL) => {
  const body = files[String(input)];
  return body === undefined ? new Response('', { status: 404, statusText: 'Not Found' }) : new Response(body);
}) as typeof globalThis.fetch;
const schema = {
  type: 'array' as const,
  items: { type: 'object' as const, properties: { id: { type: 'string' as const }, name: { type: 'string' as const }, beds: { type: ['integer' as const, 'null' as const] }, open: { type: 'boolean' as const } } },
};

describe('moduleData: the module’s own files, beside the version that runs', () => {
  it('resolves the file in the module’s version folder', () => {
    expect(moduleDataUrl(MODULE, 'clinics.csv')).toBe('https://site.example/modules/health/1.2.0/data/clinics.csv');
  });

  it('reads CSV cells as their columns’ types when given the schema, as text without it', async () => {
    expect(await moduleData(MODULE, 'clinics.csv', { schema, fetch })).toEqual([
      { id: 'c1', name: 'Trạm y tế, Phường 1', beds: 12, open: true },
      { id: 'c2', name: 'Trạm y tế Phường 2', beds: null, open: false },
    ]);
    expect(await moduleData(MODULE, 'clinics.csv', { fetch })).toEqual([
      { id: 'c1', name: 'Trạm y tế, Phường 1', beds: '12', open: 'true' },
      { id: 'c2', name: 'Trạm y tế Phường 2', beds: '', open: 'false' },
    ]);
  });

  it('reads JSON; a missing file is an ApiError with its URL and status', async () => {
    expect(await moduleData(MODULE, 'summary.json', { fetch })).toEqual({ clinics: 2 });
    const error = await moduleData(MODULE, 'nope.json', { fetch }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, url: 'https://site.example/modules/health/1.2.0/data/nope.json' });
  });
});
