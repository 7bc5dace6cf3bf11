/**
 * Synthesizes the app for the infra tests, once per test file, with the context of `cdk.json`
 * (the same configuration `cdk synth` uses). Offline: no account, no region, no credentials.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildApp, type ProductStacks } from './main.ts';
import { repoRoot } from './lib/app-function.ts';

export const cdkContext = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

export interface Synthesized extends ProductStacks {
  app: App;
  outdir: string;
  template: (stack: Stack) => Template;
}

/**
 * `bundle: false` skips esbuild (the assets are placeholders); the stacks test bundles for real.
 * `acknowledgeNag: false` leaves out the cdk-nag acknowledgments (the nag test applies them itself).
 */
export function synthesize(options: { bundle: boolean; context?: Record<string, unknown>; acknowledgeNag?: boolean }): Synthesized {
  delete process.env.CDK_DEFAULT_ACCOUNT;
  delete process.env.CDK_DEFAULT_REGION;
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  const context = { ...cdkContext, ...options.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  const app = new App({ outdir, context });
  const stacks = buildApp(app, { acknowledgeNag: options.acknowledgeNag });
  app.synth();
  const templates = new Map<Stack, Template>();
  const template = (stack: Stack) => {
    if (!templates.has(stack)) templates.set(stack, Template.fromStack(stack));
    return templates.get(stack)!;
  };
  return { ...stacks, app, outdir, template };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Sid?: string;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
export const actionsOf = (statement: Statement) => list(statement.Action);
export const resourcesOf = (statement: Statement) => list(statement.Resource);

/** Every statement of the inline policies attached to a function's role. */
export function statementsOf(fn: lambda.Function): Statement[] {
  const stack = Stack.of(fn);
  const roleId = stack.getLogicalId(fn.role!.node.defaultChild as never);
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}
