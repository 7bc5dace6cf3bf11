/**
 * The HTTP API: ingest (POST /api/v1/records), the read API (GET /api/v1/*) and the module registry
 * (/api/v1/modules*), each its own function with only the permissions its handler needs. Every route
 * answers CloudFront only (origin-verify authorizer, see origin-verify.ts), so the web ACL and its
 * rate limits cannot be walked around through the execute-api endpoint.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';
import { AppFunction, RUNTIME, executionRole } from './app-function.ts';
import { AUTHORIZER_CACHE_SECONDS, ORIGIN_VERIFY_HEADER, originVerifyAuthorizerCode } from './origin-verify.ts';
import { WRITE_RECORDS, WRITE_STATE, allowRead, allowWrite } from './permissions.ts';
import { apiPaths, type ApiFunction } from '../../functions/src/routes.ts';
import { env } from '../../functions/src/config.ts';
import { CARD_ASSET_DIR, CARD_ASSETS } from '../../functions/src/services/social/card-assets.ts';

export interface ApiStackProps extends StackProps {
  config: AppConfig;
  records: dynamodb.ITable;
  state: dynamodb.ITable;
  bucket: s3.IBucket;
}

/** Published snapshots the read API answers from (the city's 1022 view), and nothing else of the bucket. */
export const READ_SNAPSHOTS = 'data/feedback/*';
/** What the card function reads: the units, a unit's history, a period's ranking. */
export const CARD_READS = ['data/units.json', 'data/units/*', 'data/rankings/*'];

/**
 * Objects the registry rewrites on every publish (atomically, one PutObject each): the page with the map
 * inline (its CSP as object metadata), the map, modules.json (the shell reads it) and csp.txt (the policy, plain).
 */
export const REGISTRY_WRITES = ['importmap.json', 'index.html', 'modules.json', 'csp.txt'];
/** Objects the registry reads: bundles (for SRI integrity), the shell's template and what it rewrites. */
export const REGISTRY_READS = ['modules/*', 'shell/*', ...REGISTRY_WRITES];
/**
 * Version folders: only the registry writes them, copying a deploy's staged files (modules/_staging/…) into
 * modules/<name>/<version>/ once it accepts the publish, and deleting what it copied if recording the version fails.
 */
export const REGISTRY_VERSION_FILES = 'modules/*';
/** Preview pages (`POST …/preview`): the site rendered with a version not yet live, under an unguessable token. */
export const REGISTRY_PREVIEWS = 'previews/*';

