import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PENDING_COUNT_LIMIT, ScoresBeingWritten, type DirtyNote, type IngestKey, type PeriodCounts, type PeriodHead, type PublishItem, type StateStore, type WatchEntry } from '../ports.ts';
import type { ModuleVersion, RegistryState } from '../../domain/modules/rules.ts';
import type { UnitScore } from '../../../../shared-types/src/scores.ts';
import type { ScoresSnapshot } from '../../../../shared-types/src/snapshots.ts';
import { periodMonthSpan } from '../../../../shared-types/src/periods.ts';
import { chunks, inParallel } from '../../commons/parallel.ts';
import { backoff, batchGet, batchWrite } from './client.ts';

type Item = Record<string, AttributeValue>;

/**
 * Item families of the state table. Every key format lives here (the tallies' in tally-store.ts), and no item grows with the number of units
 * or periods: scores and counts are one item per (period, unit), the watch list one item per unit.
 */
const family = {
  dirty: 'dirty', publish: 'publish', meta: 'meta', key: 'key',
  /** sk the job (`scoring`, `publishing`): who holds it, until when. */
  lease: 'lease',
  /** sk the unit: its dossiers waiting for their procedure. */
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
  /** `errors#<name>`, sk the city day: `total` and one counter `n:<version> <kind>` per reported failure. */
  moduleErrors: (name: string) => `errors#${name}`,
} as const;

/** A head's sort key: months, quarters and years apart (`m#2024-03`), so "the last month before X" is one bounded Query. */
const headKey = (period: string) => `${periodMonthSpan(period)?.kind[0] ?? 'x'}#${period}`;
const periodOfPk = (pk: string) => pk.slice(pk.indexOf('#') + 1);

/** A dirty note names at most this many units (a rebuild of a large registry writes several notes). */
const UNITS_PER_NOTE = 1_000;
/** A dirty note names at most this many records (gzipped, far below the item limit). */
const RECORDS_PER_NOTE = 10_000;
/** BatchWriteItem calls in flight when a period's scores are stored (25 units each). */
const SCORE_BATCHES_IN_FLIGHT = 8;

