/**
 * @itmap/kit — the shared UI kit every module uses: the single-spa lifecycle adapter, the
 * error card, bars, chart figures, and (re-exported) the API client and formatting of
 * @itmap/kit/core. Built once into dist/web/shared/ and resolved through the import map.
 * Modules import it as `@itmap/kit` (a workspace package); the module build keeps that bare specifier,
 * so the kit is never bundled into a module.
 */
export * from './core.ts';
export { moduleLifecycles, stylesheetFor, type ModuleLifecycles, type LifecycleProps, type ModuleOptions } from './lifecycles.svelte.ts';
export { loadFor, type Loaded, type LoadOptions } from './load.svelte.ts';
export { default as LoadStatus } from './LoadStatus.svelte';
export { default as ModuleHost } from './ModuleHost.svelte';
export { default as ErrorCard } from './ErrorCard.svelte';
export { default as ScoreBar } from './ScoreBar.svelte';
export { default as TableScroll } from './TableScroll.svelte';
export { default as ChartFigure } from './ChartFigure.svelte';
export { default as FigureShare } from './FigureShare.svelte';
export { default as FigureTabs } from './FigureTabs.svelte';
export { provideFigureView, figureView, type FigureView } from './figure-view.ts';
export { default as ProvisionalNote } from './ProvisionalNote.svelte';
export { default as Change } from './Change.svelte';
export { default as SortHeader } from './SortHeader.svelte';
export { default as NoData } from './NoData.svelte';
export type { ChartSpec, SeriesSpec } from './charts.ts';
export type { ChartShare } from './share/data.ts';
