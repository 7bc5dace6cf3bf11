/**
 * Stream batches replayed twice and out of order: on a stack of its own, the records are sent and scored,
 * then the aggregate handler is handed the whole records stream again, as read, reversed and shuffled. The
 * published scores still equal a full recompute. The scenario is `scenarios/replay.ts`; `npm run
 * reliability` runs it larger.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { replaySizes, runStreamReplay } from './scenarios/replay.ts';
import { summary } from './scenarios/result.ts';
import { expectPublishedEqualsRecompute } from './expect-result.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

it('gives the same scores when the aggregate handler gets stream batches twice and out of order', { timeout: 300_000 }, async () => {
  const result = await runStreamReplay(stack, replaySizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.records).toBeGreaterThan(0);
  expect(result.figures.detail['stream batches']).toBeGreaterThan(1);
  expect(result.figures.detail['orders replayed']).toBe(3);
  console.log(summary(result));
});
