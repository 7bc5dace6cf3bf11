/**
 * Access: scoped keys cannot write (or take over) another district's records, team keys cannot publish another module, no key
 * gets 401, markup in text fields is stored as text and the front end has no HTML sink to render it.
 * The scenario is `scenarios/access.ts`; `npm run reliability` runs it with every district and more teams.
 * (The single cases are also in test/integration/ingest-api.test.ts and module-registry.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { accessSizes, runAccess, startAccessStack } from './scenarios/access.ts';
import { summary } from './scenarios/result.ts';

let stack: LocalStack;
let publicDir: string;
beforeAll(async () => {
  delete process.env.CITY;
  ({ stack, publicDir } = await startAccessStack());
});
afterAll(async () => stack?.stop());

it('lets no key write outside its scope or publish another team’s module, and stores markup as text', { timeout: 300_000 }, async () => {
  const { districts, modules } = accessSizes.test;
  const result = await runAccess(stack, publicDir, accessSizes.test);
  expect(result.problems).toEqual([]);
  expect(result.figures.invalidStored).toBe(0);
  expect(result.figures.status5xx).toBe(0);
  expect(result.figures.detail['writes outside scope rejected']).toBe(districts * (districts - 1));
  expect(result.figures.detail["takeovers of another scope's record refused"]).toBe(districts);
  expect(result.figures.detail['module publishes refused']).toBe(2 * modules * (modules - 1));
  expect(result.figures.detail['markup stored verbatim']).toBe(result.figures.records);
  expect(result.figures.detail['HTML sinks']).toBe(0);
  console.log(summary(result));
});
