/** What every scenario that sends records and scores them must end with: no problem seen, and the published scores equal to a full recompute and to an independent count. */
import { expect } from 'vitest';
import type { ScenarioResult } from './scenarios/result.ts';

export function expectPublishedEqualsRecompute(result: ScenarioResult) {
  expect(result.problems).toEqual([]);
  expect(result.figures.scoresCompared).toBeGreaterThan(0);
  expect(result.figures.mismatchesRecompute).toBe(0);
  expect(result.figures.mismatchesCount).toBe(0);
}