const packed = (value: unknown): AttributeValue => ({ B: gzipSync(JSON.stringify(value)) });
const unpacked = (attribute: AttributeValue | undefined): unknown => (attribute?.B ? JSON.parse(gunzipSync(attribute.B).toString('utf8')) : undefined);
const isRefused = (error: unknown) => error instanceof ConditionalCheckFailedException;

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

  private async queryAll(pk: string, projection?: string): Promise<Item[]> {
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

  async markRecordsDirty(recordKeys: Iterable<string>): Promise<void> {
    const now = Date.now();
    for (const keys of chunks([...new Set(recordKeys)], RECORDS_PER_NOTE)) {
      await this.putItem({ pk: { S: family.dirty }, sk: { S: `${now}#${randomUUID()}` }, records: packed(keys), markedAtMs: { N: String(now) } });
    }
  }

  async listDirty(): Promise<DirtyNote[]> {
    const items = await this.queryAll(family.dirty);
    return items.map((item) => ({
      id: item.sk.S!, unitIds: (unpacked(item.units) as string[] | undefined) ?? [], recordKeys: (unpacked(item.records) as string[] | undefined) ?? [], markedAtMs: Number(item.markedAtMs.N),
    }));
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

  async putPeriodCounts(period: string, byUnit: Map<string, PeriodCounts>): Promise<void> {
    const puts = [...byUnit].map(([unitId, value]) => ({ PutRequest: { Item: { pk: { S: family.counts(period) }, sk: { S: unitId }, data: packed(value) } } }));
    await batchWrite(this.client, this.table, puts);
  }

  async listPeriodCounts(period: string): Promise<Map<string, PeriodCounts>> {
    const items = await this.queryAll(family.counts(period));
    return new Map(items.map((item) => [item.sk.S!, unpacked(item.data) as PeriodCounts]));
  }

  async getPeriodCountsOf(period: string, unitIds: string[]): Promise<Map<string, PeriodCounts>> {
    const items = await batchGet(this.client, this.table, unitIds.map((unitId) => ({ pk: { S: family.counts(period) }, sk: { S: unitId } })));
    return new Map(items.map((item) => [item.sk.S!, unpacked(item.data) as PeriodCounts]));
  }

  // Scores: one item per (period, unit), and a head per period -----------------------------------

  async putPeriodScores(snapshot: ScoresSnapshot): Promise<boolean> {
    const asOfMs = { N: String(Date.parse(snapshot.asOf)) };
    // The head first, conditionally: a period never goes back to an earlier asOf, and a run that is behind
    // writes nothing. Then every unit, in batches. A reader takes the period only when it finds as many units
    // at the head's asOf as the head announces, so it never sees half of one write and half of another.
    const claimed = await this.putIfNotOlder({
      pk: { S: family.period }, sk: { S: headKey(snapshot.period) }, asOfMs,
      period: { S: snapshot.period }, method: { S: snapshot.method }, asOf: { S: snapshot.asOf }, provisional: { BOOL: snapshot.provisional },
      units: { N: String(snapshot.scores.length) },
    });
    if (!claimed) return false;
    const pk = { S: family.scores(snapshot.period) };
    const puts = snapshot.scores.map((score, order) => ({ PutRequest: { Item: { pk, sk: { S: score.unitId }, asOfMs, order: { N: String(order) }, data: packed(score) } } }));
    await batchWrite(this.client, this.table, puts, SCORE_BATCHES_IN_FLIGHT);
    return true;
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
      // Units at another asOf are either being rewritten (a later one: read again) or no longer in the registry (ignored).
      const current = (await this.queryAll(family.scores(period))).filter((item) => item.asOfMs.N === head.asOfMs.N);
      const { units, ...rest } = toHead(head);
      if (current.length !== units) continue;
      current.sort((a, b) => Number(a.order.N) - Number(b.order.N));
      return { ...rest, scores: current.map((item) => unpacked(item.data) as UnitScore) };
    }
    throw new ScoresBeingWritten(period);
  }

  async getUnitScores(unitId: string, periods: string[]): Promise<UnitScore[]> {
    const items = await batchGet(this.client, this.table, periods.map((period) => ({ pk: { S: family.scores(period) }, sk: { S: unitId } })));
    return items.map((item) => unpacked(item.data) as UnitScore);
  }

  // The watch list: one item per unit -----------------------------------------------------------

  async listWatch(): Promise<Map<string, WatchEntry>> {
    const items = await this.queryAll(family.watch);
    return new Map(items.map((item) => [item.sk.S!, { awaitingProcedure: Number(item.awaitingProcedure.N) }]));
  }

  async putWatch(changes: Map<string, WatchEntry | null>): Promise<void> {
    const requests = [...changes].map(([unitId, entry]): WriteRequest => {
      const key: Item = { pk: { S: family.watch }, sk: { S: unitId } };
      if (!entry) return { DeleteRequest: { Key: key } };
      const item: Item = { ...key, awaitingProcedure: { N: String(entry.awaitingProcedure) } };
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

  async countModuleError(name: string, day: string, counter: string, cap: number): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: family.moduleErrors(name) }, sk: { S: day } },
        UpdateExpression: 'ADD #total :one, #counter :one',
        ConditionExpression: 'attribute_not_exists(#total) OR #total < :cap',
        ExpressionAttributeNames: { '#total': 'total', '#counter': `n:${counter}` },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':cap': { N: String(cap) } },
      }));
      return true;
    } catch (error) {
      if (isRefused(error)) return false;
      throw error;
    }
  }

  async listModuleErrors(name: string, sinceDay: string): Promise<{ day: string; total: number; counts: Record<string, number> }[]> {
    const reply = await this.client.send(new QueryCommand({
      TableName: this.table, ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      ExpressionAttributeValues: { ':pk': { S: family.moduleErrors(name) }, ':since': { S: sinceDay } },
    })); // one item a day: a month is far below a page
    return (reply.Items ?? []).map((item) => ({
      day: item.sk.S!, total: Number(item.total.N),
      counts: Object.fromEntries(Object.entries(item).filter(([attribute]) => attribute.startsWith('n:')).map(([attribute, value]) => [attribute.slice(2), Number(value.N)])),
    }));
  }
}
