/**
 * The figures on the page: every share menu (FigureShare) while it is mounted, in the order they mounted. What
 * "download everything of this view" archives. One instance for the page (exported through `@itmap/kit/core`), so
 * the shell sees the figures of every module.
 */
import type { ShareInput } from './actions.ts';

export interface PageFigure {
  /** what the figure's own downloads are made from, now */
  input(): Promise<ShareInput>;
}

const figures = new Set<PageFigure>();

/** Adds a figure; the function returned removes it (when the figure leaves the page). */
export function registerFigure(figure: PageFigure): () => void {
  figures.add(figure);
  return () => figures.delete(figure);
}

export const pageFigures = (): PageFigure[] => [...figures];

/**
 * Saves everything the page's figures show in one ZIP (archive.ts and fflate load now, on click). False when the
 * page has no figure. `path` and `period` name the file: `itmap-<page>-<period>.zip`.
 */
export async function downloadViewArchive(context: { locale: 'vi' | 'en'; title: string; link: string; path: string; period?: string }): Promise<boolean> {
  const shown = pageFigures();
  if (shown.length === 0) return false;
  const [{ archiveBlob, archiveName }, { saveBlob }] = await Promise.all([import('./archive.ts'), import('./actions.ts')]);
  const inputs = await Promise.all(shown.map((figure) => figure.input()));
  saveBlob(await archiveBlob(inputs, { ...context, now: new Date().toISOString() }), archiveName(context.path, context.period));
  return true;
}
