import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { loadFor, type Loaded } from './load.svelte.ts';

/** A promise settled by the test, in the order the test chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void, reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

/** loadFor over a $state `period`, each load answered by hand: calls[i] is the i-th load. */
function harness(start: string) {
  const props = $state({ period: start, asOf: 'a' });
  const calls: { period: string; signal: AbortSignal; answer: ReturnType<typeof deferred<string>> }[] = [];
  const loaded: string[] = [];
  let view!: Loaded<string>;
  const stop = $effect.root(() => {
    view = loadFor(() => ({ period: props.period, asOf: props.asOf }), ({ period }, signal) => {
      const answer = deferred<string>();
      calls.push({ period, signal, answer });
      return answer.promise;
    }, { onload: (data) => loaded.push(data) });
  });
  flushSync();
  return { props, calls, loaded, view, stop };
}

describe('loadFor (one data-loading effect for every module)', () => {
  it('loads, then loads again when a dependency changes, keeping the last data meanwhile', async () => {
    const h = harness('2024-03');
    expect(h.calls.map((c) => c.period)).toEqual(['2024-03']);
    expect(h.view).toMatchObject({ data: null, error: null, loading: true });
    h.calls[0].answer.resolve('march');
    await settle();
    expect(h.view).toMatchObject({ data: 'march', error: null, loading: false });
    h.props.period = '2024-02';
    flushSync();
    expect(h.calls.map((c) => c.period)).toEqual(['2024-03', '2024-02']);
    expect(h.view).toMatchObject({ data: 'march', loading: true });
    h.calls[1].answer.resolve('february');
    await settle();
    expect(h.view).toMatchObject({ data: 'february', loading: false });
    expect(h.loaded).toEqual(['march', 'february']);
    // asOf (new data published) loads again too
    h.props.asOf = 'b';
    flushSync();
    expect(h.calls).toHaveLength(3);
    h.stop();
  });

  it('drops a stale response: a slow answer for an older period never overwrites a newer one', async () => {
    const h = harness('2024-03');
    h.props.period = '2024-02';
    flushSync();
    expect(h.calls[0].signal.aborted).toBe(true);
    expect(h.calls[1].signal.aborted).toBe(false);
    h.calls[1].answer.resolve('february');
    await settle();
    h.calls[0].answer.resolve('march (late)');
    await settle();
    expect(h.view).toMatchObject({ data: 'february', loading: false });
    expect(h.loaded).toEqual(['february']);
    // and a stale failure is no error either
    h.props.period = '2024-01';
    flushSync();
    h.props.period = '2024-Q1';
    flushSync();
    h.calls[2].answer.reject(new Error('january failed'));
    h.calls[3].answer.resolve('Q1');
    await settle();
    expect(h.view).toMatchObject({ data: 'Q1', error: null, loading: false });
    h.stop();
  });

  it('surfaces an error (keeping the data before it), and retry loads again and clears it', async () => {
    const h = harness('2024-03');
    const failure = new Error('404 scores/2024-03.json');
    h.calls[0].answer.reject(failure);
    await settle();
    expect(h.view).toMatchObject({ data: null, error: failure, loading: false });
    h.view.retry();
    flushSync();
    expect(h.calls.map((c) => c.period)).toEqual(['2024-03', '2024-03']);
    expect(h.view).toMatchObject({ error: null, loading: true });
    h.calls[1].answer.resolve('march');
    await settle();
    expect(h.view).toMatchObject({ data: 'march', error: null, loading: false });
    h.props.period = '2024-02';
    flushSync();
    h.calls[2].answer.reject(failure);
    await settle();
    expect(h.view).toMatchObject({ data: 'march', error: failure, loading: false });
    h.stop();
  });

  it('surfaces an error thrown before any await, and aborts when the owner goes away', async () => {
    let signal: AbortSignal | undefined;
    let view!: Loaded<never>;
    const stop = $effect.root(() => {
      view = loadFor(() => null, (_, s) => { signal = s; throw new Error('no api'); });
    });
    flushSync();
    await settle();
    expect(view).toMatchObject({ data: null, loading: false });
    expect((view.error as Error).message).toBe('no api');
    stop();
    expect(signal?.aborted).toBe(true);
  });
});
