/**
 * DynamoDB permissions by what a handler does with a table, narrower than the CDK `grant*Data`
 * helpers: no Scan anywhere, and no function may delete a source record (an acknowledged record is durable).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

export const READ_ITEMS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/** Records are only ever replaced by a newer copy (conditional Put/Update, also inside transactions). */
export const WRITE_RECORDS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** Derived state: dirty marks and queue entries are deleted once handled. */
export const WRITE_STATE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

export function allowRead(fn: lambda.Function, table: dynamodb.ITable): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: READ_ITEMS, resources: [table.tableArn, `${table.tableArn}/index/*`] }));
}

export function allowWrite(fn: lambda.Function, table: dynamodb.ITable, actions: string[]): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
}
