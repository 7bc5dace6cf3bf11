/**
 * Issue 17, the AWS side: nobody can overload the site or walk around its limits, alarms reach a
 * person, and cdk-nag (AwsSolutions) finds nothing that is neither fixed nor acknowledged with a reason.
 *
 * Run by `web.test.ts` on its synthesis (one synthesis per test file is what the infra tests cost, so
 * they share it): no bundling, a site folder and alarm e-mails (`securitySynthOptions`), and without the nag
 * acknowledgments, which the cdk-nag tests record themselves. Plus one app built (not synthesized) the
 * other way round: a custom domain, a pinned origin secret version, no alarm e-mail.
 */
import * as crypto from 'node:crypto';
import { App, Stack, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfig } from './config.ts';
import { EDGE_REGION, INGEST_PATH, RATE_WINDOW_SECONDS, WEB_ACL_OUTPUT } from './lib/edge-stack.ts';
import { acknowledgeNagFindings, nagAcknowledgments, type NagAcknowledgment } from './lib/nag.ts';
import { AUTHORIZER_CACHE_SECONDS, ORIGIN_VERIFY_HEADER, SECRET_REFRESH_MS, originVerifyAuthorizerCode } from './lib/origin-verify.ts';
import { buildApp, type ProductStacks } from './main.ts';
import { XRAY_WRITE } from './lib/app-function.ts';
import { cdkContext, siteBuild, type Statement, type Synthesized } from './test-support.ts';

const EMAILS = ['ops@example.org', 'oncall@example.org'];

/** The synthesis options the suite needs (`synthesize({ bundle: false, ...securitySynthOptions() })`). */
export function securitySynthOptions(): { acknowledgeNag: false; context: Record<string, unknown> } {
  // A site folder, so the upload (BucketDeployment) and the page are in the app whether or not dist/web is built.
  return { acknowledgeNag: false, context: { webDist: siteBuild(), alarmEmail: EMAILS.join(', ') } };
}

