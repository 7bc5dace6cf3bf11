/**
 * Duplicates: every record sent `copies` times, shuffled, from `clients` concurrent clients, with later
 * copies of some dossiers mixed in. Ends with the published scores equal to a full recompute of the
 * latest state and to an independent count.
 */
import type { LocalStack } from '../../../local/stack.ts';
import { sendRecords } from '../../../scripts/lib/ingest-client.ts';
import { INGEST_KEY } from '../../support/local-stack.ts';
import { demoRecords, laterCopies, shuffled, type DataSet } from '../../support/demo.ts';
import { verifyPublished } from '../../support/verify.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface DuplicatesOptions {
  data: DataSet;
  copies: number;
  clients: number;
  /** a later, completed copy of every n-th open dossier is sent too */
  laterEvery: number;
  batchSize: number;
}

export const duplicatesSizes = {
  test: { data: { from: '2024-01', to: '2024-03', seed: 11, scale: 1 }, copies: 3, clients: 8, laterEvery: 7, batchSize: 200 },
  bench: (scale: number): DuplicatesOptions => ({ data: { from: '2024-01', to: '2024-12', seed: 11, scale: 2 * scale }, copies: 3, clients: 8, laterEvery: 1, batchSize: 200 }),
} satisfies Sizes<DuplicatesOptions>;

export async function runDuplicates(stack: Pick<LocalStack, 'url' | 'settle'>, options: DuplicatesOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('duplicates');
  const records = demoRecords(options.data);
  const sent = [...records, ...laterCopies(records, options.laterEvery)];
  const distinctCopies = new Set(sent.map((r) => `${r.type}#${r.id}#${r.updatedAt}`)).size;
  run.figures.records = new Set(sent.map((r) => `${r.type}#${r.id}`)).size;
  run.figures.detail = { 'copies of each': options.copies, clients: options.clients, 'later copies': sent.length - records.length, accepted: 0, unchanged: 0 };
  // Procedures first (a dossier must cite a known procedure), then everything else; each phase sends
  // the shuffled copies split across the clients running at once.
  const phases = [sent.filter((r) => r.type === 'procedure'), sent.filter((r) => r.type !== 'procedure')];
  for (const [phase, items] of phases.entries()) {
    const copies = shuffled(Array.from({ length: options.copies }, () => items).flat(), 100 + phase);
    log(`duplicates: phase ${phase + 1}/2, ${copies.length.toLocaleString('en')} sends from ${options.clients} clients`);
    const parts = Array.from({ length: options.clients }, (_, c) => copies.filter((_, i) => i % options.clients === c));
    const summaries = await Promise.all(parts.map((part) => sendRecords(part, { url: stack.url, key: INGEST_KEY, batchSize: options.batchSize, concurrency: 1 })));
    let accepted = 0;
    let unchanged = 0;
    for (const summary of summaries) {
      run.sent(summary, options.batchSize);
      accepted += summary.accepted;
      unchanged += summary.unchanged;
    }
    (run.figures.detail.accepted as number) += accepted;
    (run.figures.detail.unchanged as number) += unchanged;
    if (accepted + unchanged !== copies.length) run.problem(`phase ${phase + 1}: ${accepted} accepted + ${unchanged} unchanged ≠ ${copies.length} sent`);
    // Each record is stored at least once, and at most once per distinct copy (id and updatedAt).
    const distinct = new Set(items.map((r) => `${r.type}#${r.id}`)).size;
    if (accepted < distinct) run.problem(`phase ${phase + 1}: ${accepted} accepted < ${distinct} distinct records`);
  }
  if ((run.figures.detail.accepted as number) > distinctCopies) run.problem(`${run.figures.detail.accepted} accepted > ${distinctCopies} distinct copies: a copy was stored twice`);
  log('duplicates: settling');
  await stack.settle();
  run.verdict(await verifyPublished({ url: stack.url, sent, from: options.data.from, to: options.data.to }));
  return run.end();
}
