/**
 * The local stack is killed with SIGKILL in the middle of an ingest; after a restart the client resends
 * what was not acknowledged. Nothing acknowledged is lost and nothing counts twice: the published scores
 * equal a full recompute of everything sent. The scenario is `scenarios/crash.ts`; `npm run reliability`
 * runs it larger, with more kills.
 */
import { expect, it } from 'vitest';
import { crashSizes, runCrash } from './scenarios/crash.ts';
import { summary } from './scenarios/result.ts';
import { expectPublishedEqualsRecompute } from './expect-result.ts';

it('loses nothing acknowledged and double-counts nothing across a SIGKILL', { timeout: 900_000 }, async () => {
  const result = await runCrash(crashSizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.crashesSurvived).toBe(1);
  console.log(summary(result));
});