export function securitySuite(synthesized: () => Synthesized): void {
  // Nested, so that its beforeAll runs after the file's synthesis.
  describe('issue 17: the AWS side', () => {
    let s: Synthesized;
    let raw: PolicyValidationPluginReport;
    let acknowledged: NagAcknowledgment[];
    let final: PolicyValidationPluginReport;
    let variant: ProductStacks;

    beforeAll(() => {
      s = synthesized();
      raw = new AwsSolutionsChecks().validateScope(s.app);
      acknowledged = acknowledgeNagFindings(s);
      final = new AwsSolutionsChecks().validateScope(s.app);
      variant = buildApp(
        new App({
          context: {
            ...cdkContext,
            domainName: 'minhbach.example.gov.vn',
            certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
            originSecretVersion: 'a1b2c3d4-version',
            webDist: siteBuild(),
            'aws:cdk:bundling-stacks': [],
          },
        }),
        { acknowledgeNag: false },
      );
    });
    const distributionConfigOf = (stacks: ProductStacks) => stacks.web.resolve((stacks.web.distribution.node.defaultChild as cloudfront.CfnDistribution).distributionConfig);

    const resources = (stack: Stack, type: string) => Object.values(s.template(stack).findResources(type));
    const distribution = () => resources(s.web, 'AWS::CloudFront::Distribution')[0].Properties.DistributionConfig;
    const webAcl = () => resources(s.edge, 'AWS::WAFv2::WebACL')[0].Properties;

    /** Evaluates a WAF match statement (the subset the web ACL uses) against a request path. */
    type WafStatement = {
      ByteMatchStatement?: { FieldToMatch: { UriPath?: object }; PositionalConstraint: string; SearchString: string; TextTransformations: { Type: string }[] };
      AndStatement?: { Statements: WafStatement[] };
      NotStatement?: { Statement: WafStatement };
    };
    function matches(statement: WafStatement | undefined, path: string): boolean {
      if (!statement) return true; // a rate rule without scope-down counts every request
      if (statement.AndStatement) return statement.AndStatement.Statements.every((inner) => matches(inner, path));
      if (statement.NotStatement) return !matches(statement.NotStatement.Statement, path);
      const byte = statement.ByteMatchStatement;
      if (!byte?.FieldToMatch.UriPath || byte.TextTransformations.some((t) => t.Type !== 'NONE')) throw new Error(`unsupported statement ${JSON.stringify(statement)}`);
      if (byte.PositionalConstraint === 'EXACTLY') return path === byte.SearchString;
      if (byte.PositionalConstraint === 'STARTS_WITH') return path.startsWith(byte.SearchString);
      throw new Error(`unsupported constraint ${byte.PositionalConstraint}`);
    }

    describe('AWS WAF on the distribution', () => {
      it('is a CLOUDFRONT-scope web ACL in a us-east-1 stack, which the web stack reads and deploys after', () => {
        expect(s.edge.region).toBe('us-east-1');
        expect(EDGE_REGION).toBe('us-east-1');
        expect(webAcl()).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
        const aclId = s.edge.getLogicalId(s.edge.webAcl);
        expect(s.template(s.edge).toJSON().Outputs[WEB_ACL_OUTPUT].Value).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
        expect(distribution().WebACLId).toEqual({ 'Fn::GetStackOutput': { StackName: s.edge.stackName, OutputName: WEB_ACL_OUTPUT, Region: 'us-east-1' } });
        expect(s.web.dependencies).toContain(s.edge);
        // Only the web ACL: nothing of the product's data or functions moves to us-east-1.
        expect(Object.values(s.template(s.edge).toJSON().Resources).map((r) => (r as { Type: string }).Type).filter((t) => t !== 'AWS::CDK::Metadata')).toEqual(['AWS::WAFv2::WebACL']);
      });

      it('limits each IP address over 5 minutes: the whole site, the API, and ingest on its own, answering 429 with Retry-After', () => {
        const rules = webAcl().Rules as { Name: string; Priority: number; Action?: unknown; Statement: { RateBasedStatement?: { Limit: number; AggregateKeyType: string; EvaluationWindowSec: number; ScopeDownStatement?: WafStatement } } }[];
        const rate = rules.filter((rule) => rule.Statement.RateBasedStatement);
        const waf = cdkContext.waf as { rateLimit: number; apiRateLimit: number; ingestRateLimit: number };
        expect(Object.fromEntries(rate.map((rule) => [rule.Name, rule.Statement.RateBasedStatement!.Limit]))).toEqual({
          RateLimitPerIp: waf.rateLimit,
          ApiRateLimitPerIp: waf.apiRateLimit,
          IngestRateLimitPerIp: waf.ingestRateLimit,
        });
        for (const rule of rate) {
          expect(rule.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', EvaluationWindowSec: RATE_WINDOW_SECONDS });
          expect(rule.Action).toEqual({
            Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests', ResponseHeaders: [{ Name: 'retry-after', Value: String(RATE_WINDOW_SECONDS) }] } },
          });
        }
        expect(webAcl().CustomResponseBodies.TooManyRequests.ContentType).toBe('APPLICATION_JSON');
        // Which limits count which request (a request counts against every rule whose scope it matches).
        const counted = (path: string) => rate.filter((rule) => matches(rule.Statement.RateBasedStatement!.ScopeDownStatement, path)).map((rule) => rule.Name).sort();
        expect(counted('/')).toEqual(['RateLimitPerIp']);
        expect(counted('/data/latest.json')).toEqual(['RateLimitPerIp']);
        expect(counted('/modules/overview/1.0.0/index.js')).toEqual(['RateLimitPerIp']);
        expect(counted('/api/v1/scores')).toEqual(['ApiRateLimitPerIp', 'RateLimitPerIp']);
        expect(counted('/api/v1/modules/overview/versions')).toEqual(['ApiRateLimitPerIp', 'RateLimitPerIp']);
        expect(counted(INGEST_PATH)).toEqual(['IngestRateLimitPerIp', 'RateLimitPerIp']);
        expect(INGEST_PATH).toBe('/api/v1/records');
      });

      it('also runs the AWS IP reputation and known-bad-inputs rule groups; every rule is measured and sampled', () => {
        const rules = webAcl().Rules as { Name: string; Priority: number; OverrideAction?: unknown; Statement: { ManagedRuleGroupStatement?: { VendorName: string; Name: string } }; VisibilityConfig: object }[];
        expect(rules.filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => [r.Statement.ManagedRuleGroupStatement!.VendorName, r.Statement.ManagedRuleGroupStatement!.Name, r.OverrideAction])).toEqual([
          ['AWS', 'AWSManagedRulesAmazonIpReputationList', { None: {} }],
          ['AWS', 'AWSManagedRulesKnownBadInputsRuleSet', { None: {} }],
        ]);
        expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
        for (const rule of [...rules, webAcl()]) expect(rule.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
      });

      it('takes its limits from the context, whole numbers WAF accepts', () => {
        const config = (waf: unknown) => readConfig(new App({ context: { ...cdkContext, waf } }));
        expect(config({ apiRateLimit: 100 }).waf).toEqual({ ...(cdkContext.waf as object), apiRateLimit: 100 });
        for (const bad of [{ rateLimit: 9 }, { apiRateLimit: 100.5 }, { ingestRateLimit: '600' }, { rateLimit: 3_000_000_000 }]) {
          expect(() => config(bad), JSON.stringify(bad)).toThrow(/context "waf\./);
        }
      });
    });

    describe('the API answers CloudFront only', () => {
      const apiOrigins = () => {
        const ids = new Set(distribution().CacheBehaviors.filter((b: { PathPattern: string }) => b.PathPattern.startsWith('/api/')).map((b: { TargetOriginId: string }) => b.TargetOriginId));
        return distribution().Origins.filter((o: { Id: string }) => ids.has(o.Id));
      };

      it('every route goes through the origin-verify authorizer (header identity source, simple responses, cached)', () => {
        const authorizers = resources(s.api, 'AWS::ApiGatewayV2::Authorizer');
        expect(authorizers).toHaveLength(1);
        expect(authorizers[0].Properties).toMatchObject({
          AuthorizerType: 'REQUEST',
          IdentitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
          EnableSimpleResponses: true,
          AuthorizerPayloadFormatVersion: '2.0',
          AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_SECONDS,
        });
        expect(JSON.stringify(authorizers[0].Properties.AuthorizerUri)).toContain(s.api.getLogicalId(s.api.originAuthorizer.node.defaultChild as never));
        const authorizerId = Object.keys(s.template(s.api).findResources('AWS::ApiGatewayV2::Authorizer'))[0];
        const routes = resources(s.api, 'AWS::ApiGatewayV2::Route');
        expect(routes.length).toBeGreaterThan(5);
        for (const route of routes) {
          expect(route.Properties, route.Properties.RouteKey).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
        }
      });

      it('CloudFront sends the secret to the API on every API behaviour, by a dynamic reference to the API stack\'s secret', () => {
        const origins = apiOrigins();
        expect(origins).toHaveLength(1);
        const headers = origins[0].OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
        expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
        const value = headers[0].HeaderValue as { 'Fn::Join': [string, unknown[]] };
        expect(value['Fn::Join'][1][0]).toBe('{{resolve:secretsmanager:');
        expect(value['Fn::Join'][1][1]).toEqual({ 'Fn::ImportValue': expect.stringContaining('OriginVerifySecret') });
        expect(value['Fn::Join'][1][2]).toBe(':SecretString:::}}');
        // The bucket origin gets no secret.
        for (const origin of distribution().Origins.filter((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig)) expect(origin.OriginCustomHeaders).toBeUndefined();
      });

      it('pins the secret version CloudFront sends after a rotation (context originSecretVersion)', () => {
        expect(JSON.stringify(distributionConfigOf(variant))).toContain(':SecretString:::a1b2c3d4-version}}');
        expect(JSON.stringify(distribution())).not.toContain('a1b2c3d4-version');
      });

      it('the authorizer may read that secret and nothing else; it is the inline code tested below', () => {
        const stack = s.api;
        const fn = s.template(stack).toJSON().Resources[stack.getLogicalId(s.api.originAuthorizer.node.defaultChild as never)].Properties;
        expect(fn.Code.ZipFile).toBe(originVerifyAuthorizerCode());
        const secretId = stack.getLogicalId(s.api.originSecret.node.defaultChild as never);
        expect(fn.Environment.Variables).toEqual({ ORIGIN_SECRET_ARN: { Ref: secretId } });
        const roleId = stack.getLogicalId(s.api.originAuthorizer.role!.node.defaultChild as never);
        const statements = resources(stack, 'AWS::IAM::Policy')
          .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
          .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
        expect(statements.length).toBeGreaterThan(0);
        // Besides the secret: sending its traces to X-Ray (active tracing), which AWS authorizes on "*" only.
        const secretStatements = statements.filter((statement) => statement.Resource !== '*');
        expect(statements.filter((statement) => statement.Resource === '*').flatMap((statement) => [statement.Action].flat()).sort()).toEqual([...XRAY_WRITE].sort());
        expect(secretStatements.length).toBeGreaterThan(0);
        for (const statement of secretStatements) {
          expect(statement.Resource).toEqual({ Ref: secretId });
          expect([statement.Action].flat().every((a) => ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'].includes(a))).toBe(true);
        }
        const secret = resources(stack, 'AWS::SecretsManager::Secret')[0].Properties;
        expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
        expect(secret.SecretString).toBeUndefined(); // generated at deploy time, never in a template
      });

      it('module teams publish through the site, not the execute-api endpoint', () => {
        const output = s.template(s.modules[0]).toJSON().Outputs.RegistryUrl.Value;
        expect(JSON.stringify(output)).toMatch(/"Fn::ImportValue":"BanDoTheChe-Web:ExportsOutputFnGetAttDistribution\w*DomainName\w*"\},"\/api\/v1\/modules\/overview\/versions"/);
        expect(JSON.stringify(output)).not.toContain('ApiEndpoint');
      });
    });

    describe('the origin-verify authorizer', () => {
      type Reply = { isAuthorized: boolean };
      const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:origin';
      const load = (versions: Record<string, string | Error>) => {
        const calls: { SecretId: string; VersionStage: string }[] = [];
        class GetSecretValueCommand {
          readonly input: { SecretId: string; VersionStage: string };
          constructor(input: { SecretId: string; VersionStage: string }) {
            this.input = input;
          }
        }
        class SecretsManagerClient {
          async send(command: GetSecretValueCommand) {
            calls.push(command.input);
            const value = versions[command.input.VersionStage];
            if (value instanceof Error) throw value;
            if (value === undefined) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
            return { SecretString: value };
          }
        }
        const modules: Record<string, unknown> = { 'node:crypto': crypto, '@aws-sdk/client-secrets-manager': { SecretsManagerClient, GetSecretValueCommand } };
        const exports: { handler?: (event: unknown) => Promise<Reply> } = {};
        new Function('require', 'exports', 'process', originVerifyAuthorizerCode())((name: string) => modules[name], exports, { env: { ORIGIN_SECRET_ARN: SECRET_ARN } });
        const handler = (header?: string) => exports.handler!({ headers: header === undefined ? {} : { [ORIGIN_VERIFY_HEADER]: header } });
        return { handler, calls, versions };
      };
      afterEach(() => vi.useRealTimers());

      it('allows the current secret and refuses a missing, empty or wrong header, of any length', async () => {
        const { handler, calls } = load({ AWSCURRENT: 'right-secret' });
        expect(await handler('right-secret')).toEqual({ isAuthorized: true });
        for (const wrong of ['wrong-secret', 'right-secre', 'right-secret ', 'x'.repeat(500), 'RIGHT-SECRET']) expect(await handler(wrong), wrong).toEqual({ isAuthorized: false });
        const before = calls.length;
        expect(await handler()).toEqual({ isAuthorized: false });
        expect(await handler('')).toEqual({ isAuthorized: false });
        expect(calls.length).toBe(before);
        expect(calls.every((c) => c.SecretId === SECRET_ARN)).toBe(true);
      });

      it('allows the previous version too, so a rotation never refuses CloudFront mid-deploy', async () => {
        const { handler } = load({ AWSCURRENT: 'new-secret', AWSPREVIOUS: 'old-secret' });
        expect(await handler('old-secret')).toEqual({ isAuthorized: true });
        expect(await handler('new-secret')).toEqual({ isAuthorized: true });
        expect(await handler('older-secret')).toEqual({ isAuthorized: false });
      });

      it('reads the secret once per refresh period, and honours a rotated value after it', async () => {
        vi.useFakeTimers();
        vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
        const { handler, calls, versions } = load({ AWSCURRENT: 'first' });
        expect(await handler('first')).toEqual({ isAuthorized: true });
        const reads = calls.length;
        versions.AWSPREVIOUS = 'first';
        versions.AWSCURRENT = 'second';
        expect(await handler('second')).toEqual({ isAuthorized: false }); // still the cached value
        expect(calls.length).toBe(reads);
        vi.setSystemTime(Date.now() + SECRET_REFRESH_MS + 1);
        expect(await handler('second')).toEqual({ isAuthorized: true });
        expect(await handler('first')).toEqual({ isAuthorized: true });
        expect(calls.length).toBeGreaterThan(reads);
      });

      it('fails closed and uncached when the secret cannot be read (an error, not a denial API Gateway would cache)', async () => {
        const { handler } = load({ AWSCURRENT: Object.assign(new Error('throttled'), { name: 'ThrottlingException' }) });
        await expect(handler('anything')).rejects.toThrow('throttled');
        const previousFails = load({ AWSCURRENT: 'ok', AWSPREVIOUS: new Error('denied') });
        await expect(previousFails.handler('ok')).rejects.toThrow('denied');
        const empty = load({ AWSCURRENT: '' });
        await expect(empty.handler('')).resolves.toEqual({ isAuthorized: false }); // no header: refused before any read
        await expect(empty.handler('anything')).rejects.toThrow('no value');
      });
    });

    describe('alarm e-mail (context alarmEmail)', () => {
      it('subscribes each address to the alarm topic', () => {
        const topicId = s.observability.getLogicalId(s.observability.topic.node.defaultChild as never);
        const subscriptions = resources(s.observability, 'AWS::SNS::Subscription').map((r) => r.Properties);
        expect(subscriptions).toEqual(EMAILS.map((address) => ({ Protocol: 'email', Endpoint: address, TopicArn: { Ref: topicId } })));
      });

      it('subscribes nobody when unset (as in cdk.json)', () => {
        expect(cdkContext.alarmEmail).toBe('');
        expect(variant.config.alarmEmails).toEqual([]);
        expect(variant.observability.node.findAll().filter((c) => c instanceof sns.CfnSubscription)).toEqual([]);
        expect(s.observability.node.findAll().filter((c) => c instanceof sns.CfnSubscription)).toHaveLength(EMAILS.length);
      });

      it('takes one address, a comma-separated list or a JSON list, and refuses what is not an address', () => {
        const emails = (alarmEmail: unknown) => readConfig(new App({ context: { ...cdkContext, alarmEmail } })).alarmEmails;
        expect(emails('ops@example.org')).toEqual(['ops@example.org']);
        expect(emails(' a@example.org , b@example.org ,a@example.org')).toEqual(['a@example.org', 'b@example.org']);
        expect(emails('["a@example.org"]')).toEqual(['a@example.org']);
        for (const bad of ['ops', 'ops@example', 'a@example.org; b@example.org', '@example.org', ['a@example.org', 7]]) {
          expect(() => emails(bad), JSON.stringify(bad)).toThrow(/alarmEmail/);
        }
      });
    });

    describe('access logs', () => {
      it('the public bucket and CloudFront log to a private, TLS-only access-log bucket that forgets them', () => {
        const logsId = s.data.getLogicalId(s.data.accessLogs.node.defaultChild as never);
        const bucketId = s.data.getLogicalId(s.data.bucket.node.defaultChild as never);
        const t = s.template(s.data).toJSON().Resources;
        expect(t[bucketId].Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 's3/public-bucket/' });
        const logs = t[logsId];
        expect(logs.DeletionPolicy).toBe('Retain');
        expect(logs.Properties).toMatchObject({
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] }, // CloudFront's standard logs need ACLs
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: cdkContext.logRetentionDays, Status: 'Enabled' })] },
        });
        const policy = resources(s.data, 'AWS::S3::BucketPolicy').find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logsId }))!;
        const statements = policy.Properties.PolicyDocument.Statement as Statement[];
        expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
        const delivery = statements.find((st) => JSON.stringify(st).includes('logging.s3.amazonaws.com'))!;
        expect(delivery).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject', Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } } });
        expect(JSON.stringify(delivery.Resource)).toContain('/s3/public-bucket/*');
        expect(distribution().Logging).toEqual({ Bucket: { 'Fn::ImportValue': expect.stringContaining('AccessLogs') }, Prefix: 'cloudfront/' });
      });

      it('every function role writes to its own log group only, and has no AWS managed policy', () => {
        const functions = [s.api.ingest, s.api.read, s.api.registry, s.api.originAuthorizer, s.processing.aggregate, s.processing.score, s.processing.publish];
        for (const fn of functions) {
          const stack = Stack.of(fn);
          const role = s.template(stack).toJSON().Resources[stack.getLogicalId(fn.role!.node.defaultChild as never)].Properties;
          expect(role.ManagedPolicyArns, fn.node.id).toBeUndefined();
          const logGroup = s.template(stack).toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as never)].Properties.LoggingConfig.LogGroup;
          expect(role.Policies, fn.node.id).toEqual([
            { PolicyName: 'OwnLogGroup', PolicyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'OwnLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup.Ref, 'Arn'] } }] } },
          ]);
        }
        for (const stack of [s.data, s.api, s.processing, s.edge, s.web, s.observability, ...s.modules]) {
          for (const role of resources(stack, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns, stack.stackName).toBeUndefined();
        }
      });
    });

    describe('cdk-nag (AwsSolutions)', () => {
      const covers = (ack: NagAcknowledgment, rule: string, path: string) => ack.id === rule && (path === ack.construct.node.path || path.startsWith(`${ack.construct.node.path}/`));
      const findings = () => raw.violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: (r as { constructPath?: string }).constructPath ?? String(r.resourceLogicalId) })));

      it('reports nothing once the acknowledgments of lib/nag.ts are recorded: no error, no warning', () => {
        expect(final.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => (r as { constructPath?: string }).constructPath).join(', ')}`)).toEqual([]);
        expect(final.success).toBe(true);
      });

      it('without them, finds exactly what they acknowledge: none is stale, none is missing', () => {
        expect(raw.success).toBe(false);
        for (const finding of findings()) {
          expect(acknowledged.filter((ack) => covers(ack, finding.rule, finding.path)).length, `${finding.rule} on ${finding.path}`).toBe(1);
        }
        for (const ack of acknowledged) {
          expect(findings().some((finding) => covers(ack, finding.rule, finding.path)), `stale: ${ack.id} on ${ack.construct.node.path}`).toBe(true);
        }
      });

      it('acknowledges each finding on the construct it is about, never a stack or the app, with its own reason', () => {
        expect(acknowledged.length).toBeGreaterThan(0);
        const keys = new Set<string>();
        for (const ack of acknowledged) {
          expect(Stack.isStack(ack.construct) || ack.construct.node.scope === undefined, ack.id).toBe(false);
          expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
          expect(ack.reason.length, ack.id).toBeGreaterThan(60);
          keys.add(`${ack.construct.node.path} ${ack.id}`);
        }
        expect(keys.size).toBe(acknowledged.length);
        // No rule acknowledged wholesale: an IAM5 acknowledgment always names its one action or resource.
        for (const ack of acknowledged.filter((a) => a.id.startsWith('AwsSolutions-IAM5'))) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[(Action|Resource)::.+\]$/);
        // The same list is recorded on every synthesis of the app (buildApp does it by default).
        expect(nagAcknowledgments(s).map((a) => `${a.construct.node.path} ${a.id}`)).toEqual(acknowledged.map((a) => `${a.construct.node.path} ${a.id}`));
      });

      it('acknowledges CFR4 (TLS policy) only without a custom domain', () => {
        expect(nagAcknowledgments(variant).map((a) => a.id)).not.toContain('AwsSolutions-CFR4');
        expect(acknowledged.map((a) => a.id)).toContain('AwsSolutions-CFR4');
        expect(distributionConfigOf(variant).viewerCertificate.minimumProtocolVersion).toBe('TLSv1.2_2021');
      });
    });
  });
}
