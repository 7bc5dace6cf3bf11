import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DirtyNote, IngestKey, PublishItem, StateStore } from '../ports.ts';
import type { ModuleVersion, RegistryState } from '../../domain/modules/rules.ts';
import { batchWrite } from './client.ts';

type Item = Record<string, AttributeValue>;

/** Item families of the state table, by partition key. */
const family = {
  dirty: 'dirty', counts: 'counts', scores: 'scores', publish: 'publish', meta: 'meta', key: 'key',
  /** One item (sk `current`): the live version of every module, with a revision for conditional writes. */
  registry: 'registry',
  /** `module#<name>`, sk the version: every version ever published, never overwritten. */
  moduleVersion: (name: string) => `module#${name}`,
} as const;

const packed = (value: unknown): AttributeValue => ({ B: gzipSync(JSON.stringify(value)) });
const unpacked = (attribute: AttributeValue | undefined): unknown => (attribute?.B ? JSON.parse(gunzipSync(attribute.B).toString('utf8')) : undefined);

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
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async markDirty(unitIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(unitIds)];
    if (ids.length === 0) return;
    const now = Date.now();
    await this.putItem({ pk: { S: family.dirty }, sk: { S: `${now}#${randomUUID()}` }, units: packed(ids), markedAtMs: { N: String(now) } });
  }

  async listDirty(): Promise<DirtyNote[]> {
    const items = await this.queryAll(family.dirty);
    return items.map((item) => ({ id: item.sk.S!, unitIds: unpacked(item.units) as string[], markedAtMs: Number(item.markedAtMs.N) }));
  }

  async clearDirty(note: DirtyNote): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: { S: family.dirty }, sk: { S: note.id } } }));
  }

  async countPending(): Promise<number> {
    const [notes, queue] = await Promise.all([this.queryAll(family.dirty, 'sk'), this.queryAll(family.publish, 'sk')]);
    return notes.length + queue.length;
  }

  async getUnitCounts(unitId: string): Promise<unknown | undefined> {
    return unpacked((await this.getItem(family.counts, unitId))?.data);
  }

  putUnitCounts(unitId: string, value: unknown): Promise<void> {
    return this.putItem({ pk: { S: family.counts }, sk: { S: unitId }, data: packed(value) });
  }

  async listUnitCounts(): Promise<Map<string, unknown>> {
    const items = await this.queryAll(family.counts);
    return new Map(items.map((item) => [item.sk.S!, unpacked(item.data)]));
  }

  async getPeriodScores(period: string): Promise<unknown | undefined> {
    return unpacked((await this.getItem(family.scores, period))?.data);
  }

  putPeriodScores(period: string, value: unknown): Promise<void> {
    return this.putItem({ pk: { S: family.scores }, sk: { S: period }, data: packed(value) });
  }

  async listScoredPeriods(): Promise<string[]> {
    const items = await this.queryAll(family.scores, 'sk');
    return items.map((item) => item.sk.S!);
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

  async getMeta(name: string): Promise<Record<string, unknown> | undefined> {
    const item = await this.getItem(family.meta, name);
    return item?.data?.S ? JSON.parse(item.data.S) : undefined;
  }

  putMeta(name: string, value: Record<string, unknown>): Promise<void> {
    return this.putItem({ pk: { S: family.meta }, sk: { S: name }, data: { S: JSON.stringify(value) } });
  }

  async getKey(hash: string): Promise<IngestKey | undefined> {
    const item = await this.getItem(family.key, hash);
    if (!item) return undefined;
    const key: IngestKey = { hash, name: item.name.S!, scopes: item.scopes.L!.map((scope) => scope.S!) };
    if (item.modules?.L) key.modules = item.modules.L.map((name) => name.S!);
    return key;
  }

  putKey(key: IngestKey): Promise<void> {
    return this.putItem({
      pk: { S: family.key }, sk: { S: key.hash }, name: { S: key.name }, scopes: { L: key.scopes.map((scope) => ({ S: scope })) },
      ...(key.modules ? { modules: { L: key.modules.map((name) => ({ S: name })) } } : {}),
    });
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
