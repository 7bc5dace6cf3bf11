import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PENDING_COUNT_LIMIT, ScoresBeingWritten, type DirtyNote, type IngestKey, type PeriodHead, type PublishItem, type StateStore, type WatchEntry } from '../ports.ts';
import type { ModuleVersion, RegistryState } from '../../domain/modules/rules.ts';
import type { UnitScore } from '../../../../shared-types/src/scores.ts';
import type { ScoresSnapshot } from '../../../../shared-types/src/snapshots.ts';
import { periodMonthSpan } from '../../../../shared-types/src/periods.ts';
import { chunks, inParallel } from '../../commons/parallel.ts';
import { backoff, batchGet, batchWrite } from './client.ts';

type Item = Record<string, AttributeValue>;

/**
 * Item families of the state table. Every key format lives here, and no item grows with the number of units
 * or periods: scores and counts are one item per (period, unit), the watch list one item per unit.
 */
const family = {
  dirty: 'dirty', publish: 'publish', meta: 'meta', key: 'key',
  /** sk the job (`scoring`, `publishing`): who holds it, until when. */
  lease: 'lease',
  /** sk the unit: when it must be judged again, dossiers waiting for their procedure. */
  watch: 'watch',
  /** sk `headKey(period)`: one small item per scored period (its asOf, and how many unit scores it has). */
  period: 'period',
  /** `score#<period>`, sk the unit: that unit's score. A period's scores are one Query; a unit's history a BatchGet. */
  scores: (period: string) => `score#${period}`,
  /** `counts#<period>`, sk the unit: that unit's own counts and 1022 figures. */
  counts: (period: string) => `counts#${period}`,
  /** One item (sk `current`): the live version of every module, with a revision for conditional writes. */
  registry: 'registry',
  /** `module#<name>`, sk the version: every version ever published, never overwritten. */
  moduleVersion: (name: string) => `module#${name}`,
} as const;

/** A head's sort key: months, quarters and years apart (`m#2024-03`), so "the last month before X" is one bounded Query. */
const headKey = (period: string) => `${periodMonthSpan(period)?.kind[0] ?? 'x'}#${period}`;
const periodOfPk = (pk: string) => pk.slice(pk.indexOf('#') + 1);

/** A dirty note names at most this many units (a rebuild of a large registry writes several notes). */
const UNITS_PER_NOTE = 1_000;
/** A period's changed scores are stored in transactions of 99 units and the head's check, 8 at a time. */
const UNITS_PER_TRANSACTION = 99;
const TRANSACTIONS_IN_FLIGHT = 8;

const packed = (value: unknown): AttributeValue => ({ B: gzipSync(JSON.stringify(value)) });
const unpacked = (attribute: AttributeValue | undefined): unknown => (attribute?.B ? JSON.parse(gunzipSync(attribute.B).toString('utf8')) : undefined);
const isRefused = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** What a score says, whenever it was judged: an item is rewritten only when this changes. */
const figuresHash = (score: UnitScore) => createHash('sha256').update(JSON.stringify({ ...score, asOf: null })).digest('base64url').slice(0, 22);
/** A stored score as of its period's head (an item unchanged since an earlier run still holds at the head's asOf). */
function judgedAt(item: Item, head: Item | undefined): UnitScore {
  const score = unpacked(item.data) as UnitScore;
  return head && Number(item.asOfMs.N) <= Number(head.asOfMs.N) ? { ...score, asOf: head.asOf.S!, provisional: head.provisional.BOOL! } : score;
}

const toHead = (item: Item): PeriodHead => ({
  period: item.period.S!, method: item.method.S!, asOf: item.asOf.S!, provisional: item.provisional.BOOL!, units: Number(item.units.N),
});

const toKey = (item: Item): IngestKey => {
  const key: IngestKey = { hash: item.sk.S!, name: item.name.S!, scopes: item.scopes.L!.map((scope) => scope.S!) };
  if (item.modules?.L) key.modules = item.modules.L.map((name) => name.S!);
  for (const name of ['createdAt', 'expiresAt', 'revokedAt'] as const) if (item[name]?.S) key[name] = item[name].S;
  return key;
};

