import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRecords } from './ingest-client.ts';

/** A stand-in ingest endpoint that answers procedure batches slowly and logs when each batch starts and ends. */
const log: string[] = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const types = [...new Set(body.split('\n').map((line) => JSON.parse(line).type as string))].join('+');
    log.push(`start ${types}`);
    setTimeout(
      () => {
        log.push(`end ${types}`);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: body.split('\n').length, unchanged: 0, rejected: [], pending: types === 'dossier' ? [{ index: 0, id: 'd', field: 'procedureId' }] : [] }));
      },
      types.includes('procedure') ? 150 : 5,
    );
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sendRecords', () => {
  it('stores every procedure before sending the dossiers that cite them, while sending batches in parallel; counts the pending dossiers', async () => {
    const records = [
      ...Array.from({ length: 5 }, (_, i) => ({ type: 'procedure', id: `p${i}` })),
      ...Array.from({ length: 6 }, (_, i) => ({ type: 'dossier', id: `d${i}` })),
    ];
    const summary = await sendRecords(records, { url, key: 'k', batchSize: 2, concurrency: 3 });
    expect(summary).toMatchObject({ accepted: 11, pending: 3 });
    const firstDossier = log.findIndex((line) => line.includes('dossier'));
    const lastProcedureEnd = log.findLastIndex((line) => line.startsWith('end') && line.includes('procedure'));
    expect(lastProcedureEnd).toBeLessThan(firstDossier);
    // Batches still overlap: two procedure batches were in flight at once.
    expect(log.slice(0, 2)).toEqual(['start procedure', 'start procedure']);
  });
});
