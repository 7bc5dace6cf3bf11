/**
 * The state table's layout on DynamoDB Local, which enforces DynamoDB's 400 KB item limit: no item grows
 * with the number of units or periods, a period never goes back to an earlier asOf, and a reader never
 * takes half of one write and half of another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables, localClient, startDynamo, type LocalDynamo } from '../../local/dynamodb.ts';
import { DynamoStateStore } from '../../functions/src/store/dynamodb/state-store.ts';
import { ScoresBeingWritten, type WatchEntry } from '../../functions/src/store/ports.ts';
import { periodsBetween } from '../../shared-types/src/periods.ts';
import { inParallel } from '../../functions/src/commons/parallel.ts';
import type { ScoresSnapshot } from '../../shared-types/src/snapshots.ts';
import { syntheticScores, syntheticUnits } from '../support/synthetic-city.ts';

type Item = Record<string, AttributeValue>;
let dynamo: LocalDynamo;
let client: DynamoDBClient;
let state: DynamoStateStore;
const TABLE = 'layout-State';
/** Size of every item written, as DynamoDB counts it (attribute names plus values), by the kind of its pk. */
const written = new Map<string, number[]>();

const valueSize = (value: AttributeValue): number =>
  value.S !== undefined ? Buffer.byteLength(value.S) : value.N !== undefined ? value.N.length : value.B !== undefined ? value.B.length : value.BOOL !== undefined ? 1
    : value.L ? value.L.reduce((sum, v) => sum + valueSize(v) + 1, 3) : value.M ? Object.entries(value.M).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + valueSize(v) + 1, 3) : 0;
const itemSize = (item: Item) => Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
const kindOf = (item: Item) => item.pk.S!.replace(/#.*/, '#');
const largest = (kind: string) => Math.max(0, ...(written.get(kind) ?? []));

beforeAll(async () => {
  dynamo = await startDynamo();
  await ensureTables(dynamo.endpoint, 'layout-');
  client = localClient(dynamo.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Item?: Item; RequestItems?: Record<string, { PutRequest?: { Item: Item } }[]> };
      const items = context.commandName === 'PutItemCommand' ? [input.Item!] : context.commandName === 'BatchWriteItemCommand' ? Object.values(input.RequestItems!).flat().flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : [])) : [];
      for (const item of items) written.set(kindOf(item), [...(written.get(kindOf(item)) ?? []), itemSize(item)]);
      return next(args);
    },
    { step: 'initialize', name: 'measureItems' },
  );
  state = new DynamoStateStore(client, TABLE);
});
afterAll(async () => dynamo?.stop());

const snapshotOf = (units: ReturnType<typeof syntheticUnits>, period: string, asOf: string): ScoresSnapshot => ({
  period, method: '766-v1', asOf, provisional: true, scores: syntheticScores(units, period, asOf),
});

