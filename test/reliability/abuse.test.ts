/**
 * Abuse: one district's key attacks every other district's records (take over with a later or an older copy,
 * freeze with a year-9999 updatedAt, delete, alias the id in NFD, read, pre-claim an id, aim a feedback at its
 * ward), anyone tries prototype names, dead keys, %-encoded paths and an oversized reply. Every attack is refused,
 * no 5xx, no record changed by an attacker, and the published scores equal a recompute of what the owners sent.
 * The scenario is `scenarios/abuse.ts`; `npm run reliability` runs it with every district.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { abuseSizes, runAbuse, startAbuseStack } from './scenarios/abuse.ts';
import { summary } from './scenarios/result.ts';
import { expectPublishedEqualsRecompute } from './expect-result.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY;
  stack = await startAbuseStack();
});
afterAll(async () => stack?.stop());

it('refuses every attack on another district’s records, the keys and the server, and changes no record', { timeout: 600_000 }, async () => {
  const { districts } = abuseSizes.test;
  const result = await runAbuse(stack, abuseSizes.test);
  expectPublishedEqualsRecompute(result);
  expect(result.figures.status5xx).toBe(0);
  expect(result.figures.detail['records changed by an attacker']).toBe(0);
  expect(result.figures.invalidStored).toBe(0);
  expect(result.figures.detail.refused).toBe(result.figures.detail.attempts);
  // Each key against each other district: 4 records × 6 copy attacks, 4 reads, 1 ward, 1 pre-claim.
  expect(result.figures.detail['take over with an older copy (never unchanged)']).toBe(`${districts * (districts - 1) * 4}/${districts * (districts - 1) * 4} refused`);
  expect(result.figures.detail['pre-claim an id: the owner is told who holds it']).toBe(`${districts * (districts - 1)}/${districts * (districts - 1)} refused`);
  console.log(summary(result));
});
