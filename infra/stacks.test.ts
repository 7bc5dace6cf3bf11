/**
 * Data, API and processing stacks, synthesized once with real (local esbuild) bundling.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinitions, type TableDefinition } from '../functions/src/store/tables.ts';
import { READ_ROUTES } from './lib/api-stack.ts';
import { READ_ITEMS } from './lib/permissions.ts';
import { DEFAULT_LEASE_TTL_MS } from '../functions/src/services/lease.ts';
import { actionsOf, resourcesOf, statementsOf, synthesize, type Synthesized } from './test-support.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});

const logicalId = (construct: { node: { defaultChild?: unknown } }, stack: Stack) => stack.getLogicalId(construct.node.defaultChild as never);

describe('data stack', () => {
  const keySchema = (definition: { partitionKey: { name: string }; sortKey?: { name: string } }) => [
    { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
    ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
  ];

  it.each(tableDefinitions.map((d) => [d.id, d] as [string, TableDefinition]))('table %s is built from tables.ts', (id, definition) => {
    const resource = s.template(s.data).toJSON().Resources[id === 'Records' ? logicalId(s.data.records, s.data) : logicalId(s.data.state, s.data)];
    expect(resource.Type).toBe('AWS::DynamoDB::Table');
    const p = resource.Properties;
    expect(p.KeySchema).toEqual(keySchema(definition));
    expect(p.StreamSpecification).toEqual(definition.stream ? { StreamViewType: definition.stream } : undefined);
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect((p.GlobalSecondaryIndexes ?? []).map((i: { IndexName: string; KeySchema: unknown }) => ({ name: i.IndexName, keys: i.KeySchema }))).toEqual(
      definition.globalSecondaryIndexes.map((i) => ({ name: i.indexName, keys: keySchema(i) })),
    );
    const declared = [definition.partitionKey, definition.sortKey, ...definition.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    for (const key of declared.filter(Boolean)) {
      expect(p.AttributeDefinitions).toContainEqual({ AttributeName: key!.name, AttributeType: key!.type });
    }
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('keeps the public bucket private, versioned and retained, with no policy of its own', () => {
    const t = s.template(s.data);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
    // The one bucket policy lives in the web stack; a second one here would replace it.
    t.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });
});

describe('functions', () => {
  const all = () => [s.api.ingest, s.api.read, s.api.registry, s.processing.aggregate, s.processing.score, s.processing.publish];

  it('run Node.js 22 or newer on ARM, from an ES module bundled locally by esbuild (no Docker)', () => {
    for (const stack of [s.api, s.processing]) {
      const functions = s.template(stack).findResources('AWS::Lambda::Function');
      expect(Object.keys(functions).length).toBe(3);
      for (const fn of Object.values(functions)) {
        const version = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);
        expect(version).toBeGreaterThanOrEqual(22);
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Handler).toBe('index.handler');
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
      }
      const assets = JSON.parse(readFileSync(join(s.outdir, `${stack.artifactId}.assets.json`), 'utf8'));
      expect(assets.dockerImages ?? {}).toEqual({});
    }
    for (const fn of all()) {
      const asset = readdirSync(s.outdir).find((name) => name.startsWith('asset.') && existsSync(join(s.outdir, name, 'index.mjs')) && readFileSync(join(s.outdir, name, 'index.mjs'), 'utf8').length > 0);
      expect(asset, fn.handlerName).toBeDefined();
    }
    const bundles = readdirSync(s.outdir).filter((name) => existsSync(join(s.outdir, name, 'index.mjs')));
    expect(bundles.length).toBe(all().length);
    for (const bundle of bundles) expect(existsSync(join(s.outdir, bundle, 'Dockerfile'))).toBe(false);
  });

  it('find their resources through the environment, which holds no secret', () => {
    for (const fn of all()) {
      const stack = Stack.of(fn);
      const variables = s.template(stack).toJSON().Resources[logicalId(fn, stack)].Properties.Environment.Variables;
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(['RECORDS_TABLE', 'STATE_TABLE', 'CITY_REGISTRY']));
      expect('PUBLIC_BUCKET' in variables, fn.handlerName).toBe(['publish-snapshots', 'module-registry', 'read-api'].includes(fn.handlerName));
      for (const name of Object.keys(variables)) expect(name).not.toMatch(/KEY|SECRET|TOKEN|PASSWORD/);
      expect(variables.CITY_REGISTRY).toBe('hcmc-2024');
    }
  });

  it('never get wildcard actions or resources, Scan, or the right to delete a record', () => {
    const recordsArn = JSON.stringify(s.api.resolve(s.data.records.tableArn));
    for (const fn of all()) {
      for (const statement of statementsOf(fn)) {
        for (const action of actionsOf(statement)) {
          expect(action).not.toMatch(/\*$/);
          expect(action).not.toBe('dynamodb:Scan');
        }
        // ListStreams is the one action AWS authorizes only on '*' (granted with the stream event source).
        if (actionsOf(statement).join() !== 'dynamodb:ListStreams') expect(resourcesOf(statement)).not.toContain('*');
        if (actionsOf(statement).includes('dynamodb:DeleteItem')) {
          expect(JSON.stringify(statement.Resource)).not.toContain('Records');
        }
      }
    }
    expect(recordsArn).toContain('Records');
  });

  it('read API only reads: items, and the published 1022 views', () => {
    const statements = statementsOf(s.api.read);
    const actions = statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(READ_ITEMS).toContain(action);
    const objects = s3Statements(s.api.read).filter((st) => !actionsOf(st).includes('s3:ListBucket'));
    expect(objects.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    expect(objects.flatMap(objectKeys)).toEqual(['/data/feedback/*']);
    expect(s3Statements(s.api.read).flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('ingest touches the two tables and nothing in S3', () => {
    const statements = statementsOf(s.api.ingest);
    expect(statements.flatMap(actionsOf).filter((a) => !a.startsWith('dynamodb:'))).toEqual([]);
    expect(statements.flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem']));
  });

  const s3Statements = (fn: Parameters<typeof statementsOf>[0]) => statementsOf(fn).filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
  const objectKeys = (statement: { Resource: unknown }) =>
    resourcesOf(statement as never).map((r) => {
      const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      return join ? String(join[1][join[1].length - 1]) : '(bucket)';
    });

  it('publish writes snapshots under data/ only', () => {
    for (const statement of s3Statements(s.processing.publish)) {
      if (actionsOf(statement).includes('s3:ListBucket')) {
        expect(actionsOf(statement)).toEqual(['s3:ListBucket']);
        continue;
      }
      expect(objectKeys(statement)).toEqual(['/data/*']);
    }
    expect(s3Statements(s.processing.publish).flatMap(actionsOf)).toContain('s3:PutObject');
  });

  it('registry writes only the site files it renders (importmap.json, index.html, modules.json, csp.txt), and reads module bundles', () => {
    const statements = s3Statements(s.api.registry);
    const writes = statements.filter((st) => actionsOf(st).includes('s3:PutObject'));
    expect(writes.flatMap(objectKeys).sort()).toEqual(['/csp.txt', '/importmap.json', '/index.html', '/modules.json']);
    const reads = statements.filter((st) => actionsOf(st).includes('s3:GetObject'));
    expect(reads.flatMap(objectKeys)).toContain('/modules/*');
    expect(statements.flatMap(actionsOf).every((a) => ['s3:GetObject', 's3:PutObject', 's3:ListBucket'].includes(a))).toBe(true);
  });

  it('scoring, aggregation and ingest have no S3 access', () => {
    for (const fn of [s.processing.aggregate, s.processing.score, s.api.ingest]) expect(s3Statements(fn)).toEqual([]);
  });
});

describe('API', () => {
  it('routes every endpoint of the contract to its function', () => {
    const t = s.template(s.api);
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort();
    expect(routes).toEqual(
      ['POST /api/v1/records', ...READ_ROUTES.map((p) => `GET ${p}`), 'ANY /api/v1/modules', 'ANY /api/v1/modules/{proxy+}'].sort(),
    );
  });

  it('throttles the stage and, tighter, the write routes; logs access as JSON', () => {
    const stage = Object.values(s.template(s.api).findResources('AWS::ApiGatewayV2::Stage'))[0].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400, DetailedMetricsEnabled: true });
    expect(stage.RouteSettings['POST /api/v1/records']).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(stage.RouteSettings['ANY /api/v1/modules/{proxy+}']).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });
});

describe('processing stack', () => {
  it('reads the records stream with bisect-on-error and a dead-letter queue', () => {
    const t = s.template(s.processing);
    const queueId = logicalId(s.processing.deadLetters, s.processing);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(s.processing.aggregate, s.processing) },
      BisectBatchOnFunctionError: true,
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('Records.*StreamArn') },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
  });

  it('scores and publishes one run at a time: a lease far shorter than the Lambda limit a long run may use', () => {
    const t = s.template(s.processing);
    for (const fn of [s.processing.score, s.processing.publish]) {
      const properties = t.toJSON().Resources[logicalId(fn, s.processing)].Properties;
      expect(properties.Environment.Variables.LEASE_TTL_MS, fn.handlerName).toBe(String(DEFAULT_LEASE_TTL_MS));
      expect(properties.Timeout).toBe(900);
      expect(DEFAULT_LEASE_TTL_MS).toBeLessThan(properties.Timeout * 1000);
    }
  });

  it('scores and publishes every minute', () => {
    const t = s.template(s.processing);
    for (const fn of [s.processing.score, s.processing.publish]) {
      t.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn, s.processing), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } })],
      });
    }
  });
});
