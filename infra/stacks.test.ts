/**
 * Data, API and processing stacks, synthesized once with real (local esbuild) bundling.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinitions, type TableDefinition } from '../functions/src/store/tables.ts';
import { apiPaths, type ApiFunction } from '../functions/src/routes.ts';
import { READ_ITEMS } from './lib/permissions.ts';
import { DEFAULT_LEASE_TTL_MS } from '../functions/src/services/lease.ts';
import { PINS_PREFIX } from '../shared-types/src/snapshots.ts';
import { PREVIEW, STAGING_PREFIX } from '../functions/src/domain/modules/rules.ts';
import { readConfig } from './config.ts';
import { apiEvent } from '../local/api-gateway.ts';
import { pinLifecycle } from './lib/data-stack.ts';
import { XRAY_WRITE } from './lib/app-function.ts';
import { actionsOf, cdkContext, resourcesOf, siteBuild, statementsOf, synthesize, type Synthesized } from './test-support.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true, context: { webDist: siteBuild() } });
});

const logicalId = (construct: { node: { defaultChild?: unknown } }, stack: Stack) => stack.getLogicalId(construct.node.defaultChild as never);

describe('data stack', () => {
  const keySchema = (definition: { partitionKey: { name: string }; sortKey?: { name: string } }) => [
    { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
    ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
  ];

  it('builds one table per definition in tables.ts, and no other', () => {
    expect(Object.keys(s.template(s.data).findResources('AWS::DynamoDB::Table')).sort()).toEqual(
      tableDefinitions.map((d) => logicalId(s.data.node.findChild(d.id), s.data)).sort(),
    );
  });

  it.each(tableDefinitions.map((d) => [d.id, d] as [string, TableDefinition]))('table %s is built from tables.ts', (id, definition) => {
    const resource = s.template(s.data).toJSON().Resources[logicalId(s.data.node.findChild(id), s.data)];
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
    const keys = new Map(declared.filter((key) => key !== undefined).map((key) => [key.name, key.type]));
    expect(keys.size).toBeGreaterThan(0);
    // Exactly the key attributes, each with its type (a declared attribute no key uses fails a deploy).
    expect([...p.AttributeDefinitions].sort((a: { AttributeName: string }, b: { AttributeName: string }) => a.AttributeName.localeCompare(b.AttributeName))).toEqual(
      [...keys].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    );
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('keeps the public bucket private, versioned and retained, with no policy of its own', () => {
    const t = s.template(s.data);
    const bucketId = logicalId(s.data.bucket, s.data);
    expect(t.toJSON().Resources[bucketId]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
      },
    });
    // The one bucket policy lives in the web stack; a second one here would replace it. (The access-log
    // bucket has its own.)
    const policies = Object.values(t.findResources('AWS::S3::BucketPolicy'));
    expect(policies.map((policy) => policy.Properties.Bucket)).toEqual([{ Ref: logicalId(s.data.accessLogs, s.data) }]);
  });
});

describe('public bucket lifecycle', () => {
  type Rule = { Id: string; Prefix?: string; Status: string; Transitions?: { StorageClass: string; TransitionInDays: number }[]; ExpirationInDays?: number; ExpiredObjectDeleteMarker?: boolean; NoncurrentVersionExpiration?: { NoncurrentDays: number } };
  const bucket = () => s.template(s.data).toJSON().Resources[logicalId(s.data.bucket, s.data)].Properties;
  const rules = () => bucket().LifecycleConfiguration.Rules as Rule[];
  const pins = cdkContext.pinRetention as { infrequentAccessAfterDays: number; archiveAfterDays: number; expireAfterDays: number };

  it('moves the pinned snapshots the publisher writes to cheaper classes that still answer at once, then expires them by the configured policy', () => {
    const pinned = rules().filter((rule) => rule.Prefix === PINS_PREFIX);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]).toMatchObject({
      Status: 'Enabled',
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: pins.infrequentAccessAfterDays },
        { StorageClass: 'GLACIER_IR', TransitionInDays: pins.archiveAfterDays },
      ],
      ExpirationInDays: pins.expireAfterDays,
    });
    // Objects under 128 KB stay in Standard, where they cost less than IA's 128 KB minimum.
    expect(bucket().LifecycleConfiguration.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    // Nothing else in the bucket changes class or expires: the site, bundles and live snapshots stay
    // (but a deploy's staged module files, which the registry copied if it accepted them: issue 20).
    // and preview pages, a week after the registry wrote them
    expect(rules().filter((rule) => rule.Prefix === STAGING_PREFIX)).toEqual([expect.objectContaining({ ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } })]);
    expect(rules().filter((rule) => rule.Prefix === PREVIEW.prefix)).toEqual([expect.objectContaining({ ExpirationInDays: 7 })]);
    for (const rule of rules().filter((r) => r !== pinned[0] && r.Prefix !== STAGING_PREFIX && r.Prefix !== PREVIEW.prefix)) {
      expect(rule.Transitions, rule.Id).toBeUndefined();
      expect(rule.ExpirationInDays, rule.Id).toBeUndefined();
    }
    // ...so the loop above has rules to check: at least the noncurrent-version ones (next test)
    expect(rules().map((rule) => rule.Prefix ?? '')).toEqual(expect.arrayContaining(['', 'data/', PINS_PREFIX]));
  });

  it('expires noncurrent versions: a day under data/ (and the delete markers left there), 90 days elsewhere', () => {
    const byPrefix = new Map(rules().map((rule) => [rule.Prefix ?? '', rule]));
    expect(byPrefix.get('data/')).toMatchObject({ NoncurrentVersionExpiration: { NoncurrentDays: 1 }, ExpiredObjectDeleteMarker: true });
    expect(byPrefix.get('')).toMatchObject({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } });
    expect(PINS_PREFIX.startsWith('data/')).toBe(true); // an expired pin's old version goes a day later
  });

  it('takes the pins\' policy from the context, within the bounds S3 sets', () => {
    const config = (pinRetention: unknown) => readConfig(new App({ context: { ...cdkContext, pinRetention } })).pinRetention;
    expect(config({ expireAfterDays: 0 })).toEqual({ ...pins, expireAfterDays: 0 });
    expect(pinLifecycle(config({ expireAfterDays: 0 })).expiration).toBeUndefined();
    expect(pinLifecycle(config({ expireAfterDays: 400 })).expiration?.toDays()).toBe(400);
    for (const [bad, message] of [
      [{ infrequentAccessAfterDays: 29 }, /under 30/],
      [{ archiveAfterDays: 30 }, /must come after/],
      [{ expireAfterDays: 179 }, /less than 90 days after/],
      [{ expireAfterDays: 365.5 }, /not a whole number/],
      [{ archiveAfterDays: '90' }, /not a whole number/],
    ] as const) {
      expect(() => config(bad), JSON.stringify(bad)).toThrow(message);
    }
  });
});

describe('functions', () => {
  const all = () => [s.api.ingest, s.api.read, s.api.registry, s.api.card, s.processing.aggregate, s.processing.score, s.processing.publish];

  it('run Node.js 22 or newer on ARM, from an ES module bundled locally by esbuild (no Docker)', () => {
    // Every function of the two stacks: the handlers, and the API's inline origin-verify authorizer.
    const expected = new Map<Stack, lambda.Function[]>([
      [s.api, [s.api.ingest, s.api.read, s.api.registry, s.api.card, s.api.originAuthorizer]],
      [s.processing, [s.processing.aggregate, s.processing.score, s.processing.publish]],
    ]);
    // all(), which the other tests walk, is every handler of the two stacks: none goes unchecked
    expect([...expected.values()].flat().filter((fn) => fn !== s.api.originAuthorizer)).toEqual(all());
    for (const [stack, fns] of expected) {
      const functions = s.template(stack).findResources('AWS::Lambda::Function');
      expect(Object.keys(functions).sort()).toEqual(fns.map((fn) => logicalId(fn, stack)).sort());
      for (const fn of Object.values(functions)) {
        const version = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);
        expect(version).toBeGreaterThanOrEqual(22);
        expect(fn.Properties.Architectures).toEqual(['arm64']);
        expect(fn.Properties.Handler).toBe('index.handler');
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
        expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      }
      const assets = JSON.parse(readFileSync(join(s.outdir, `${stack.artifactId}.assets.json`), 'utf8'));
      expect(assets.dockerImages ?? {}).toEqual({});
    }
    // Each handler runs its own bundle: the asset its Code names holds a non-empty index.mjs (the
    // web stack's render-site too, which renders the page at deploy time).
    const bundled = [...all(), s.web.renderSite];
    const assets = bundled.map((fn) => {
      const code = s.template(Stack.of(fn)).toJSON().Resources[logicalId(fn, Stack.of(fn))].Properties.Code;
      const asset = `asset.${String(code.S3Key).replace(/\.zip$/, '')}`;
      const bundle = join(s.outdir, asset, 'index.mjs');
      expect(existsSync(bundle), fn.handlerName).toBe(true);
      expect(readFileSync(bundle, 'utf8').length, fn.handlerName).toBeGreaterThan(1000);
      expect(existsSync(join(s.outdir, asset, 'Dockerfile')), fn.handlerName).toBe(false);
      return asset;
    });
    expect(new Set(assets).size).toBe(bundled.length);
    const bundles = readdirSync(s.outdir).filter((name) => existsSync(join(s.outdir, name, 'index.mjs')));
    expect(bundles.sort()).toEqual([...assets].sort());
  });

  it('the card function\'s bundle draws a card as on Lambda: its font and wasm travel beside it', () => {
    const code = s.template(s.api).toJSON().Resources[logicalId(s.api.card, s.api)].Properties.Code;
    const bundle = join(s.outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs');
    const published = mkdtempSync(join(tmpdir(), 'card-bundle-'));
    const write = (path: string, body: unknown) => {
      mkdirSync(dirname(join(published, path)), { recursive: true });
      writeFileSync(join(published, path), JSON.stringify(body));
    };
    const ward = { id: 'w', parentId: 'c', kind: 'ward', name: { vi: 'Phường Thử', en: 'Test Ward' }, peerGroup: 'ward', offersElectronicCertifiedCopy: false, code: '1' };
    write('data/units.json', { asOf: '2026-12-01T00:00:00Z', units: [{ ...ward, id: 'c', parentId: null, kind: 'city', code: undefined }, ward] });
    write('data/units/w.json', { unitId: 'w', method: '766-v1', asOf: '2026-12-01T00:00:00Z', history: [] });
    write('data/rankings/2026-11.json', { period: '2026-11', method: '766-v1', asOf: '2026-12-01T00:00:00Z', provisional: false, scores: [] });
    const event = apiEvent({ method: 'GET', url: '/api/v1/units/w/card.png?period=2026-11', routeKey: 'ANY /api/v1/units/{id}/card.png' });
    const run = `const { handler } = await import(${JSON.stringify(bundle)});
      const reply = await handler(${JSON.stringify(event)}, { functionName: 'card', awsRequestId: 'r' });
      const png = Buffer.from(reply.body, 'base64');
      console.log(JSON.stringify({ status: reply.statusCode, type: reply.headers['content-type'], width: png.readUInt32BE(16) }));`;
    // a folder of its own: the bundle finds nothing of the repository's node_modules beside it
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', run], {
      cwd: published, env: { PATH: process.env.PATH, CITY: 'hcmc', PUBLIC_DIR: published, POWERTOOLS_METRICS_DISABLED: 'true', LOG_LEVEL: 'ERROR' }, encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ status: 200, type: 'image/png', width: 1200 });
  }, 120_000);

  it('find their resources through the environment, which holds no secret', () => {
    for (const fn of all()) {
      const stack = Stack.of(fn);
      const variables = s.template(stack).toJSON().Resources[logicalId(fn, stack)].Properties.Environment.Variables;
      // the card function reads only published snapshots: no table
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(fn === s.api.card ? ['CITY', 'PUBLIC_BUCKET'] : ['RECORDS_TABLE', 'STATE_TABLE', 'CITY']));
      expect('RECORDS_TABLE' in variables || 'STATE_TABLE' in variables, fn.handlerName).toBe(fn !== s.api.card);
      expect('PUBLIC_BUCKET' in variables, fn.handlerName).toBe(['publish-snapshots', 'module-registry', 'read-api', 'social-card'].includes(fn.handlerName));
      // the publisher names the site in its social previews' absolute addresses
      expect('SITE_URL' in variables, fn.handlerName).toBe(fn === s.processing.publish);
      for (const name of Object.keys(variables)) expect(name).not.toMatch(/KEY|SECRET|TOKEN|PASSWORD/);
      expect(variables.CITY).toBe('hcmc');
    }
  });

  it('never get wildcard actions or resources, Scan, or the right to delete a record', () => {
    const recordsArn = JSON.stringify(s.api.resolve(s.data.records.tableArn));
    for (const fn of [...all(), s.web.renderSite]) {
      const statements = statementsOf(fn);
      expect(statements.length, fn.handlerName).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(actionsOf(statement).length, fn.handlerName).toBeGreaterThan(0);
        for (const action of actionsOf(statement)) {
          expect(action).not.toMatch(/\*$/);
          expect(action).not.toBe('dynamodb:Scan');
        }
        // AWS authorizes only on '*': ListStreams (granted with the stream event source) and sending traces to X-Ray.
        if (resourcesOf(statement).includes('*')) {
          for (const action of actionsOf(statement)) expect(['dynamodb:ListStreams', ...XRAY_WRITE], fn.handlerName).toContain(action);
        }
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
    expect(statements.flatMap(actionsOf).filter((a) => !a.startsWith('dynamodb:')).sort()).toEqual([...XRAY_WRITE].sort());
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

  it('registry writes only the site files it renders (importmap.json, index.html, modules.json, csp.txt) and accepted versions\' files, and reads module bundles', () => {
    const statements = s3Statements(s.api.registry);
    const writes = statements.filter((st) => actionsOf(st).includes('s3:PutObject'));
    // modules/*: the registry copies a deploy's staged files into modules/<name>/<version>/ once it accepts the publish (issue 20)
    // previews/*: the site rendered with a version not yet live, at a preview link (issue 20)
    expect(writes.flatMap(objectKeys).sort()).toEqual(['/csp.txt', '/importmap.json', '/index.html', '/modules.json', '/modules/*', '/previews/*']);
    const deletes = statements.filter((st) => actionsOf(st).includes('s3:DeleteObject'));
    expect(deletes.flatMap(objectKeys)).toEqual(['/modules/*']);
    const reads = statements.filter((st) => actionsOf(st).includes('s3:GetObject'));
    expect(reads.flatMap(objectKeys)).toContain('/modules/*');
    expect(statements.flatMap(actionsOf).every((a) => ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'].includes(a))).toBe(true);
  });

  it('scoring, aggregation and ingest have no S3 access', () => {
    for (const fn of [s.processing.aggregate, s.processing.score, s.api.ingest]) expect(s3Statements(fn)).toEqual([]);
  });
});

describe('API', () => {
  it('routes every path of the route table, every method, to the function the table names, and nothing else', () => {
    const t = s.template(s.api);
    const integrations = t.findResources('AWS::ApiGatewayV2::Integration');
    // a route's target is `integrations/<integration>`, whose URI is its function's ARN
    const targetOf = (route: { [key: string]: any }) => integrations[route.Properties.Target['Fn::Join'][1][1].Ref].Properties.IntegrationUri['Fn::GetAtt'][0];
    const routed = Object.fromEntries(Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((route) => [route.Properties.RouteKey, targetOf(route)]));
    const functions: Record<ApiFunction, string> = { 'ingest-records': logicalId(s.api.ingest, s.api), 'read-api': logicalId(s.api.read, s.api), 'module-registry': logicalId(s.api.registry, s.api), 'social-card': logicalId(s.api.card, s.api) };
    expect(routed).toEqual(Object.fromEntries(apiPaths().map(({ path, fn }) => [`ANY ${path}`, functions[fn]])));
    // The contract's paths, written out: the table cannot lose one unnoticed.
    expect(routed).toMatchObject({
      'ANY /api/v1/records': functions['ingest-records'],
      'ANY /api/v1/records/{type}/{id+}': functions['ingest-records'],
      'ANY /api/v1/scores': functions['read-api'],
      'ANY /api/v1/units/{id}/scores': functions['read-api'],
      'ANY /api/v1/modules': functions['module-registry'],
      'ANY /api/v1/modules/{name}/versions': functions['module-registry'],
    });
  });

  it('throttles the stage and, tighter, the write routes; logs access as JSON', () => {
    const stage = Object.values(s.template(s.api).findResources('AWS::ApiGatewayV2::Stage'))[0].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400, DetailedMetricsEnabled: true });
    // every path that takes a POST, at its function's limit; reads at the stage's
    const modules = { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 };
    expect(stage.RouteSettings).toEqual({
      'ANY /api/v1/records': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      ...Object.fromEntries(['versions', 'check', 'preview', 'errors', 'retire', 'rollback'].map((action) => [`ANY /api/v1/modules/{name}/${action}`, modules])),
    });
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

  it('does not count a tick that gave way to a running holder of the lease as a clean run (StaleScores, StaleSnapshots)', () => {
    type Alarm = { Properties: { Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[] } };
    const alarms = Object.entries(s.template(s.observability).findResources('AWS::CloudWatch::Alarm')) as [string, Alarm][];
    for (const [alarm, metric] of [['StaleScores', 'ScoringRunsSkipped'], ['StaleSnapshots', 'PublishingRunsSkipped']]) {
      const found = alarms.find(([id]) => id.includes(alarm));
      expect(found, alarm).toBeDefined();
      const metrics = found![1].Properties.Metrics!;
      expect(metrics.map((m) => m.MetricStat?.Metric.MetricName)).toContain(metric);
      expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/- FILL\(skipped_\w+, 0\)$/);
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
