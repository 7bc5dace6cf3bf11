/**
 * Faults between the handlers and DynamoDB: throttling errors and partial batch results injected into
 * the client. Every record still lands exactly once, and the published scores still equal a full
 * recompute. The scenario is `scenarios/throttling.ts`; `npm run reliability` runs it larger. Stream
 * batches replayed twice and out of order are `replay.test.ts`, on a stack of its own: each scenario
 * sends its records to a fresh stack, so neither depends on the other having run (or not) before it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { runThrottling, throttlingSizes } from './scenarios/throttling.ts';
import { summary } from './scenarios/result.ts';
import { expectPublishedEqualsRecompute } from './expect-result.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

it('lands every record once while DynamoDB throttles and leaves items unprocessed', { timeout: 900_000 }, async () => {
  const result = await runThrottling(stack, throttlingSizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.detail['throttling errors injected']).toBeGreaterThan(10);
  expect(result.figures.detail['unprocessed keys injected']).toBeGreaterThan(0);
  expect(result.figures.detail['unprocessed items injected']).toBeGreaterThan(0);
  console.log(summary(result));
});
