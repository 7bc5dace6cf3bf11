/**
 * The DynamoDB tables, defined once. The CDK stack and the local stack both build
 * their tables from these definitions, so the two can never drift apart.
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** Logical id in CloudFormation and suffix of the local table name. */
  id: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** DynamoDB Streams view type, when the table feeds the aggregate handler. */
  stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'KEYS_ONLY';
  globalSecondaryIndexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, if items expire. */
  timeToLiveAttribute?: string;
}

/**
 * `records`: the latest state of every source record, keyed `${type}#${id}`.
 * Its stream tells the aggregate handler which units changed.
 */
export const recordsTable: TableDefinition = {
  id: 'Records',
  partitionKey: { name: 'pk', type: 'S' },
  stream: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    { indexName: 'byUnit', partitionKey: { name: 'unitId', type: 'S' }, sortKey: { name: 'pk', type: 'S' } },
  ],
};

/**
 * `state`: everything derived or operational, one item family per `pk` prefix —
 * dirty units, per-unit counts, scores, the publish queue, ingest keys, the module registry.
 * `gsi1` serves the few reads by another key (a unit's score history).
 */
export const stateTable: TableDefinition = {
  id: 'State',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
  ],
};

export const tableDefinitions = [recordsTable, stateTable];

/**
 * The tables' names on DynamoDB Local: `<prefix><definition id>`, e.g. `local-Records`. The local stack creates
 * them; a script pointed at its DynamoDB Local (npm run recompute) finds them by the same names.
 */
export const localTableNames = (prefix = 'local-') => ({ records: `${prefix}${recordsTable.id}`, state: `${prefix}${stateTable.id}` });
