/**
 * Tallies in the state table. Every key format of the family lives here:
 * - `tally#<generation>#<period>`, sk the unit: one cell (gzipped counters) and `seq`, the last plan applied to it;
 * - `counted#<generation>#<type>#<id>`, sk `-`: a counted copy and `seq`; while its tally may still move with the
 *   clock it is also in `gsi1` under `rejudge#<generation>#<day>`, sorted by rejudgeAfterMs, so the scorer finds
 *   what the clock moved with one bounded Query per day passed;
 * - `plan`, sk `<seq>#<part>`: a plan in parts of at most PLAN_PART_BYTES, deleted once applied.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  type TransactWriteItem,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import { cellOf, isEmpty, plus } from '../../domain/tally/tally.ts';
import { LeaseLost, type CountedCopy, type Fence, type TallyPlan, type TallyStore } from '../ports.ts';
import { backoff, batchGet } from './client.ts';
import { chunks, inParallel } from '../../commons/parallel.ts';

type Item = Record<string, AttributeValue>;

const DAY_MS = 86_400_000;
/** A plan part stays well under DynamoDB's 400 KB item limit. */
const PLAN_PART_BYTES = 300_000;
/** Writes in flight while a plan is applied. */
const WRITES_IN_FLIGHT = 32;

const cellPk = (generation: number, period: string) => `tally#${generation}#${period}`;
const countedPk = (generation: number, key: string) => `counted#${generation}#${key}`;
const rejudgePk = (generation: number, dayIndex: number) => `rejudge#${generation}#${dayIndex}`;
const sortableMs = (ms: number) => String(ms).padStart(15, '0');
const gz = (value: unknown): AttributeValue => ({ B: gzipSync(JSON.stringify(value)) });
const ungz = <T>(attribute: AttributeValue | undefined): T => JSON.parse(gunzipSync(attribute!.B!).toString('utf8')) as T;

const toCounted = (item: Item): CountedCopy => ({
  key: item.key.S!,
  hash: item.hash.S!,
  body: item.body?.S ?? null,
  judgedAtMs: Number(item.judgedAtMs.N),
  rejudgeAfterMs: item.rejudgeAfterMs ? Number(item.rejudgeAfterMs.N) : null,
});