export class ApiStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly ingest: AppFunction;
  readonly read: AppFunction;
  readonly registry: AppFunction;
  readonly card: AppFunction;
  readonly accessLogs: logs.LogGroup;
  /** The value CloudFront sends as `x-origin-verify`; generated at deploy time. */
  readonly originSecret: secretsmanager.Secret;
  readonly originAuthorizer: lambda.Function;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, records, state, bucket } = props;
    const environment = {
      [env.recordsTable]: records.tableName,
      [env.stateTable]: state.tableName,
      [env.city]: config.city,
    };
    const common = { logRetentionDays: config.logRetentionDays };

    this.ingest = new AppFunction(this, 'IngestRecords', {
      ...common,
      handler: 'ingest-records',
      description: 'POST /api/v1/records: validate, authorize by key scope, store the latest copy of each record',
      environment,
      memorySize: 1769, // one full vCPU: parsing and validating large batches is CPU-bound
    });
    allowRead(this.ingest, records);
    allowWrite(this.ingest, records, WRITE_RECORDS);
    allowRead(this.ingest, state); // keys, stored hashed
    allowWrite(this.ingest, state, WRITE_STATE); // dirty marks

    this.read = new AppFunction(this, 'ReadApi', {
      ...common,
      handler: 'read-api',
      description: 'GET /api/v1/*: status, units, scores, history, feedback, method, OpenAPI',
      environment: { ...environment, [env.publicBucket]: bucket.bucketName },
    });
    allowRead(this.read, records);
    allowRead(this.read, state);
    // The city's 1022 view is the published snapshot: one object read instead of every unit's figures.
    this.read.addToRolePolicy(new iam.PolicyStatement({ sid: 'PublishedFeedback', actions: ['s3:GetObject'], resources: [bucket.arnForObjects(READ_SNAPSHOTS)] }));
    this.read.addToRolePolicy(new iam.PolicyStatement({ sid: 'MissingIsNotFound', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));

    // Social cards: drawn on request from the published snapshots (no table); a font and resvg's wasm travel with it.
    this.card = new AppFunction(this, 'SocialCard', {
      ...common,
      handler: 'social-card',
      description: 'GET /api/v1/units/{id}/card.png: a unit\'s score card in a period (PNG), for social previews',
      environment: { [env.city]: config.city, [env.publicBucket]: bucket.bucketName },
      memorySize: 1769, // one full vCPU: layout and rasterizing are CPU-bound
      assets: { dir: CARD_ASSET_DIR, files: CARD_ASSETS },
    });
    this.card.addToRolePolicy(new iam.PolicyStatement({ sid: 'PublishedSnapshots', actions: ['s3:GetObject'], resources: CARD_READS.map((key) => bucket.arnForObjects(key)) }));
    this.card.addToRolePolicy(new iam.PolicyStatement({ sid: 'MissingIsNotFound', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));

    this.registry = new AppFunction(this, 'ModuleRegistry', {
      ...common,
      handler: 'module-registry',
      description: '/api/v1/modules*: check the team key, record versions, rewrite importmap.json and index.html',
      environment: { ...environment, [env.publicBucket]: bucket.bucketName },
      memorySize: 512,
    });
    allowRead(this.registry, state);
    allowWrite(this.registry, state, WRITE_STATE); // versions, history, team keys (hashed)
    this.registry.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadBundlesAndSite',
        actions: ['s3:GetObject'],
        resources: REGISTRY_READS.map((key) => bucket.arnForObjects(key)),
      }),
    );
    this.registry.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteImportMapAndShell',
        actions: ['s3:PutObject'],
        resources: REGISTRY_WRITES.map((key) => bucket.arnForObjects(key)),
      }),
    );
    this.registry.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteAcceptedVersions',
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [bucket.arnForObjects(REGISTRY_VERSION_FILES)],
      }),
    );
    this.registry.addToRolePolicy(new iam.PolicyStatement({ sid: 'WritePreviews', actions: ['s3:PutObject'], resources: [bucket.arnForObjects(REGISTRY_PREVIEWS)] }));
    // Without ListBucket a missing object reads as 403 instead of 404. Key names are public anyway.
    this.registry.addToRolePolicy(new iam.PolicyStatement({ sid: 'MissingIsNotFound', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Only CloudFront knows the secret: it sends it on every request to this API (web stack).
    this.originSecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
      description: `Sent by CloudFront to the API as ${ORIGIN_VERIFY_HEADER}; the API refuses requests without it`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    const authorizerLogs = new logs.LogGroup(this, 'OriginVerifyLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.originAuthorizer = new lambda.Function(this, 'OriginVerify', {
      description: `Authorizer of every API route: is ${ORIGIN_VERIFY_HEADER} CloudFront's secret?`,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(originVerifyAuthorizerCode()),
      memorySize: 256,
      timeout: Duration.seconds(10),
      role: executionRole(this, 'OriginVerifyRole', authorizerLogs, 'origin-verify authorizer: execution role'),
      logGroup: authorizerLogs,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ORIGIN_SECRET_ARN: this.originSecret.secretArn },
    });
    this.originSecret.grantRead(this.originAuthorizer);
    const originVerify = new HttpLambdaAuthorizer('OriginVerify', this.originAuthorizer, {
      authorizerName: 'origin-verify',
      identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_SECONDS),
    });

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Bản đồ thể chế API',
      createDefaultStage: false,
      defaultAuthorizer: originVerify,
    });
    const stage = this.api.addStage('PublicStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.rate, burstLimit: config.throttle.burst },
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            bytes: '$context.responseLength',
            error: '$context.error.message',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    // The route table's paths, every method of a path to its function, whose router answers 405 for a method it
    // does not serve (as the local stack); any other path is 404 from API Gateway.
    const integrations: Record<ApiFunction, HttpLambdaIntegration> = {
      'ingest-records': new HttpLambdaIntegration('Ingest', this.ingest),
      'read-api': new HttpLambdaIntegration('Read', this.read),
      'module-registry': new HttpLambdaIntegration('Registry', this.registry),
      'social-card': new HttpLambdaIntegration('Card', this.card),
    };
    // Tighter limits than the stage's on the paths that take writes.
    const writeLimits: Partial<Record<ApiFunction, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>> = {
      'ingest-records': { ThrottlingRateLimit: config.throttle.ingestRate, ThrottlingBurstLimit: config.throttle.ingestBurst },
      'module-registry': { ThrottlingRateLimit: config.throttle.modulesRate, ThrottlingBurstLimit: config.throttle.modulesBurst },
    };
    const routeSettings: Record<string, object> = {};
    for (const { path, fn, methods } of apiPaths()) {
      this.api.addRoutes({ path, methods: [apigw.HttpMethod.ANY], integration: integrations[fn] });
      const limit = writeLimits[fn];
      if (limit && methods.includes('POST')) routeSettings[`ANY ${path}`] = limit;
    }
    const cfnStage = stage.node.defaultChild as apigw.CfnStage;
    cfnStage.routeSettings = routeSettings;
    // Route settings name routes that must exist first.
    for (const child of this.api.node.children) {
      if (child instanceof apigw.HttpRoute) cfnStage.node.addDependency(child);
    }

    new CfnOutput(this, 'ApiEndpoint', { value: this.api.apiEndpoint, description: `Answers CloudFront only (${ORIGIN_VERIFY_HEADER}); clients use <SiteUrl>/api/v1/...` });
    new CfnOutput(this, 'OriginSecretArn', { value: this.originSecret.secretArn });
  }
}
