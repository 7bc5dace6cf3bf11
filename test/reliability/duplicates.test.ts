/**
 * Every record sent 3 times, shuffled, from 8 concurrent clients, with later copies of some records
 * mixed in: the published scores equal a full recompute of the latest state, and an independent count.
 * The scenario is `scenarios/duplicates.ts`; `npm run reliability` runs it larger.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { duplicatesSizes, runDuplicates } from './scenarios/duplicates.ts';
import { summary } from './scenarios/result.ts';
import { expectPublishedEqualsRecompute } from './expect-result.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

it('duplicates, reordering and concurrency change nothing', { timeout: 300_000 }, async () => {
  const result = await runDuplicates(stack, duplicatesSizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.sends).toBe(3 * (result.figures.records + (result.figures.detail['later copies'] as number)));
  console.log(summary(result));
});
