/**
 * Web, module-team and observability stacks (synthesized once, without bundling), and the
 * CloudFront Functions' code run against sample events; on the same synthesis, the suite of issue 17
 * (WAF, the API behind CloudFront, alarm e-mail, access logs, cdk-nag: `security.suite.ts`), which
 * adds alarm e-mails and a site folder to the context of cdk.json and leaves the nag acknowledgments to
 * its own tests.
 */
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { BASE_POLICY, EMBED_FRAME_ANCESTORS, SITE_FRAME_ANCESTORS, cspFunctionCode, spaRewriteFunctionCode } from './lib/security-headers.ts';
import { actionsOf, cdkContext, resourcesOf, siteBuild, statementsOf, synthesize, type Statement, type Synthesized } from './test-support.ts';
import { buildApp } from './main.ts';
import { PIPELINE_METRICS } from '../functions/src/commons/pipeline-metrics.ts';
import { SCORER_LAG_ALARM_SECONDS } from './lib/observability-stack.ts';
import { API_WRITE_PATHS, READ_QUERY_PARAMETERS } from './lib/web-stack.ts';
import { repoRoot } from './lib/app-function.ts';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { REGISTRY_BASE } from '../functions/src/domain/modules/render.ts';
import { REGISTRY_WRITES } from './lib/api-stack.ts';
import { securitySuite, securitySynthOptions } from './security.suite.ts';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: false, ...securitySynthOptions() });
});

securitySuite(() => s);

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

