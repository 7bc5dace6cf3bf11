/**
 * The local stack is killed with SIGKILL in the middle of an ingest; after a restart the client resends
 * what was not acknowledged. Nothing acknowledged is lost and nothing counts twice: the published scores
 * equal a full recompute of everything sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb.ts';
import { postBatch } from '../../scripts/lib/ingest-client.ts';
import { comparable, demoRecords, expectedScores } from '../support/demo.ts';
import type { SourceRecord } from '../../shared-types/src/records.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bando-crash-'));
const key = 'crash-test-key';
let child: ChildProcess | undefined;

async function startStack(port: number, reset: boolean): Promise<ChildProcess> {
  const args = ['local/start.ts', '--no-demo', '--port', String(port), '--data', dataDir, ...(reset ? ['--reset'] : [])];
  const started = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INGEST_KEY: key, SCORE_SETTLE_MS: '0' } });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`stack did not start: ${output}`)), 120_000);
    started.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    started.stderr!.on('data', (chunk) => (output += chunk));
    started.on('exit', (code) => reject(new Error(`stack exited (${code}): ${output}`)));
  });
  return started;
}

/** SIGKILL the whole process group: the Node server and its DynamoDB Local. */
function kill(process_: ChildProcess) {
  process.kill(-process_.pid!, 'SIGKILL');
}

afterAll(() => {
  if (child && child.exitCode === null) kill(child);
});

it('loses nothing acknowledged and double-counts nothing across a SIGKILL', { timeout: 600_000 }, async () => {
  const records = demoRecords({ from: '2024-07', to: '2024-09', seed: 31, scale: 2, subtree: 'q5' });
  const ordered = [...records.filter((r) => r.type === 'procedure'), ...records.filter((r) => r.type !== 'procedure')];
  const batches: SourceRecord[][] = [];
  for (let i = 0; i < ordered.length; i += 25) batches.push(ordered.slice(i, i + 25));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  child = await startStack(port, true);
  const acknowledged = new Set<number>();
  let crashed = false;
  const killAt = Math.floor(batches.length * 0.4);
  // Two clients in parallel; the crash lands while batches are in flight.
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < batches.length && !crashed) {
        const index = next++;
        if (index === killAt) {
          crashed = true;
          kill(child!);
          return;
        }
        try {
          await postBatch({ url, key, maxAttempts: 1 }, batches[index]);
          acknowledged.add(index);
        } catch {
          // Not acknowledged: resent after the restart.
        }
      }
    }),
  );
  expect(crashed).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));

  child = await startStack(port, false);
  let resent = 0;
  for (const [index, batch] of batches.entries()) {
    // The client resends what it has no acknowledgement for — and, to prove retries are harmless, one acknowledged batch too.
    if (acknowledged.has(index) && index !== 0) continue;
    const { result } = await postBatch({ url, key }, batch);
    expect(result.rejected).toEqual([]);
    resent += 1;
  }
  for (let i = 0; i < 600; i++) {
    const status = await (await fetch(`${url}/api/v1/status`)).json();
    const latest = await fetch(`${url}/data/latest.json`);
    if (status.pending === 0 && latest.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const periods = ['2024-07', '2024-08', '2024-09', '2024-Q3'];
  const expected = expectedScores(records, periods, '2024-09');
  for (const period of periods) {
    const published = await (await fetch(`${url}/data/scores/${period}.json`)).json();
    expect(comparable(published.scores), period).toEqual(comparable(expected.get(period)!));
  }
  console.log(`crash: ${records.length} records in ${batches.length} batches, ${acknowledged.size} acknowledged before SIGKILL, ${resent} resent after restart, mismatches 0`);
  kill(child);
});
