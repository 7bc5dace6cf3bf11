/**
 * A module's own data (docs/MODULES.md § Data of its own): the JSON and CSV files published with its version under
 * `/modules/<name>/<version>/data/`, checked at publish against the schemas of its manifest. Same-origin reads
 * (connect-src 'self'), nothing to add to the site's CSP.
 */
import { parseData, type DataSchema } from '@itmap/shared-types/module-data';
import { ApiError } from './core.ts';

export type { DataSchema };

/** The URL of `file` beside the module that asks: `moduleUrl` is its `import.meta.url` (the version that runs). */
export const moduleDataUrl = (moduleUrl: string, file: string) => new URL(`data/${encodeURIComponent(file)}`, moduleUrl).href;

/**
 * Reads one of the module's data files: JSON as it is, CSV as rows of objects keyed by the header, each cell read as
 * its column's type when `schema` is the file's schema from the manifest (`import manifest from '../manifest.json'`;
 * without it every cell is text). Rejects with ApiError (the URL and status) when the file is not there.
 *
 *   const clinics = await moduleData<Clinic[]>(import.meta.url, 'clinics.csv', { schema: manifest.data['clinics.csv'] });
 */
export async function moduleData<T = unknown>(moduleUrl: string, file: string, options: { schema?: DataSchema | object; fetch?: typeof fetch } = {}): Promise<T> {
  const url = moduleDataUrl(moduleUrl, file);
  const response = await (options.fetch ?? globalThis.fetch)(url, { headers: { accept: file.endsWith('.csv') ? 'text/csv' : 'application/json' } });
  if (!response.ok) throw new ApiError(url, response.status, `${response.status} ${response.statusText || 'error'} — ${url}`);
  // (the schema as manifest.json gives it: a JSON import's type is wider than DataSchema, its shape checked at publish)
  return parseData(file, await response.text(), options.schema as DataSchema | undefined) as T;
}
