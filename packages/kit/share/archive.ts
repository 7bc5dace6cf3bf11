/**
 * Everything a view shows, in one ZIP (issue 19): for each figure on the page its CSV, JSON and SVG — the same
 * files its own share menu gives, so a provisional period says so in each — and a README with the view's address
 * and every figure's citation. Loaded on click (fflate, a well-kept zip library, is not on the first view).
 */
import { strToU8, zipSync } from 'fflate';
import { dataBlob, imageBlob, cite, type ShareInput } from './actions.ts';
import { anyProvisional, slug } from './data.ts';
import { st, type ShareLocale } from './strings.ts';

export interface ArchiveContext {
  locale: ShareLocale;
  /** the page's title, e.g. "Tổng quan — Bản đồ thể chế" */
  title: string;
  /** the permanent address of the view */
  link: string;
  /** ISO instant of the download (the README's retrieval date) */
  now: string;
}

/** The archive's files, name → bytes: `01-<figure>.csv|json|svg`… and README.txt. */
export async function archiveFiles(inputs: ShareInput[], context: ArchiveContext): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  const readme = [context.title, context.link, st(context.locale, 'archiveRetrieved', { date: context.now.slice(0, 10) }), ''];
  for (const [i, input] of inputs.entries()) {
    const prefix = String(i + 1).padStart(2, '0');
    const parts = [dataBlob(input, 'csv'), dataBlob(input, 'json'), await imageBlob(input, { format: 'svg', scale: 1, theme: 'light' })];
    const names: string[] = [];
    for (const { blob, name } of parts) {
      const file = `${prefix}-${name}`;
      files[file] = new Uint8Array(await blob.arrayBuffer());
      names.push(file);
    }
    readme.push(`${prefix}. ${input.meta.title}${anyProvisional(input.data, input.meta) ? ` (${st(context.locale, 'archiveProvisional')})` : ''}`, `    ${names.join(', ')}`, `    ${cite(input)}`, '');
  }
  files['README.txt'] = strToU8(readme.join('\r\n'));
  return files;
}

export async function archiveBlob(inputs: ShareInput[], context: ArchiveContext): Promise<Blob> {
  const zipped = zipSync(await archiveFiles(inputs, context), { level: 6, mtime: new Date(context.now) });
  return new Blob([zipped as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}

/** `itmap-<page>-<period>.zip` (the overview, `/`, is `tong-quan`): the same slugs as a figure's files. */
export function archiveName(path: string, period?: string): string {
  return ['itmap', slug(path) || 'tong-quan', period ? slug(period) : ''].filter(Boolean).join('-') + '.zip';
}
