/**
 * Fuzzing the ingest API over HTTP: ≥ 10,000 generated bodies (FUZZ_RUNS) — broken JSON, wrong types,
 * missing and unknown fields, huge strings, dates out of range, unknown units, wrong media types,
 * oversized bodies. Zero 5xx, every error names what is wrong, and nothing invalid is ever stored.
 * The scenario is `scenarios/fuzz.ts`; `npm run reliability` runs it with more bodies.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startTestStack } from '../support/local-stack.ts';
import { fuzzSizes, runFuzz } from './scenarios/fuzz.ts';
import { summary } from './scenarios/result.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startTestStack({ tickMs: 5_000 });
});
afterAll(async () => stack?.stop());

const RUNS = Number(process.env.FUZZ_RUNS ?? fuzzSizes.test.runs);

it(`survives ${RUNS} generated bodies without a 5xx and stores nothing invalid`, { timeout: 900_000 }, async () => {
  const result = await runFuzz(stack, { ...fuzzSizes.test, runs: RUNS });
  expect(result.problems.slice(0, 5)).toEqual([]);
  expect(result.figures.fuzzCases).toBe(RUNS + 1);
  expect(result.figures.status5xx).toBe(0);
  expect(result.figures.invalidStored).toBe(0);
  console.log(summary(result));
});
