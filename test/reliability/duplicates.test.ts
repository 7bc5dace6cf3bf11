/**
 * Every record sent 3 times, shuffled, from 8 concurrent clients, with later copies of some records
 * mixed in: the published scores equal a full recompute of the latest state, and an independent count.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { sendRecords } from '../../scripts/lib/ingest-client.ts';
import { INGEST_KEY, getJson, startTestStack } from '../support/local-stack.ts';
import { comparable, demoRecords, expectedScores, laterCopies, shuffled } from '../support/demo.ts';
import { parseTimestamp, parsePeriod } from '../../shared-types/src/periods.ts';

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.CITY_REGISTRY_FILE;
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

it('duplicates, reordering and concurrency change nothing', { timeout: 300_000 }, async () => {
  const records = demoRecords({ from: '2024-01', to: '2024-03', seed: 11, scale: 1 });
  const sent = [...records, ...laterCopies(records, 7)];
  const procedures = sent.filter((r) => r.type === 'procedure');
  const others = sent.filter((r) => r.type !== 'procedure');
  // Procedures first (a dossier must cite a known procedure), then everything else; each phase
  // sends three shuffled copies split across 8 clients running at once.
  let retries = 0;
  for (const [phase, items] of [procedures, others].entries()) {
    const copies = shuffled([...items, ...items, ...items], 100 + phase);
    const clients = Array.from({ length: 8 }, (_, c) => copies.filter((_, i) => i % 8 === c));
    const summaries = await Promise.all(clients.map((part) => sendRecords(part, { url: stack.url, key: INGEST_KEY, batchSize: 200, concurrency: 1 })));
    for (const summary of summaries) {
      expect(summary.rejected).toEqual([]);
      retries += summary.retries;
    }
    const accepted = summaries.reduce((sum, s) => sum + s.accepted, 0);
    const unchanged = summaries.reduce((sum, s) => sum + s.unchanged, 0);
    expect(accepted + unchanged).toBe(copies.length);
    // Each record is stored once per distinct copy at most; never more than there were copies.
    expect(accepted).toBeGreaterThanOrEqual(new Set(items.map((r) => `${r.type}#${r.id}`)).size);
  }
  await stack.settle();

  const periods = ['2024-01', '2024-02', '2024-03', '2024-Q1'];
  const expected = expectedScores(sent, periods, '2024-03');
  for (const period of periods) {
    const published = (await getJson(stack, `/data/scores/${period}.json`)).body;
    expect(comparable(published.scores), period).toEqual(comparable(expected.get(period)!));
  }

  // An independent count: distinct dossiers received in 2024-Q1 equals the city's 4.4 denominator.
  const q1 = parsePeriod('2024-Q1');
  const receivedInQ1 = new Set(sent.filter((r) => r.type === 'dossier' && parseTimestamp(r.receivedAt) >= q1.start && parseTimestamp(r.receivedAt) < q1.end).map((r) => r.id));
  const city = (await getJson(stack, '/api/v1/scores?period=2024-Q1&unit=hcm')).body.scores[0];
  expect(city.indicators['4.4'].d).toBe(receivedInQ1.size);
  console.log(`duplicates: ${sent.length} distinct copies sent 3 times (${sent.length * 3} sends), ${retries} retries, mismatches 0`);
});
