/**
 * Crash: the local stack (`npm start`'s process group: the Node server and its DynamoDB Local) is killed
 * with SIGKILL in the middle of an ingest, `crashes` times. After each restart the client first resends
 * what was acknowledged since the previous start (each must come back `unchanged`: nothing acknowledged
 * was lost), then everything not acknowledged. Ends with the published scores equal to a full recompute of
 * everything sent and to an independent count.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../local/dynamodb.ts';
import { postBatch } from '../../../scripts/lib/ingest-client.ts';
import { demoRecords, type DataSet } from '../../support/demo.ts';
import { verifyPublished, waitUntilPublished } from '../../support/verify.ts';
import type { SourceRecord } from '../../../shared-types/src/records.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface CrashOptions {
  data: DataSet;
  batchSize: number;
  /** clients sending batches at once, so the kill lands while batches are in flight */
  clients: number;
  crashes: number;
}

export const crashSizes = {
  test: { data: { from: '2024-07', to: '2024-09', seed: 31, scale: 2, subtree: 'q5' }, batchSize: 25, clients: 2, crashes: 1 },
  bench: (scale: number): CrashOptions => ({ data: { from: '2024-01', to: '2024-12', seed: 31, scale: 2 * scale, subtree: 'q5' }, batchSize: 50, clients: 2, crashes: 3 }),
} satisfies Sizes<CrashOptions>;

const KEY = 'crash-test-key';

/** The stack as `npm start` runs it, in its own process group; resolves once it serves. */
async function startStack(port: number, dataDir: string, reset: boolean): Promise<ChildProcess> {
  const args = ['local/start.ts', '--no-demo', '--port', String(port), '--data', dataDir, ...(reset ? ['--reset'] : [])];
  const started = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INGEST_KEY: KEY } });
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
function kill(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
}

export async function runCrash(options: CrashOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('crash');
  const records = demoRecords(options.data);
  const procedures = records.filter((r) => r.type === 'procedure');
  const batches: SourceRecord[][] = [];
  for (const phase of [procedures, records.filter((r) => r.type !== 'procedure')]) {
    for (let i = 0; i < phase.length; i += options.batchSize) batches.push(phase.slice(i, i + options.batchSize));
  }
  // Procedure batches are all acknowledged before the first dossier batch goes (a dossier cites a known procedure).
  const procedureBatches = Math.ceil(procedures.length / options.batchSize);
  // The kills: the first at 40% of the batches, the others spread up to 90%.
  const killAt = Array.from({ length: options.crashes }, (_, k) => Math.floor(batches.length * (0.4 + (options.crashes > 1 ? (0.5 * k) / (options.crashes - 1) : 0))));
  run.figures.records = records.length;
  const acknowledgedBefore: number[] = [];
  const resentAfter: number[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'bando-crash-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const acknowledged = new Set<number>();
  const attempted = new Set<number>();
  const checked = new Set<number>();
  let unacknowledgedResent = 0;
  let child: ChildProcess | undefined;

  /** POSTs one batch; an acknowledged batch with rejections is a problem (nothing sent here is invalid). */
  const post = async (index: number, maxAttempts?: number) => {
    run.figures.requests += 1;
    run.figures.sends += batches[index].length;
    const { result, attempts } = await postBatch({ url, key: KEY, maxAttempts }, batches[index]);
    run.figures.retries += attempts - 1;
    run.figures.requests += attempts - 1;
    if (result.rejected.length > 0) run.problem(`batch ${index} rejected ${JSON.stringify(result.rejected.slice(0, 2))}`);
    return result;
  };

  try {
    for (let round = 0; round <= options.crashes; round++) {
      child = await startStack(port, dataDir, round === 0);
      if (round > 0) {
        run.figures.crashesSurvived += 1;
        // Durability: every batch acknowledged since the previous restart is still stored, so it comes back unchanged.
        let resent = 0;
        for (const index of [...acknowledged].filter((i) => !checked.has(i)).sort((a, b) => a - b)) {
          checked.add(index);
          const result = await post(index);
          if (result.unchanged !== batches[index].length) run.problem(`acknowledged batch ${index} lost records across SIGKILL ${round}: ${result.accepted} accepted again`);
          resent += 1;
        }
        resentAfter.push(resent);
      }
      const stopAt = killAt[round] ?? Infinity;
      let killed = false;
      for (const [first, last] of [[0, procedureBatches], [procedureBatches, batches.length]]) {
        const pending = Array.from({ length: last - first }, (_, i) => first + i).filter((index) => !acknowledged.has(index));
        let next = 0;
        await Promise.all(
          Array.from({ length: options.clients }, async () => {
            while (next < pending.length && !killed) {
              const index = pending[next++];
              if (index >= stopAt) {
                killed = true;
                log(`crash: SIGKILL ${round + 1} at batch ${index} of ${batches.length}, ${acknowledged.size} acknowledged`);
                kill(child!);
                return;
              }
              if (attempted.has(index)) unacknowledgedResent += 1;
              attempted.add(index);
              try {
                // Before a planned kill one attempt only, so a cut request stays unacknowledged; after the last, retries.
                await post(index, stopAt === Infinity ? undefined : 1);
                acknowledged.add(index);
              } catch {
                // Not acknowledged (the kill cut it): sent again after the restart.
              }
            }
          }),
        );
        if (killed) break;
      }
      if (killed) {
        acknowledgedBefore.push(acknowledged.size);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const missing = batches.length - acknowledged.size;
    if (missing > 0) run.problem(`${missing} batches never acknowledged`);
    log('crash: waiting for the last scores');
    // A bound on liveness, not a speed: a restarted stack finishes the scoring it was cut in, on a machine shared with other tests.
    if (!(await waitUntilPublished(url, 8 * 60_000))) run.problem('the restarted stack did not publish within 8 minutes');
    run.verdict(await verifyPublished({ url, sent: records, from: options.data.from, to: options.data.to }));
  } finally {
    if (child) kill(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  run.figures.detail = {
    batches: batches.length,
    'acknowledged before each kill': acknowledgedBefore.join(' / '),
    'acknowledged resent, unchanged': resentAfter.join(' / '),
    'unacknowledged resent': unacknowledgedResent,
  };
  return run.end();
}
