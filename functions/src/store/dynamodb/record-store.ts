import {
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { RecordType } from '../../../../shared-types/src/records.ts';
import type { RecordStore, RecordVersion, StoredCopy, StoredRecord, WrittenBy } from '../ports.ts';
import { backoff, batchGet } from './client.ts';
import { chunks, inParallel } from '../../commons/parallel.ts';

type Item = Record<string, AttributeValue>;

const toItem = (record: StoredRecord, writtenBy: WrittenBy): Item => ({
  pk: { S: `${record.type}#${record.id}` },
  type: { S: record.type },
  id: { S: record.id },
  unitId: { S: record.unitId },
  updatedAtMs: { N: String(record.updatedAtMs) },
  hash: { S: record.hash },
  body: { S: record.body },
  ...(record.deleted ? { deleted: { BOOL: true } } : {}),
  writtenBy: { M: { keyId: { S: writtenBy.keyId }, keyName: { S: writtenBy.keyName }, at: { S: writtenBy.at } } },
});

const fromItem = (item: Item): StoredRecord => ({
  type: item.type.S as RecordType,
  id: item.id.S!,
  unitId: item.unitId.S!,
  updatedAtMs: Number(item.updatedAtMs.N),
  hash: item.hash.S!,
  body: item.body.S!,
  ...(item.deleted?.BOOL ? { deleted: true as const } : {}),
});

const writtenByOf = (item: Item): WrittenBy | null => {
  const stamp = item.writtenBy?.M;
  return stamp ? { keyId: stamp.keyId.S!, keyName: stamp.keyName.S!, at: stamp.at.S! } : null;
};

/** `AND unitId IN (…)`, in lists of 100 (DynamoDB's limit for IN); nothing when any owner may be replaced. */
function ownerCondition(units: string[] | undefined): { expression: string; values: Item } {
  if (!units) return { expression: '', values: {} };
  if (units.length === 0) return { expression: ' AND attribute_not_exists(pk)', values: {} };
  const names = units.map((_, i) => `:o${i}`);
  const lists = chunks(names, 100).map((list) => `unitId IN (${list.join(', ')})`);
  return { expression: ` AND (${lists.join(' OR ')})`, values: Object.fromEntries(units.map((unitId, i) => [names[i], { S: unitId }])) };
}

export class DynamoRecordStore implements RecordStore {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.client = client;
    this.table = table;
  }

  async versions(keys: string[]): Promise<Map<string, RecordVersion>> {
    const items = await batchGet(this.client, this.table, keys.map((pk) => ({ pk: { S: pk } })), { projection: 'pk, unitId, updatedAtMs, #h, deleted', names: { '#h': 'hash' } });
    return new Map(
      items.map((item) => [item.pk.S!, { unitId: item.unitId.S!, updatedAtMs: Number(item.updatedAtMs.N), hash: item.hash.S!, ...(item.deleted?.BOOL ? { deleted: true as const } : {}) }]),
    );
  }

  async get(key: string): Promise<StoredCopy | undefined> {
    const reply = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { pk: { S: key } }, ConsistentRead: true }));
    return reply.Item ? { ...fromItem(reply.Item), writtenBy: writtenByOf(reply.Item) } : undefined;
  }

  async putIfNewer(records: StoredRecord[], options: { replaceOnlyIn?: string[]; replaceDatedAfterMs?: number; writtenBy: WrittenBy }): Promise<{ notWritten: Set<string> }> {
    const notWritten = new Set<string>();
    const owner = ownerCondition(options.replaceOnlyIn);
    // A copy stored with an impossible updatedAt (from before the clock rule) must not freeze its record.
    const dated = options.replaceDatedAfterMs;
    const replaceable = dated === undefined ? ['updatedAtMs < :u'] : ['updatedAtMs < :u', 'updatedAtMs > :f'];
    const frozenValues: Item = dated === undefined ? {} : { ':f': { N: String(dated) } };
    // DynamoDB refuses parentheses it finds redundant: none around a lone comparison, none around the whole.
    const versions = replaceable.length > 1 ? `(${replaceable.join(' OR ')})` : replaceable[0];
    const condition = owner.expression ? `attribute_not_exists(pk) OR (${versions}${owner.expression})` : ['attribute_not_exists(pk)', ...replaceable].join(' OR ');
    // Transactions of up to 100 conditional puts: one round trip per 100 records, and the condition is
    // evaluated by the database, so two writers racing with different versions keep the later one.
    await inParallel(chunks(records, 100), 2, async (chunk) => {
      let remaining = chunk;
      for (let attempt = 0; remaining.length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt);
        try {
          await this.client.send(
            new TransactWriteItemsCommand({
              TransactItems: remaining.map((record) => ({
                Put: {
                  TableName: this.table,
                  Item: toItem(record, options.writtenBy),
                  ConditionExpression: condition,
                  ExpressionAttributeValues: { ':u': { N: String(record.updatedAtMs) }, ...frozenValues, ...owner.values },
                },
              })),
            }),
          );
          return;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException) || !error.CancellationReasons) throw error;
          const reasons = error.CancellationReasons;
          const failed = remaining.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
          for (const record of failed) notWritten.add(`${record.type}#${record.id}`);
          // Everything else (conflicts with a concurrent transaction, throttling) is retried.
          remaining = remaining.filter((_, i) => reasons[i]?.Code !== 'ConditionalCheckFailed');
          if (attempt > 30) throw error;
        }
      }
    });
    return { notWritten };
  }

  async getMany(keys: string[]): Promise<Map<string, StoredRecord>> {
    const items = await batchGet(this.client, this.table, keys.map((pk) => ({ pk: { S: pk } })), { projection: 'pk, #t, id, unitId, updatedAtMs, #h, body, deleted', names: { '#t': 'type', '#h': 'hash' }, parallel: 8 });
    return new Map(items.map((item) => [item.pk.S!, fromItem(item)]));
  }

  async listByUnit(unitId: string): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    let start: Item | undefined;
    do {
      const reply = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byUnit',
          KeyConditionExpression: 'unitId = :u',
          ExpressionAttributeValues: { ':u': { S: unitId } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of reply.Items ?? []) out.push(fromItem(item));
      start = reply.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