export class DynamoStateStore implements StateStore {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.client = client;
    this.table = table;
  }

  private async queryAll(pk: string, projection?: string, names?: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const reply = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ExclusiveStartKey: start,
          ConsistentRead: true,
          ...(projection ? { ProjectionExpression: projection } : {}),
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      items.push(...(reply.Items ?? []));
      start = reply.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async getItem(pk: string, sk: string): Promise<Item | undefined> {
    const reply = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }));
    return reply.Item;
  }

  private async putItem(item: Item): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: item }));
  }

  /** Puts the item unless the stored one has a later `asOfMs`; false if it has. */
  private async putIfNotOlder(item: Item): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR asOfMs <= :asOf',
          ExpressionAttributeValues: { ':asOf': item.asOfMs },
        }),
      );
      return true;
    } catch (error) {
      if (isRefused(error)) return false;
      throw error;
    }
  }

  /** Marks items stale with a fresh token each (plain puts, so they batch; a counter needs one UpdateItem each). */
  private async mark(pk: string, sks: Iterable<string>): Promise<void> {
    const markedAtMs = { N: String(Date.now()) };
    const puts = [...new Set(sks)].map((sk) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: sk }, mark: { S: randomUUID() }, markedAtMs } } }));
    await batchWrite(this.client, this.table, puts);
  }

  /** Deletes a mark only if nobody marked the item again since it was read. */
  private async deleteIfMark(pk: string, sk: string, mark: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: pk }, sk: { S: sk } },
          ConditionExpression: '#m = :m',
          ExpressionAttributeNames: { '#m': 'mark' },
          ExpressionAttributeValues: { ':m': { S: mark } },
        }),
      );
    } catch (error) {
      if (!isRefused(error)) throw error;
    }
  }

  /** Counts a partition's items up to `limit` (one page: a status request stays bounded whatever the backlog). */
  private async countUpTo(pk: string, limit: number): Promise<number> {
    const reply = await this.client.send(
      new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, Select: 'COUNT', Limit: limit, ConsistentRead: true,
      }),
    );
    return reply.Count ?? 0;
  }

  // Leases ------------------------------------------------------------------------------------

  async takeLease(name: string, owner: string, nowMs: number, untilMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: { S: family.lease }, sk: { S: name }, owner: { S: owner }, expiresAtMs: { N: String(untilMs) } },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now',
          ExpressionAttributeValues: { ':now': { N: String(nowMs) } },
        }),
      );
      return true;
    } catch (error) {
      if (isRefused(error)) return false;
      throw error;
    }
  }

  async renewLease(name: string, owner: string, untilMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: { S: family.lease }, sk: { S: name } },
          UpdateExpression: 'SET expiresAtMs = :until',
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner }, ':until': { N: String(untilMs) } },
        }),
      );
      return true;
    } catch (error) {
      if (isRefused(error)) return false;
      throw error;
    }
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: family.lease }, sk: { S: name } },
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      if (!isRefused(error)) throw error;
    }
  }

  // Dirty notes and the publish queue -----------------------------------------------------------

  async markDirty(unitIds: Iterable<string>): Promise<void> {
    const now = Date.now();
    for (const ids of chunks([...new Set(unitIds)], UNITS_PER_NOTE)) {
      await this.putItem({ pk: { S: family.dirty }, sk: { S: `${now}#${randomUUID()}` }, units: packed(ids), markedAtMs: { N: String(now) } });
    }
  }

  async listDirty(): Promise<DirtyNote[]> {
    const items = await this.queryAll(family.dirty);
    return items.map((item) => ({ id: item.sk.S!, unitIds: unpacked(item.units) as string[], markedAtMs: Number(item.markedAtMs.N) }));
  }

  async clearDirty(note: DirtyNote): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: { S: family.dirty }, sk: { S: note.id } } }));
  }

  async countPending(): Promise<number> {
    const [notes, queue] = await Promise.all([this.countUpTo(family.dirty, PENDING_COUNT_LIMIT), this.countUpTo(family.publish, PENDING_COUNT_LIMIT)]);
    return notes + queue;
  }

  async queuePublish(periods: Iterable<string>): Promise<void> {
    await this.mark(family.publish, periods);
  }

  async listPublishQueue(): Promise<PublishItem[]> {
    const items = await this.queryAll(family.publish);
    return items.map((item) => ({ period: item.sk.S!, mark: item.mark.S! }));
  }

  clearPublish(item: PublishItem): Promise<void> {
    return this.deleteIfMark(family.publish, item.period, item.mark);
  }

  // Counts: one item per (period, unit) ---------------------------------------------------------

  async getUnitCounts(unitId: string, periods: string[]): Promise<Map<string, unknown>> {
    const items = await batchGet(this.client, this.table, periods.map((period) => ({ pk: { S: family.counts(period) }, sk: { S: unitId } })));
    return new Map(items.map((item) => [periodOfPk(item.pk.S!), unpacked(item.data)]));
  }

  async putUnitCounts(unitId: string, byPeriod: Map<string, unknown>): Promise<void> {
    const puts = [...byPeriod].map(([period, value]) => ({ PutRequest: { Item: { pk: { S: family.counts(period) }, sk: { S: unitId }, data: packed(value) } } }));
    await batchWrite(this.client, this.table, puts);
  }

  async listPeriodCounts(period: string): Promise<Map<string, unknown>> {
    const items = await this.queryAll(family.counts(period));
    return new Map(items.map((item) => [item.sk.S!, unpacked(item.data)]));
  }

  async getPeriodCountsOf(period: string, unitIds: string[]): Promise<Map<string, unknown>> {
    const items = await batchGet(this.client, this.table, unitIds.map((unitId) => ({ pk: { S: family.counts(period) }, sk: { S: unitId } })));
    return new Map(items.map((item) => [item.sk.S!, unpacked(item.data)]));
  }

  // Scores: one item per (period, unit), and a head per period -----------------------------------

  async putPeriodScores(snapshot: ScoresSnapshot): Promise<boolean> {
    const asOfMs = { N: String(Date.parse(snapshot.asOf)) };
    const head = await this.getItem(family.period, headKey(snapshot.period));
    if (head && Number(head.asOfMs.N) > Date.parse(snapshot.asOf)) return false;
    // Only the units whose score changed are written (most of a city's do not move in a minute), each on
    // condition that nothing judged later is stored, nor a later head; then units gone from the registry are
    // removed; the head goes last. A reader takes the period only when no unit is newer than the head and the head's count of
    // units is there, so it never takes half of a write.
    const pk = { S: family.scores(snapshot.period) };
    const stored = new Map((await this.queryAll(pk.S, 'sk, #h, #o', { '#h': 'hash', '#o': 'order' })).map((item) => [item.sk.S!, item]));
    const changed = snapshot.scores.flatMap((score, order) => {
      const hash = figuresHash(score);
      const before = stored.get(score.unitId);
      if (before?.hash?.S === hash && before.order?.N === String(order)) return [];
      return [{ pk, sk: { S: score.unitId }, asOfMs, order: { N: String(order) }, hash: { S: hash }, data: packed(score) }];
    });
    const kept = new Set(snapshot.scores.map((score) => score.unitId));
    const gone = [...stored.keys()].filter((unitId) => !kept.has(unitId));
    const written = await inParallel(chunks(changed, UNITS_PER_TRANSACTION), TRANSACTIONS_IN_FLIGHT, (items) => this.putScoresIfNotOlder(snapshot.period, items, asOfMs));
    if (written.includes(false)) return false;
    for (const unitId of gone) await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk, sk: { S: unitId } } }));
    return this.putIfNotOlder({
      pk: { S: family.period }, sk: { S: headKey(snapshot.period) }, asOfMs,
      period: { S: snapshot.period }, method: { S: snapshot.method }, asOf: { S: snapshot.asOf }, provisional: { BOOL: snapshot.provisional },
      units: { N: String(snapshot.scores.length) },
    });
  }

  /**
   * One transaction: the units' items, each unless a later one is stored, and only while the period's head is
   * not later either (so a run that is behind cannot slip a unit in after a later run's head). False if refused.
   */
  private async putScoresIfNotOlder(period: string, items: Item[], asOfMs: AttributeValue): Promise<boolean> {
    const notLater = { ConditionExpression: 'attribute_not_exists(pk) OR asOfMs <= :asOf', ExpressionAttributeValues: { ':asOf': asOfMs } };
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await backoff(attempt);
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { ConditionCheck: { TableName: this.table, Key: { pk: { S: family.period }, sk: { S: headKey(period) } }, ...notLater } },
              ...items.map((item) => ({ Put: { TableName: this.table, Item: item, ...notLater } })),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        if (error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
        if (attempt > 30) throw error; // a conflict with another transaction, or throttling: try again
      }
    }
  }

  async getPeriodHead(period: string): Promise<PeriodHead | undefined> {
    const item = await this.getItem(family.period, headKey(period));
    return item ? toHead(item) : undefined;
  }

  async listScoredPeriods(): Promise<PeriodHead[]> {
    return (await this.queryAll(family.period)).map(toHead);
  }

  async lastScoredMonth(month?: string): Promise<string | undefined> {
    const reply = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: { ':pk': { S: family.period }, ':first': { S: 'm#' }, ':last': { S: month ? headKey(month) : 'm#~' } },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return reply.Items?.[0]?.period.S;
  }

  async getPeriodScores(period: string): Promise<ScoresSnapshot | undefined> {
    for (let attempt = 0; attempt < 6; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const head = await this.getItem(family.period, headKey(period));
      if (!head) return undefined;
      const items = await this.queryAll(family.scores(period));
      const { units, ...rest } = toHead(head);
      // A unit newer than the head, or units missing: a write is under way (or died halfway). Read again.
      if (items.length !== units || items.some((item) => Number(item.asOfMs.N) > Number(head.asOfMs.N))) continue;
      items.sort((a, b) => Number(a.order.N) - Number(b.order.N));
      return { ...rest, scores: items.map((item) => judgedAt(item, head)) };
    }
    throw new ScoresBeingWritten(period);
  }

  async getUnitScores(unitId: string, periods: string[]): Promise<UnitScore[]> {
    // Each score with its period's head: an unchanged score's item was written before the period's last asOf.
    const keys = periods.flatMap((period) => [{ pk: { S: family.scores(period) }, sk: { S: unitId } }, { pk: { S: family.period }, sk: { S: headKey(period) } }]);
    const items = await batchGet(this.client, this.table, keys);
    const heads = new Map(items.filter((item) => item.pk.S === family.period).map((item) => [item.period.S!, item]));
    return items.filter((item) => item.pk.S !== family.period).map((item) => judgedAt(item, heads.get(periodOfPk(item.pk.S!))));
  }

  // The watch list: one item per unit -----------------------------------------------------------

  async listWatch(): Promise<Map<string, WatchEntry>> {
    const items = await this.queryAll(family.watch);
    return new Map(items.map((item) => [item.sk.S!, { judgeAgainAfterMs: item.judgeAgainAfterMs ? Number(item.judgeAgainAfterMs.N) : null, awaitingProcedure: Number(item.awaitingProcedure.N) }]));
  }

  async putWatch(changes: Map<string, WatchEntry | null>): Promise<void> {
    const requests = [...changes].map(([unitId, entry]): WriteRequest => {
      const key: Item = { pk: { S: family.watch }, sk: { S: unitId } };
      if (!entry) return { DeleteRequest: { Key: key } };
      const item: Item = { ...key, awaitingProcedure: { N: String(entry.awaitingProcedure) } };
      if (entry.judgeAgainAfterMs !== null) item.judgeAgainAfterMs = { N: String(entry.judgeAgainAfterMs) };
      return { PutRequest: { Item: item } };
    });
    await batchWrite(this.client, this.table, requests);
  }

  // Meta ------------------------------------------------------------------------------------------

  async getMeta(name: string): Promise<Record<string, unknown> | undefined> {
    const item = await this.getItem(family.meta, name);
    return item?.data?.S ? JSON.parse(item.data.S) : undefined;
  }

  putMeta(name: string, value: Record<string, unknown>): Promise<void> {
    return this.putItem({ pk: { S: family.meta }, sk: { S: name }, data: { S: JSON.stringify(value) } });
  }

  async getKey(hash: string): Promise<IngestKey | undefined> {
    const item = await this.getItem(family.key, hash);
    return item ? toKey(item) : undefined;
  }

  putKey(key: IngestKey): Promise<void> {
    const dates = (['createdAt', 'expiresAt', 'revokedAt'] as const).filter((name) => key[name]).map((name) => [name, { S: key[name]! }]);
    return this.putItem({
      pk: { S: family.key }, sk: { S: key.hash }, name: { S: key.name }, scopes: { L: key.scopes.map((scope) => ({ S: scope })) },
      ...(key.modules ? { modules: { L: key.modules.map((name) => ({ S: name })) } } : {}),
      ...Object.fromEntries(dates),
    });
  }

  async listKeys(): Promise<IngestKey[]> {
    return (await this.queryAll(family.key)).map(toKey);
  }

  async getModuleRegistry(): Promise<RegistryState> {
    const item = await this.getItem(family.registry, 'current');
    if (!item) return { revision: 0, current: {} };
    return { revision: Number(item.revision.N), current: JSON.parse(item.data.S!), updatedAt: item.updatedAt?.S };
  }

  async putModuleRegistry(next: RegistryState): Promise<boolean> {
    const first = next.revision === 1;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: family.registry }, sk: { S: 'current' }, revision: { N: String(next.revision) },
            data: { S: JSON.stringify(next.current) }, updatedAt: { S: next.updatedAt ?? new Date().toISOString() },
          },
          ConditionExpression: first ? 'attribute_not_exists(pk)' : 'revision = :previous',
          ...(first ? {} : { ExpressionAttributeValues: { ':previous': { N: String(next.revision - 1) } } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async putModuleVersion(version: ModuleVersion): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: { S: family.moduleVersion(version.name) }, sk: { S: version.version }, data: { S: JSON.stringify(version) } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getModuleVersion(name: string, version: string): Promise<ModuleVersion | undefined> {
    const item = await this.getItem(family.moduleVersion(name), version);
    return item?.data?.S ? (JSON.parse(item.data.S) as ModuleVersion) : undefined;
  }

  async listModuleVersions(name: string): Promise<ModuleVersion[]> {
    const items = await this.queryAll(family.moduleVersion(name));
    return items.map((item) => JSON.parse(item.data.S!) as ModuleVersion);
  }
}
