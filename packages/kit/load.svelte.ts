/**
 * A module's data, loaded again when what it depends on changes (the period, the unit, `asOf`…) or on retry.
 * One rule for every module: while loading, the last data stays shown (no flash of "loading" on a period change);
 * a response for what is no longer asked for is dropped (its signal aborted), so a slow answer for an older
 * period never overwrites a newer one; a failure is kept in `error` (the data before it stays).
 *
 *   const view = loadFor(() => ({ api, period, asOf }), async ({ api, period }, signal) => …);
 *   view.data / view.error / view.loading, view.retry() (an ErrorCard's onretry)
 *
 * Call it while a component initialises (it owns an `$effect`), as any rune.
 */
import { untrack } from 'svelte';

export interface Loaded<T> {
  /** the last data loaded (kept while the next loads, and after a failure); null until the first arrives */
  readonly data: T | null;
  /** the last load's failure; null while loading and after a success */
  readonly error: unknown;
  /** a load is under way */
  readonly loading: boolean;
  /** load again with the same dependencies */
  readonly retry: () => void;
}

export interface LoadOptions<D, T> {
  /** called with fresh data (never with a stale response), after `data` is set: e.g. to start choices from it */
  onload?: (data: T, deps: D) => void;
}

class LoadState<T> implements Loaded<T> {
  // snapshots are replaced whole, never mutated: $state.raw spares a deep proxy over them
  data = $state.raw<T | null>(null);
  error = $state.raw<unknown>(null);
  loading = $state(true);
  attempt = $state(0);
  retry = () => { this.attempt++; };
}

/**
 * Runs `load(deps(), signal)` in an effect. Only what `deps` reads is tracked (`load` runs untracked), so list there
 * every prop the data depends on, `asOf` too (new data published). The signal aborts when the answer is no longer
 * wanted (the dependencies changed, retry, the component went away).
 */
export function loadFor<D, T>(deps: () => D, load: (deps: D, signal: AbortSignal) => Promise<T>, options: LoadOptions<D, T> = {}): Loaded<T> {
  const state = new LoadState<T>();
  $effect(() => {
    const args = deps();
    void state.attempt;
    const controller = new AbortController();
    state.loading = true;
    state.error = null;
    new Promise<T>((resolve) => resolve(untrack(() => load(args, controller.signal)))).then(
      (data) => {
        if (controller.signal.aborted) return;
        state.data = data;
        state.loading = false;
        options.onload?.(data, args);
      },
      (error) => {
        if (controller.signal.aborted) return;
        state.error = error;
        state.loading = false;
      },
    );
    return () => controller.abort();
  });
  return state;
}