describe('web stack', () => {
  const distribution = () => Object.values(s.template(s.web).findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
  const resource = (type: string, id: { Ref: string } | string) => s.template(s.web).toJSON().Resources[typeof id === 'string' ? id : id.Ref];
  const behavior = (path: string) => distribution().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === path);

  it('serves the private bucket through origin access control', () => {
    const t = s.template(s.web);
    t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const s3Origin = distribution().Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(distribution().DefaultRootObject).toBe('index.html');
    const policy = Object.values(t.findResources('AWS::S3::BucketPolicy'))[0].Properties.PolicyDocument.Statement as Statement[];
    const cloudFront = policy.find((st) => st.Sid === 'CloudFrontReads')!;
    expect(actionsOf(cloudFront).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(JSON.stringify(cloudFront.Condition)).toContain(s.web.getLogicalId(s.web.distribution.node.defaultChild as never));
    expect(policy.find((st) => st.Sid === 'TlsOnly')).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('routes /api/* to the HTTP API: writes uncached with every method, reads cached by their query string for their max-age', () => {
    for (const path of API_WRITE_PATHS) {
      const writes = behavior(path);
      const origin = distribution().Origins.find((o: { Id: string }) => o.Id === writes.TargetOriginId);
      expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
      expect(JSON.stringify(origin.DomainName)).toContain('ApiEndpoint');
      expect(writes.CachePolicyId, path).toBe(CACHING_DISABLED);
      expect(writes.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
      expect(writes.ViewerProtocolPolicy).toBe('redirect-to-https');
    }
    const paths = distribution().CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern);
    // CloudFront takes the first pattern that matches: the write paths must come before /api/*.
    for (const path of API_WRITE_PATHS) expect(paths.indexOf(path)).toBeLessThan(paths.indexOf('/api/*'));
    const reads = behavior('/api/*');
    expect(reads.TargetOriginId).toBe(behavior('/api/v1/records').TargetOriginId);
    expect(reads.AllowedMethods).not.toContain('POST');
    expect(reads.OriginRequestPolicyId).toBeUndefined(); // only the cache key's parameters reach the function
    const policy = resource('', reads.CachePolicyId).Properties.CachePolicyConfig;
    // TTLs follow the reply's Cache-Control (30 s for scores, 5 s for status), up to a minute; none without it.
    expect(policy).toMatchObject({ DefaultTTL: 0, MinTTL: 0, MaxTTL: 60 });
    const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
    expect(key.QueryStringsConfig.QueryStringBehavior).toBe('whitelist');
    expect(key.QueryStringsConfig.QueryStrings.sort()).toEqual([...READ_QUERY_PARAMETERS].sort());
    expect(key.HeadersConfig.HeaderBehavior).toBe('none');
    expect(key.CookiesConfig.CookieBehavior).toBe('none');
    expect(key.EnableAcceptEncodingGzip).toBe(true);
  });

  it('keys the read API cache by every query parameter the read API reads, and no other', () => {
    const source = readFileSync(join(repoRoot, 'functions/src/services/read-api.ts'), 'utf8');
    const read = new Set([...source.matchAll(/query\.(\w+)|period\('(\w+)'\)/g)].map((m) => m[1] ?? m[2]));
    expect([...read].sort()).toEqual([...READ_QUERY_PARAMETERS].sort());
  });

  const ttl = (b: { CachePolicyId: { Ref: string } }) => resource('', b.CachePolicyId).Properties.CachePolicyConfig;

  it('caches hashed bundles for a year and importmap.json, pages and snapshots for minutes', () => {
    for (const path of ['/modules/*', ...cdkContext.immutablePaths as string[]]) {
      const config = ttl(behavior(path));
      expect(config).toMatchObject({ DefaultTTL: 31_536_000, MaxTTL: 31_536_000 });
      const headers = resource('', behavior(path).ResponseHeadersPolicyId).Properties.ResponseHeadersPolicyConfig;
      expect(headers.CustomHeadersConfig.Items).toContainEqual({ Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true });
    }
    for (const config of [ttl(behavior('/importmap.json')), ttl(behavior('/embed/*')), ttl(distribution().DefaultCacheBehavior)]) {
      expect(config.MaxTTL).toBeLessThanOrEqual(300);
      expect(config.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior).toBe('none');
    }
    expect(ttl(behavior('/data/*')).MaxTTL).toBeLessThanOrEqual(60);
  });

  it('sends security headers: the site refuses framing, /embed/* allows it', () => {
    const headers = (b: { ResponseHeadersPolicyId: { Ref: string } }) => resource('', b.ResponseHeadersPolicyId).Properties.ResponseHeadersPolicyConfig;
    const site = headers(distribution().DefaultCacheBehavior);
    const embed = headers(behavior('/embed/*'));
    expect(site.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(embed.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    for (const config of [site, embed, headers(behavior('/data/*')), headers(behavior('/api/*'))]) {
      expect(config.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, Override: true });
      expect(config.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
    }
    for (const path of ['/data/*', '/api/*']) {
      expect(headers(behavior(path)).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    expect(headers(behavior('/data/*')).CorsConfig.AccessControlAllowOrigins.Items).toEqual(['*']);

    // CSP of pages: viewer-response functions, one per kind of page.
    const functionCode = (b: { FunctionAssociations: { EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }[] }, event: string) =>
      resource('', b.FunctionAssociations.find((f) => f.EventType === event)!.FunctionARN['Fn::GetAtt'][0]).Properties.FunctionCode as string;
    // the site's pages also select preview pages (issue 20; infra/preview-functions.test.ts)
    expect(functionCode(distribution().DefaultCacheBehavior, 'viewer-response')).toBe(cspFunctionCode(SITE_FRAME_ANCESTORS, { preview: true }));
    expect(functionCode(behavior('/embed/*'), 'viewer-response')).toBe(cspFunctionCode(EMBED_FRAME_ANCESTORS));
    expect(functionCode(distribution().DefaultCacheBehavior, 'viewer-request')).toBe(spaRewriteFunctionCode('/index.html', { preview: true, socialPreviews: true }));
    expect(functionCode(behavior('/embed/*'), 'viewer-request')).toBe(spaRewriteFunctionCode('/embed/index.html'));
  });
});

describe('the page (index.html, importmap.json), rendered from the registry at deploy time', () => {
  const resources = () => s.template(s.web).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;
  const idOf = (construct: { node: { defaultChild?: unknown } }) => s.web.getLogicalId(construct.node.defaultChild as never);
  const page = () => {
    const pages = Object.entries(resources()).filter(([, r]) => r.Type === 'Custom::SitePage');
    expect(pages).toHaveLength(1);
    return pages[0];
  };

  it('is a custom resource whose provider calls the render-site function', () => {
    const [, resource] = page();
    const token = JSON.stringify(resource.Properties.ServiceToken);
    const frameworkId = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(token)![1];
    const framework = resources()[frameworkId];
    expect(framework.Type).toBe('AWS::Lambda::Function');
    expect(JSON.stringify(framework.Properties.Environment)).toContain(idOf(s.web.renderSite));
    expect(resources()[idOf(s.web.renderSite)].Properties.Handler).toBe('index.handler');
    expect(s.web.renderSite.handlerName).toBe('render-site');
    expect(resources()[idOf(s.web.renderSite)].Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('runs after the site build is uploaded, on the bucket and the registry (state table) of the data stack', () => {
    const [, resource] = page();
    const uploads = Object.entries(resources()).filter(([, r]) => r.Type === 'Custom::CDKBucketDeployment').map(([id]) => id);
    expect(uploads).toHaveLength(1);
    expect(resource.DependsOn).toEqual(expect.arrayContaining(uploads));
    const variables = resources()[idOf(s.web.renderSite)].Properties.Environment as { Variables: Record<string, unknown> };
    const imported = (value: unknown) => JSON.stringify(s.web.resolve(value));
    expect(JSON.stringify(variables.Variables.STATE_TABLE)).toBe(imported(Stack.of(s.data).exportValue(s.data.state.tableName)));
    expect(JSON.stringify(variables.Variables.PUBLIC_BUCKET)).toBe(imported(Stack.of(s.data).exportValue(s.data.bucket.bucketName)));
    expect(s.web.dependencies).toContain(s.data);
  });

  it('re-renders on a deploy of a new site build: its property is the hash of the build\'s base', () => {
    const [, resource] = page();
    const base = readFileSync(join(s.config.webDist, REGISTRY_BASE));
    expect(resource.Properties.SiteBuild).toBe(createHash('sha256').update(base).digest('hex'));
  });

  it('may read the registry item and the build\'s base, and write only the files the registry writes', () => {
    const statements = statementsOf(s.web.renderSite);
    const dynamo = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.flatMap(actionsOf)).toEqual(['dynamodb:GetItem']);
    expect(JSON.stringify(dynamo[0].Resource)).toContain('State');
    const keys = (action: string) =>
      statements.filter((st) => actionsOf(st).includes(action)).flatMap(resourcesOf).map((r) => {
        const parts = (r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
        return String(parts[parts.length - 1]);
      });
    expect(keys('s3:PutObject').sort()).toEqual(REGISTRY_WRITES.map((key) => `/${key}`).sort());
    expect(keys('s3:GetObject')).toEqual([`/${REGISTRY_BASE}`]);
  });

  it('fails the synthesis, saying what to do, without a site build or with an incomplete one', () => {
    const build = (webDist: string) => () => buildApp(new App({ context: { ...cdkContext, webDist, 'aws:cdk:bundling-stacks': [] } }));
    const missing = join(tmpdir(), 'no-such-site-build');
    expect(build(missing)).toThrow(`The site build is missing: ${join(missing, REGISTRY_BASE)} does not exist. Run \`npm run build\``);
    // A folder without the build's base is no build either (the page could not be rendered from it).
    const incomplete = mkdtempSync(join(tmpdir(), 'site-'));
    writeFileSync(join(incomplete, 'index.html'), '<!doctype html>');
    expect(build(incomplete)).toThrow(/The site build is missing: .*shell\/registry-base\.json does not exist/);
    expect(build(siteBuild())).not.toThrow();
  });

  it('prints the site URL, and the function that re-renders the page by hand', () => {
    const outputs = s.template(s.web).toJSON().Outputs;
    expect(outputs.SiteUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(s.web.distribution), 'DomainName'] }]] });
    expect(outputs.RenderSiteFunctionName.Value).toEqual({ Ref: idOf(s.web.renderSite) });
  });
});

describe('CloudFront Functions', () => {
  type Headers = Record<string, { value: string }>;
  const load = (code: string) => new Function(`${code}; return handler;`)() as (event: unknown) => { headers: Headers; uri: string };
  const respond = (code: string, headers: Headers) => load(code)({ response: { statusCode: 200, headers } }).headers;

  it('serve the policy stored with index.html, hashes kept, unsafe-inline stripped, framing decided by path', () => {
    const stored = "default-src 'self'; script-src 'self' 'sha256-abc=' 'unsafe-inline'; frame-ancestors *";
    const site = respond(cspFunctionCode(SITE_FRAME_ANCESTORS), { 'x-amz-meta-csp': { value: stored } });
    expect(site['content-security-policy'].value).toBe("default-src 'self'; script-src 'self' 'sha256-abc='; frame-ancestors 'none'");
    expect(site['x-amz-meta-csp']).toBeUndefined();
    const embed = respond(cspFunctionCode(EMBED_FRAME_ANCESTORS), { 'x-amz-meta-csp': { value: stored } });
    expect(embed['content-security-policy'].value).toMatch(/frame-ancestors \*$/);
  });

  it('fall back to a base policy that never allows unsafe-inline', () => {
    const site = respond(cspFunctionCode(SITE_FRAME_ANCESTORS), {});
    expect(site['content-security-policy'].value).toBe([...BASE_POLICY, "frame-ancestors 'none'"].join('; '));
    expect(site['content-security-policy'].value).not.toContain('unsafe');
  });

  it('send extensionless paths to the page and leave files alone', () => {
    const rewrite = load(spaRewriteFunctionCode('/index.html'));
    expect(rewrite({ request: { uri: '/' } }).uri).toBe('/index.html');
    expect(rewrite({ request: { uri: '/vi/unit/79' } }).uri).toBe('/index.html');
    expect(rewrite({ request: { uri: '/shell/app.3f2a.js' } }).uri).toBe('/shell/app.3f2a.js');
  });
});

describe('module team stacks', () => {
  // what a role may write, key by key: infra/module-team.test.ts
  it('one per configured module; each role may stage files only under its own prefix', () => {
    const names = cdkContext.modules as string[];
    expect(s.modules.map((m) => m.stackName)).toEqual(names.map((n) => `BanDoTheChe-Module-${n}`));
    s.modules.forEach((stack, index) => {
      const name = names[index];
      const policies = Object.values(s.template(stack).findResources('AWS::IAM::Policy'));
      const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
      const text = JSON.stringify(statements);
      for (const statement of statements) {
        for (const action of actionsOf(statement)) expect(['s3:PutObject', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket']).toContain(action);
        if (actionsOf(statement).includes('s3:ListBucket')) {
          expect(statement.Condition).toEqual({ StringLike: { 's3:prefix': [`modules/${name}/*`, `modules/_staging/${name}/*`] } });
        } else if (actionsOf(statement).includes('s3:PutObject')) {
          expect(resourcesOf(statement).map((r) => JSON.stringify(r)).sort()).toEqual(['css', 'csv', 'js', 'json', 'map'].map((extension) => expect.stringContaining(`"/modules/_staging/${name}/*.${extension}"`)));
        } else {
          expect(resourcesOf(statement).map((r) => JSON.stringify(r)).sort()).toEqual([expect.stringContaining(`"/modules/_staging/${name}/*"`), expect.stringContaining(`"/modules/${name}/*"`)]);
        }
      }
      for (const other of names.filter((n) => n !== name && !name.startsWith(n) && !n.startsWith(name))) expect(text).not.toContain(`modules/${other}/`);
    });
  });

  it('rejects module names that could widen a prefix', () => {
    for (const bad of ['../web', 'a/*', 'Overview', '*', 'x'.repeat(41)]) {
      // the registry's own rule and message (functions/src/domain/modules/rules.ts), as the scaffold and the keys tool give it
      expect(() => readConfig(new App({ context: { ...cdkContext, modules: [bad] } }))).toThrow(/^context "modules": ".*" is not a module name: 1 to 40 characters/);
    }
  });

  it('trusts the team repository through GitHub OIDC when configured', () => {
    const withOidc = synthesize({
      bundle: false,
      context: {
        modules: ['overview'],
        moduleCi: { githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', repositories: { overview: 'hcmc/overview' } },
      },
    });
    withOidc.template(withOidc.modules[0]).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:hcmc/overview:*' },
            },
          }),
        ],
      },
    });
  });
});

describe('observability stack', () => {
  const alarms = () => Object.values(s.template(s.observability).findResources('AWS::CloudWatch::Alarm'));

  it('alarms on errors and throttles of every function, the API, the dead-letter queue, stream lag and stale scores', () => {
    const byMetric = (name: string) => alarms().filter((a) => a.Properties.MetricName === name || JSON.stringify(a.Properties.Metrics ?? []).includes(`"${name}"`));
    expect(byMetric('Errors').filter((a) => a.Properties.MetricName === 'Errors')).toHaveLength(6);
    expect(byMetric('Throttles')).toHaveLength(6);
    expect(byMetric('5xx')).toHaveLength(1);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    expect(byMetric('IteratorAge')).toHaveLength(1);
    expect(byMetric('WriteThrottleEvents')).toHaveLength(2);
    const stale = alarms().filter((a) => /stale/i.test(a.Properties.AlarmDescription));
    expect(stale).toHaveLength(2);
    for (const alarm of stale) {
      expect(alarm.Properties).toMatchObject({ ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', EvaluationPeriods: 2 });
    }
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
  });

  it('alarms when accepted records wait too long to be scored (ScorerLag)', () => {
    const lag = alarms().filter((a) => a.Properties.MetricName === PIPELINE_METRICS.scorerLagSeconds);
    expect(lag).toHaveLength(1);
    expect(lag[0].Properties).toMatchObject({
      Namespace: 'BanDoTheChe', Dimensions: [{ Name: 'service', Value: 'ban-do-the-che' }], Statistic: 'Maximum',
      Threshold: SCORER_LAG_ALARM_SECONDS, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
  });

  it('shows ingest rate, rejects, scorer lag and errors, from metrics the handlers emit', () => {
    const body = JSON.stringify(Object.values(s.template(s.observability).findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const title of ['Ingest: records per minute', 'Ingest: records rejected per minute', 'Scorer lag', 'Errors: functions and API 5xx']) expect(body).toContain(title);
    for (const name of Object.values(PIPELINE_METRICS)) expect(body).toContain(`\\"${name}\\"`);
    // Each of them is emitted by a handler (Powertools), under the name the dashboard reads.
    const handlers = ['ingest-records', 'publish-snapshots'].map((name) => readFileSync(join(repoRoot, 'functions/src/handlers', `${name}.ts`), 'utf8')).join('\n');
    for (const key of Object.keys(PIPELINE_METRICS)) expect(handlers).toMatch(new RegExp(`addMetric\\(PIPELINE_METRICS\\.${key},`));
  });

  it('has a dashboard over the API, functions, stream, queue, tables, CloudFront and the structured logs', () => {
    const dashboards = Object.values(s.template(s.observability).findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0].Properties.DashboardBody);
    for (const needle of ['AWS/ApiGateway', 'IteratorAge', 'ApproximateNumberOfMessagesVisible', 'ConsumedWriteCapacityUnits', 'AWS/CloudFront', 'filter level = \\\\\\"ERROR\\\\\\"']) {
      expect(body).toContain(needle);
    }
  });
});