export class DynamoTallyStore implements TallyStore {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async nextPlanSeq(): Promise<number> {
    const reply = await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: 'meta' }, sk: { S: 'tallyPlanSeq' } },
        UpdateExpression: 'ADD seq :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(reply.Attributes!.seq.N);
  }

  /** The lease check that goes with every write of a plan: the write happens only while `fence` holds the lease. */
  private leaseCheck(fence: Fence): TransactWriteItem {
    return {
      ConditionCheck: {
        TableName: this.table, Key: { pk: { S: 'lease' }, sk: { S: fence.lease } },
        ConditionExpression: '#o = :owner', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':owner': { S: fence.owner } },
      },
    };
  }

  /** Puts a plan's part together with the lease check: LeaseLost once another run holds the lease. */
  private async putFenced(fence: Fence, put: TransactWriteItem): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await backoff(attempt);
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: [this.leaseCheck(fence), put] }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) || !error.CancellationReasons) throw error;
        if (error.CancellationReasons[0]?.Code === 'ConditionalCheckFailed') throw new LeaseLost(`The "${fence.lease}" lease is held by another run.`);
        if (attempt > 30) throw error;
      }
    }
  }

  /** A conditional put; false if its condition failed. */
  private async putIf(put: TransactWriteItem['Put']): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand(put!));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async putPlan(plan: TallyPlan, fence: Fence): Promise<void> {
    const body = gzipSync(JSON.stringify(plan));
    const parts = chunks([...body], PLAN_PART_BYTES).map((part) => Uint8Array.from(part));
    // Each part names how many there are: a plan missing a part was never complete, and none of it was applied.
    const puts = parts.map((part, index): TransactWriteItem => ({
      Put: {
        TableName: this.table,
        Item: { pk: { S: 'plan' }, sk: { S: `${sortableMs(plan.seq)}#${String(index).padStart(4, '0')}` }, seq: { N: String(plan.seq) }, part: { B: part }, parts: { N: String(parts.length) } },
      },
    }));
    for (const put of puts) await this.putFenced(fence, put);
  }

  async unfinishedPlan(): Promise<TallyPlan | undefined> {
    const reply = await this.client.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'plan' } }, ConsistentRead: true }),
    );
    const items = reply.Items ?? [];
    if (items.length === 0) return undefined;
    const seq = items[0].seq.N!;
    const parts = items.filter((item) => item.seq.N === seq);
    if (parts.length !== Number(parts[0].parts.N)) {
      await this.deletePlan(Number(seq));
      return this.unfinishedPlan();
    }
    return JSON.parse(gunzipSync(Buffer.concat(parts.map((item) => item.part.B!))).toString('utf8')) as TallyPlan;
  }

  /**
   * Cells: read, add the change, write back on condition that the cell is still as read (read again and retry if
   * not); a cell that already holds this plan (or a later one) is left alone. Counted copies: written unless this
   * plan or a later one wrote them. Plain conditional writes (half the cost of transactional ones): a plan is only
   * ever applied once it is written, and writing it is what the lease guards (putPlan), so a run that outlived its
   * lease can at most apply again a plan the next holder applies too, which changes nothing.
   */
  async applyPlan(plan: TallyPlan): Promise<void> {
    const changes = new Map(plan.cells);
    const cellPut = (key: string, stored: Item | undefined): TransactWriteItem['Put'] | undefined => {
      if (stored && Number(stored.seq.N) >= plan.seq) return undefined;
      const { period, unitId } = cellOf(key);
      return {
        TableName: this.table,
        Item: { pk: { S: cellPk(plan.generation, period) }, sk: { S: unitId }, seq: { N: String(plan.seq) }, data: gz(plus(stored ? ungz(stored.data) : undefined, changes.get(key)!)) },
        ConditionExpression: stored ? 'seq = :read' : 'attribute_not_exists(pk)',
        ...(stored ? { ExpressionAttributeValues: { ':read': stored.seq } } : {}),
      };
    };
    const stored = await this.readCells(plan.generation, [...changes.keys()]);
    await inParallel([...changes.keys()], WRITES_IN_FLIGHT, async (key) => {
      for (let put = cellPut(key, stored.get(key)); put && !(await this.putIf(put)); ) {
        put = cellPut(key, (await this.readCells(plan.generation, [key])).get(key));
      }
    });
    await inParallel(plan.counted, WRITES_IN_FLIGHT, async (copy) => {
      const item: Item = {
        pk: { S: countedPk(plan.generation, copy.key) }, sk: { S: '-' }, seq: { N: String(plan.seq) },
        key: { S: copy.key }, hash: { S: copy.hash }, judgedAtMs: { N: String(copy.judgedAtMs) },
      };
      if (copy.body !== null) item.body = { S: copy.body };
      if (copy.rejudgeAfterMs !== null) {
        item.rejudgeAfterMs = { N: String(copy.rejudgeAfterMs) };
        item.gsi1pk = { S: rejudgePk(plan.generation, Math.floor(copy.rejudgeAfterMs / DAY_MS)) };
        item.gsi1sk = { S: `${sortableMs(copy.rejudgeAfterMs)}#${copy.key}` };
      }
      // Refused: this plan, or a later one, is there.
      await this.putIf({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk) OR seq < :seq', ExpressionAttributeValues: { ':seq': item.seq } });
    });
  }

  /** Stored cell items by cell key, read consistently. */
  private async readCells(generation: number, keys: string[]): Promise<Map<string, Item>> {
    const prefix = `tally#${generation}#`;
    const items = await batchGet(this.client, this.table, keys.map(cellOf).map(({ period, unitId }) => ({ pk: { S: cellPk(generation, period) }, sk: { S: unitId } })));
    return new Map(items.map((item) => [`${item.pk.S!.slice(prefix.length)}|${item.sk.S!}`, item]));
  }

  async deletePlan(seq: number): Promise<void> {
    const reply = await this.client.send(
      new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seq)',
        ExpressionAttributeValues: { ':pk': { S: 'plan' }, ':seq': { S: `${sortableMs(seq)}#` } }, ProjectionExpression: 'pk, sk', ConsistentRead: true,
      }),
    );
    for (const item of reply.Items ?? []) await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: item.pk, sk: item.sk } }));
  }

  async getCounted(generation: number, keys: string[]): Promise<Map<string, CountedCopy>> {
    const items = await batchGet(this.client, this.table, keys.map((key) => ({ pk: { S: countedPk(generation, key) }, sk: { S: '-' } })), { parallel: 8 });
    return new Map(items.map((item) => [item.key.S!, toCounted(item)]));
  }

  async dueForRejudging(generation: number, fromMs: number, toMs: number): Promise<string[]> {
    const due: string[] = [];
    if (toMs <= fromMs) return due;
    for (let day = Math.floor(fromMs / DAY_MS); day <= Math.floor(toMs / DAY_MS); day++) {
      let start: Item | undefined;
      do {
        // gsi1 is eventually consistent: a copy counted a moment ago may be missed here and is found by the next run.
        const reply = await this.client.send(
          new QueryCommand({
            TableName: this.table, IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': { S: rejudgePk(generation, day) }, ':from': { S: sortableMs(fromMs) }, ':to': { S: `${sortableMs(toMs - 1)}#\uffff` } },
            ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': 'key' },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of reply.Items ?? []) due.push(item.key.S!);
        start = reply.LastEvaluatedKey;
      } while (start);
    }
    return due;
  }

  async getCells(generation: number, keys: string[]): Promise<Map<string, Record<string, number>>> {
    const found = new Map<string, Record<string, number>>();
    for (const [key, item] of await this.readCells(generation, keys)) {
      const tally = ungz<Record<string, number>>(item.data);
      if (!isEmpty(tally)) found.set(key, tally);
    }
    return found;
  }

  async listCells(generation: number, period: string): Promise<Map<string, Record<string, number>>> {
    const found = new Map<string, Record<string, number>>();
    let start: Item | undefined;
    do {
      const reply = await this.client.send(
        new QueryCommand({
          TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: cellPk(generation, period) } },
          ExclusiveStartKey: start, ConsistentRead: true,
        }),
      );
      for (const item of reply.Items ?? []) {
        const tally = ungz<Record<string, number>>(item.data);
        if (!isEmpty(tally)) found.set(item.sk.S!, tally);
      }
      start = reply.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
