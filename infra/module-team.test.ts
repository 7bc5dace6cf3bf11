/**
 * A department team's role (infra/lib/module-team-stack.ts), evaluated on object keys: it may write only its own
 * staging prefix, files of the allow-listed extensions, never a version folder (the registry copies accepted
 * versions there with the allow-listed content type), never another team's prefix or the site's files.
 * One small app (a bucket and two team stacks): no synthesis of the whole application.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ModuleTeamStack } from './lib/module-team-stack.ts';
import { MODULE_ASSET_TYPES, STAGING_PREFIX, stagedKeyOf } from '../functions/src/domain/modules/rules.ts';

interface Statement { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }

function teamStatements(moduleName: string, others: string[] = []): Statement[] {
  const app = new App();
  const data = new Stack(app, 'Data');
  const bucket = new s3.Bucket(data, 'Public');
  const stacks = [moduleName, ...others].map((name) => new ModuleTeamStack(app, `Module-${name}`, { moduleName: name, bucket, apiEndpoint: 'https://example.org', ci: { repositories: {} } }));
  const policies = Object.values(Template.fromStack(stacks[0]).findResources('AWS::IAM::Policy'));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const list = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);
/** The object-key part of a resource (`arn:…:bucket/<key pattern>`), whatever CloudFormation function builds the ARN. */
function keyPattern(resource: unknown): string | null {
  const strings = JSON.stringify(resource).match(/"[^"]*"/g)!.map((s) => JSON.parse(s) as string);
  const tail = strings[strings.length - 1];
  return tail.startsWith('/') ? tail.slice(1) : null; // the bucket itself (ListBucket) has no key part
}
/** IAM's `*` matches any characters, `/` included. */
const matches = (pattern: string, key: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`).test(key);

/** Whether the role's statements allow `action` on the object `key` (IAM: an Allow whose action and resource match). */
function allows(statements: Statement[], action: string, key: string): boolean {
  return statements.some((statement) => statement.Effect === 'Allow' && list(statement.Action).includes(action)
    && list(statement.Resource).some((resource) => { const pattern = keyPattern(resource); return pattern !== null && matches(pattern, key); }));
}

describe('a team role (ModuleTeamStack)', () => {
  const statements = teamStatements('health', ['dental']);

  it('writes only its own staging prefix, and only .js, .css, .map and its data (.json, .csv) files there', () => {
    expect(Object.keys(MODULE_ASSET_TYPES).sort()).toEqual(['.css', '.csv', '.js', '.json', '.map']);
    for (const key of ['health/1.0.0/health-ab12.js', 'health/1.0.0/health-ab12.css', 'health/1.0.0/health-ab12.js.map', 'health/1.0.0/data/clinics.csv', 'health/1.0.0/data/summary.json']) {
      expect([key, allows(statements, 's3:PutObject', `${STAGING_PREFIX}${key}`)]).toEqual([key, true]);
    }
    expect(allows(statements, 's3:PutObject', stagedKeyOf('/modules/health/2.0.0/health-cd34.js'))).toBe(true);
    const refused = [
      'modules/health/1.0.0/health-ab12.js', // its version folder: the registry's to write
      'modules/health/1.0.0/health-ab12.css', 'modules/health/1.0.0/data/clinics.csv',
      `${STAGING_PREFIX}health/1.0.0/page.html`, `${STAGING_PREFIX}health/1.0.0/image.svg`, `${STAGING_PREFIX}health/1.0.0/noext`,
      `${STAGING_PREFIX}health/1.0.0/x.js.html`, `${STAGING_PREFIX}health.js`, `${STAGING_PREFIX}healthy/1.0.0/x.js`,
      `${STAGING_PREFIX}dental/1.0.0/dental-ab12.js`, 'modules/dental/1.0.0/dental-ab12.js', // another team's
      'index.html', 'importmap.json', 'modules.json', 'csp.txt', 'shell/root-config-x.js', 'shared/svelte-x.js', 'data/latest.json',
    ];
    for (const key of refused) expect([key, allows(statements, 's3:PutObject', key)]).toEqual([key, false]);
  });

  it('deletes only its own staged files, and reads only its own module', () => {
    expect(allows(statements, 's3:DeleteObject', `${STAGING_PREFIX}health/1.0.0/health-ab12.js`)).toBe(true);
    for (const key of ['modules/health/1.0.0/health-ab12.js', `${STAGING_PREFIX}dental/1.0.0/dental-ab12.js`, 'index.html']) {
      expect([key, allows(statements, 's3:DeleteObject', key)]).toEqual([key, false]);
    }
    expect(allows(statements, 's3:GetObject', 'modules/health/1.0.0/health-ab12.js')).toBe(true);
    expect(allows(statements, 's3:GetObject', 'modules/dental/1.0.0/dental-ab12.js')).toBe(false);
  });

  it('has no other action, lists only its own prefixes, and no statement names another team', () => {
    for (const statement of statements) {
      for (const action of list(statement.Action)) expect(['s3:PutObject', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket']).toContain(action);
      if (list(statement.Action).includes('s3:ListBucket')) {
        expect(statement.Condition).toEqual({ StringLike: { 's3:prefix': ['modules/health/*', `${STAGING_PREFIX}health/*`] } });
      }
    }
    expect(JSON.stringify(statements)).not.toContain('dental');
  });

  it('takes the registry’s name rule', () => {
    expect(() => teamStatements('Health')).toThrow(/^"Health" is not a module name: 1 to 40 characters/);
    expect(() => teamStatements('x'.repeat(41))).toThrow(/not a module name/);
  });
});
