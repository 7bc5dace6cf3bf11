/**
 * DynamoDB permissions by what a handler does with a table, narrower than the CDK `grant*Data`
 * helpers: no Scan anywhere, and no function may delete a source record (an acknowledged record is durable).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { tableDefinitions } from '../../functions/src/store/tables.ts';

export const READ_ITEMS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** Records are only ever replaced by a newer copy (conditional Put/Update, also inside transactions). */
export const WRITE_RECORDS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** Derived state: dirty marks and queue entries are deleted once handled. */
export const WRITE_STATE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/** The table and each of its indexes by name (from `tables.ts`), never `index/*`. */
export function readableArns(table: dynamodb.ITable): string[] {
  const definition = tableDefinitions.find((d) => d.id === table.node.id);
  if (!definition) throw new Error(`No definition in tables.ts for table "${table.node.id}"`);
  return [table.tableArn, ...definition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)];
}

export function allowRead(fn: lambda.Function, table: dynamodb.ITable): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: READ_ITEMS, resources: readableArns(table) }));
}

export function allowWrite(fn: lambda.Function, table: dynamodb.ITable, actions: string[]): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
}
