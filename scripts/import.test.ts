/**
 * npm run import against a stand-in ingest endpoint: rejections of every run are kept (an interrupted import
 * resumed still reports the earlier ones), the exit code says whether any record was rejected, and CSV ids stay text.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Rejects every record whose id ends in "bad"; refuses (400) the batch that holds `refuse`, as if the run broke there. */
const received: Record<string, unknown>[] = [];
let refuse: string | null = null;
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const records = body.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    if (refuse && records.some((record) => record.id === refuse)) return response.writeHead(400).end('{"error":{"code":"bad_request","message":"stop"}}');
    received.push(...records);
    const rejected = records.flatMap((record, index) => (String(record.id).endsWith('bad') ? [{ index, type: record.type, id: record.id, errors: [{ field: 'id', message: 'bad' }] }] : []));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: records.length - rejected.length, unchanged: 0, rejected, pending: [] }));
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the script in a child (asynchronously: the stand-in endpoint answers from this process). */
function runImport(file: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/import.ts', file, '--url', url, '--key', 'k', '--batch', '2', ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}
const rejectionsOf = (file: string) => readFileSync(`${file}.rejections.ndjson`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

describe('npm run import', () => {
  it('keeps every rejection across a resume and exits 1 when any record was rejected', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'data.ndjson');
    const ids = ['a', 'b-bad', 'c', 'd', 'e', 'f-bad', 'g', 'h'];
    writeFileSync(file, ids.map((id) => JSON.stringify({ type: 'procedure', id })).join('\n'));
    refuse = 'e'; // the first run breaks at the third batch, after rejecting b-bad
    const first = await runImport(file);
    expect(first.status).not.toBe(0);
    expect(rejectionsOf(file).map((r) => r.id)).toEqual(['b-bad']);
    refuse = null;
    const resumed = await runImport(file);
    expect(resumed.stderr).toMatch(/resuming after record [24]/); // where the first run's acknowledged batches end
    expect(resumed.stdout).toMatch(/2 rejected \(1 in earlier runs\)/);
    expect(resumed.status).toBe(1);
    expect(rejectionsOf(file).map((r) => [r.position, r.id])).toEqual([[1, 'b-bad'], [5, 'f-bad']]);
  });

  it('exits 0 when every record was stored', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'good.ndjson');
    writeFileSync(file, ['a', 'b', 'c'].map((id) => JSON.stringify({ type: 'procedure', id })).join('\n'));
    expect((await runImport(file)).status).toBe(0);
  });

  it('sends CSV ids as text: 000123 stays "000123"', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'dossiers.csv');
    writeFileSync(file, 'id,unitId,procedureId,supplementRequests,paidOnline,completedAt\n000123,79,0042,2,true,\n');
    received.length = 0;
    expect((await runImport(file, '--type', 'dossier')).status).toBe(0);
    expect(received).toEqual([{ type: 'dossier', id: '000123', unitId: '79', procedureId: '0042', supplementRequests: 2, paidOnline: true, completedAt: null }]);
  });
});