describe('no item grows with the number of units or periods', () => {
  const city = syntheticUnits(3_000);

  it('3,000 units: one item per period is past the limit; one item per (period, unit) stores and reads back the period', async () => {
    const snapshot = snapshotOf(city, '2024-03', '2024-03-20T05:00:00.000Z');
    // The layout before: the whole period in one gzipped item.
    const whole = gzipSync(JSON.stringify(snapshot));
    expect(whole.length).toBeGreaterThan(400 * 1024);
    await expect(client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'scores' }, sk: { S: '2024-03' }, data: { B: whole } } }))).rejects.toThrow(/size/i);

    expect(await state.putPeriodScores(snapshot)).toBe(true);
    expect(await state.getPeriodScores('2024-03')).toEqual(snapshot);
    expect(await state.getUnitScores(city[1000].id, ['2024-03'])).toEqual([snapshot.scores[1000]]);
    expect(largest('score#')).toBeLessThan(2_000);
    expect(largest('period')).toBeLessThan(300);
  });

  it('300 units or 3,000: the largest score item is the same size; a unit’s history over 68 periods is one item per period', async () => {
    const small = syntheticUnits(300);
    written.clear();
    await state.putPeriodScores(snapshotOf(small, '2025-01', '2025-01-20T05:00:00.000Z'));
    const forSmall = largest('score#');
    written.clear();
    await state.putPeriodScores(snapshotOf(city, '2025-02', '2025-02-20T05:00:00.000Z'));
    expect(Math.abs(largest('score#') - forSmall)).toBeLessThan(100);

    const periods = periodsBetween('2023-01', '2026-12').map((p) => p.id);
    expect(periods).toHaveLength(68);
    written.clear();
    const ward = small.find((unit) => unit.kind === 'ward')!;
    await inParallel(periods, 8, (period) => state.putPeriodCounts(period, new Map([[ward.id, { counts: { received: 120, dossiers: 300 } }]])));
    expect(written.get('counts#')).toHaveLength(68);
    expect(largest('counts#')).toBeLessThan(300);
    expect((await Promise.all(periods.map((period) => state.getPeriodCountsOf(period, [ward.id])))).filter((found) => found.size === 1)).toHaveLength(68);
  });

  it('every unit’s counts for a period, the watch list and dirty notes of 3,000 units: bounded items, read back whole', async () => {
    written.clear();
    await state.putPeriodCounts('2024-04', new Map(city.map((unit, i) => [unit.id, { counts: { received: i, dossiers: 2 * i } }])));
    const counts = await state.listPeriodCounts('2024-04');
    expect(counts.size).toBe(3_000);
    expect(counts.get(city[1234].id)).toEqual({ counts: { received: 1234, dossiers: 2468 } });
    expect((await state.getPeriodCountsOf('2024-04', [city[7].id, city[8].id])).size).toBe(2);

    const watch = new Map<string, WatchEntry | null>(city.map((unit, i) => [unit.id, { awaitingProcedure: 1 + (i % 3) }]));
    await state.putWatch(watch);
    const listed = await state.listWatch();
    expect(listed.size).toBe(3_000);
    expect(listed.get(city[5].id)).toEqual({ awaitingProcedure: 3 });
    expect(largest('watch')).toBeLessThan(200);
    await state.putWatch(new Map([[city[5].id, null]]));
    expect((await state.listWatch()).has(city[5].id)).toBe(false);

    await state.markDirty(city.map((unit) => unit.id));
    const notes = await state.listDirty();
    expect(notes.map((note) => note.unitIds.length).sort()).toEqual([1_000, 1_000, 1_000]);
    expect(new Set(notes.flatMap((note) => note.unitIds)).size).toBe(3_000);
    for (const note of notes) await state.clearDirty(note);

    // 25,000 records written at once: three notes, each far below the item limit
    written.clear();
    await state.markRecordsDirty(Array.from({ length: 25_000 }, (_, i) => `dossier#HS-2026-${String(i).padStart(9, '0')}`));
    const recordNotes = await state.listDirty();
    expect(recordNotes.map((note) => note.recordKeys.length).sort()).toEqual([10_000, 10_000, 5_000].sort());
    expect(largest('dirty')).toBeLessThan(100_000);
    for (const note of recordNotes) await state.clearDirty(note);
  });
});

describe('a period never goes back to an earlier asOf', () => {
  const units = syntheticUnits(120);
  const at = (time: string) => `2024-05-20T${time}:00.000Z`;

  it('storing scores judged earlier than the stored ones is refused and changes nothing, the head nor any unit', async () => {
    const later = snapshotOf(units, '2024-05', at('10:00'));
    const earlier = { ...snapshotOf(units, '2024-05', at('09:00')), scores: syntheticScores(units, '2024-05', at('09:00'), 99) };
    expect(await state.putPeriodScores(later)).toBe(true);
    expect(await state.putPeriodScores(earlier)).toBe(false);
    expect(await state.getPeriodScores('2024-05')).toEqual(later);
    expect((await state.getUnitScores(units[10].id, ['2024-05']))[0]).toEqual(later.scores[10]);
    expect((await state.getPeriodHead('2024-05'))?.asOf).toBe(at('10:00'));
    // The same instant again is no step back (a retried write), and a later one replaces it.
    expect(await state.putPeriodScores(later)).toBe(true);
    const latest = snapshotOf(units, '2024-05', at('11:00'));
    expect(await state.putPeriodScores(latest)).toBe(true);
    expect(await state.getPeriodScores('2024-05')).toEqual(latest);
  });

  it('a write that stopped halfway is never read as a period: readers wait, then say it is being written; the next write mends it', async () => {
    const first = snapshotOf(units, '2024-06', at('10:00'));
    await state.putPeriodScores(first);
    // The next write dies after its first batch of units.
    let batches = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++batches > 1) throw new Error('killed mid-write');
        return next(args);
      },
      { step: 'initialize', name: 'dieMidWrite' },
    );
    await expect(state.putPeriodScores(snapshotOf(units, '2024-06', at('10:05')))).rejects.toThrow('killed mid-write');
    client.middlewareStack.remove('dieMidWrite');
    await expect(state.getPeriodScores('2024-06')).rejects.toBeInstanceOf(ScoresBeingWritten);
    const mended = snapshotOf(units, '2024-06', at('10:06'));
    expect(await state.putPeriodScores(mended)).toBe(true);
    expect(await state.getPeriodScores('2024-06')).toEqual(mended);
  });

  it('a unit no longer in the registry keeps its old item, which is left out of the period', async () => {
    const before = snapshotOf(units, '2024-07', at('10:00'));
    await state.putPeriodScores(before);
    const fewer = units.filter((unit) => unit.id !== units.at(-1)!.id);
    const after = snapshotOf(fewer, '2024-07', at('10:10'));
    await state.putPeriodScores(after);
    expect((await state.getPeriodScores('2024-07'))?.scores.map((s) => s.unitId)).toEqual(fewer.map((unit) => unit.id));
  });
});
