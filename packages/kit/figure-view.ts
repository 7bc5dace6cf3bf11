/**
 * The view a figure's tabs write to (figure-tabs.ts): the module's URL query and the shell's navigate, given to every
 * figure of a module by ModuleHost through Svelte's context. Without it (a component test, a page of its own), a
 * figure keeps its tab in its own state.
 */
import { getContext, setContext } from 'svelte';
import type { NavigateTo } from './core.ts';

export interface FigureView {
  query(): Record<string, string>;
  navigate(to: NavigateTo): void;
}
const KEY = Symbol('itmap.figure-view');

export function provideFigureView(view: FigureView): void {
  setContext(KEY, view);
}
export function figureView(): FigureView | undefined {
  return getContext<FigureView | undefined>(KEY);
}
