/**
 * Synthesizes the app for the infra tests, once per test file, with the context of `cdk.json`
 * (the same configuration `cdk synth` uses). Offline: no account, no region, no credentials.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildApp, type ProductStacks } from './main.ts';
import { repoRoot } from './lib/app-function.ts';
import { REGISTRY_BASE } from '../functions/src/domain/modules/render.ts';

export const cdkContext = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/**
 * A site build as small as the web stack needs (its upload, and the base the page is rendered from),
 * so the infra tests synthesize whether or not `npm run build` has run. `shell` names the shell build.
 */
export function siteBuild(shell = 'root-config-test.js'): string {
  const site = mkdtempSync(join(tmpdir(), 'site-'));
  mkdirSync(join(site, 'shell'));
  writeFileSync(join(site, 'shell', shell), 'export {};\n');
  writeFileSync(join(site, REGISTRY_BASE), JSON.stringify({ template: '<!-- csp --><!-- importmap --><!-- head -->', shell: { js: `/shell/${shell}` }, modules: {} }));
  return site;
}

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
  // A site build unless the test names one: dist/web may not be built where the tests run.
  const context = { ...cdkContext, webDist: siteBuild(), ...options.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
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
