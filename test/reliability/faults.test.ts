/**
 * Faults between the handlers and DynamoDB: throttling errors and partial batch results injected into
 * the client, and stream batches replayed twice and out of order. Every record still lands exactly once,
 * and the published scores still equal a full recompute. The scenarios are `scenarios/throttling.ts` and
 * `scenarios/replay.ts`; `npm run reliability` runs them larger.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { runThrottling, throttlingSizes } from './scenarios/throttling.ts';
import { replaySizes, runStreamReplay } from './scenarios/replay.ts';
import { summary, type ScenarioResult } from './scenarios/result.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

function expectPublishedEqualsRecompute(result: ScenarioResult) {
  expect(result.problems).toEqual([]);
  expect(result.figures.scoresCompared).toBeGreaterThan(0);
  expect(result.figures.mismatchesRecompute).toBe(0);
  expect(result.figures.mismatchesCount).toBe(0);
}

it('lands every record once while DynamoDB throttles and leaves items unprocessed', { timeout: 900_000 }, async () => {
  const result = await runThrottling(stack, throttlingSizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.detail['throttling errors injected']).toBeGreaterThan(10);
  expect(result.figures.detail['unprocessed keys injected']).toBeGreaterThan(0);
  console.log(summary(result));
});

it('gives the same scores when the aggregate handler gets stream batches twice and out of order', { timeout: 300_000 }, async () => {
  // The same records as above: already stored, so the stream holds them once; now it is replayed.
  const result = await runStreamReplay(stack, replaySizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.detail['stream batches']).toBeGreaterThan(1);
  expect(result.figures.detail['orders replayed']).toBe(3);
  console.log(summary(result));
});
