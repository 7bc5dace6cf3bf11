/**
 * The public front door: CloudFront over the private bucket (origin access control) and the API.
 * One origin for everything the browser needs: the shell at `/`, immutable bundles, short-lived
 * `importmap.json` and snapshots under `/data`, framable embeds under `/embed`, the API under `/api`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Annotations, Aws, CfnOutput, CustomResource, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { REGISTRY_BASE } from '../../functions/src/domain/modules/render.ts';
import { MODULE_ASSET_CSP } from '../../functions/src/domain/modules/rules.ts';
import { apiPaths } from '../../functions/src/routes.ts';
import { env } from '../../functions/src/config.ts';
import type { AppConfig } from '../config.ts';
import { REGISTRY_WRITES } from './api-stack.ts';
import { AppFunction, executionRole, repoRoot } from './app-function.ts';
import { LOG_PREFIX } from './data-stack.ts';
import {
  DATA_POLICY,
  EMBED_FRAME_ANCESTORS,
  SITE_FRAME_ANCESTORS,
  cspFunctionCode,
  spaRewriteFunctionCode,
} from './security-headers.ts';

export interface WebStackProps extends StackProps {
  config: AppConfig;
  bucket: s3.IBucket;
  /** The state table: the module registry's live versions, which the page is rendered from. */
  state: dynamodb.ITable;
  api: apigw.IHttpApi;
  /** ARN of the CloudFront-scope AWS WAF web ACL (edge stack, us-east-1). */
  webAclArn?: string;
  /** Headers CloudFront adds to every request it sends the API (the origin-verify secret). */
  apiOriginHeaders?: Record<string, string>;
  /** Bucket for CloudFront's standard logs (data stack). */
  accessLogs?: s3.IBucket;
}

/**
 * Objects owned by the registry (the live import map and the page that inlines it) and the publisher:
 * a site deploy never overwrites them. Bundles are uploaded (versioned paths, so never overwritten).
 */
export const NOT_DEPLOYED = ['index.html', 'importmap.json', 'modules.json', 'csp.txt', 'data/*'];

/**
 * API paths that write or answer by key (every function's but the read API's, from the route table): never cached,
 * every viewer header passed on. A path with parameters is its fixed start and `/*`.
 */
export const API_WRITE_PATHS = [...new Set(apiPaths().filter(({ fn }) => fn !== 'read-api').map(({ path }) => path.replace(/\/\{.*$/, '/*')))];
/** The query parameters of the read API's routes: the edge cache key, and all the read API receives. */
export const READ_QUERY_PARAMETERS = ['period', 'unit', 'peerGroup', 'format', 'from', 'to'];

/** The folder of the site build (context `webDist`, relative to the repository). */
export const siteBuildDir = (config: Pick<AppConfig, 'webDist'>) => (isAbsolute(config.webDist) ? config.webDist : join(repoRoot, config.webDist));

/**
 * The build's base (template, shell, the build's modules) the page is rendered from; the one file a
 * complete build always has. Throws, saying what to do, when the build is missing or incomplete: a
 * deploy without the site would leave a CloudFront distribution that serves nothing.
 */
export function siteBuildBase(config: Pick<AppConfig, 'webDist'>): string {
  const file = join(siteBuildDir(config), REGISTRY_BASE);
  if (!existsSync(file)) {
    throw new Error(
      `The site build is missing: ${file} does not exist. Run \`npm run build\` (it writes dist/web), or set the context "webDist" to the folder of a complete build, then synth or deploy again.`,
    );
  }
  return file;
}

export class WebStack extends Stack {
  readonly distribution: cloudfront.Distribution;
  /** Uploads the site build (shell, shared runtime, the build's modules, embeds). */
  readonly siteDeployment: s3deploy.BucketDeployment;
  /** Renders index.html and the import map from the registry once the build is uploaded (custom resource). */
  readonly sitePage: CustomResource;
  readonly renderSite: AppFunction;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Imported, so that the OAC grant below lands in this stack's bucket policy instead of making the
    // data stack depend on the distribution (a cycle).
    const bucket = s3.Bucket.fromBucketAttributes(this, 'PublicBucket', {
      bucketArn: props.bucket.bucketArn,
      bucketName: props.bucket.bucketName,
      bucketRegionalDomainName: props.bucket.bucketRegionalDomainName,
    });
    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(bucket, {
      originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
    });
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'The bucket policy is written in this stack (PublicBucketPolicy).',
    );
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      'defaultRootObject is set and extensionless paths are rewritten to index.html: listing is never reachable.',
    );
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const apiOrigin = new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY, customHeaders: props.apiOriginHeaders });

    // Cache policies: edge TTLs. Browser caching follows Cache-Control, set by the writers and, for
    // immutable paths, forced by the response headers policy.
    const shortCache = new cloudfront.CachePolicy(this, 'ShortCache', {
      comment: 'index.html, importmap.json, embeds: minutes at most',
      defaultTtl: Duration.seconds(60),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(5),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const snapshotCache = new cloudfront.CachePolicy(this, 'SnapshotCache', {
      comment: 'Snapshots under /data: rewritten every minute',
      defaultTtl: Duration.seconds(30),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(60),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Read API replies: as long as their Cache-Control says (30 s; status 5 s; errors no-store), keyed by the
    // query parameters the read API knows, so a crowd asking the same question costs one Lambda call per
    // max-age, and made-up parameters can neither split the cache nor reach the function.
    const apiCache = new cloudfront.CachePolicy(this, 'ApiCache', {
      comment: 'Read API GETs: the origin max-age, by known query parameters',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(60),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...READ_QUERY_PARAMETERS),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const immutableCache = new cloudfront.CachePolicy(this, 'ImmutableCache', {
      comment: 'Content-hashed and versioned bundles: a year',
      defaultTtl: Duration.days(365),
      minTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    // Response headers.
    const hsts = { accessControlMaxAge: Duration.days(730), includeSubdomains: false, override: true };
    const common = {
      strictTransportSecurity: hsts,
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    };
    const permissions = { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true };
    const siteHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SiteHeaders', {
      comment: 'Site: refuses framing; CSP set by the viewer-response function',
      securityHeadersBehavior: { ...common, frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true } },
      customHeadersBehavior: {
        customHeaders: [permissions, { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true }],
      },
    });
    const embedHeaders = new cloudfront.ResponseHeadersPolicy(this, 'EmbedHeaders', {
      comment: 'Embeds: framable by any site (CSP frame-ancestors *), no X-Frame-Options',
      securityHeadersBehavior: { ...common },
      customHeadersBehavior: { customHeaders: [permissions] },
    });
    const dataHeaders = new cloudfront.ResponseHeadersPolicy(this, 'DataHeaders', {
      comment: 'Snapshots: readable from any origin, never executable',
      securityHeadersBehavior: {
        ...common,
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: DATA_POLICY, override: true },
      },
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
    });
    const immutableHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ImmutableHeaders', {
      comment: 'Immutable bundles: cached for a year by browsers too',
      securityHeadersBehavior: { ...common },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: 'public, max-age=31536000, immutable', override: true }],
      },
    });
    // A team's files (the team role may put any key and type under its prefix): opened on their own they
    // run and load nothing, as the local stack serves them (docs/MODULES.md § Module assets).
    const moduleHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ModuleHeaders', {
      comment: 'Module bundles: immutable, never a document on the site origin (sandboxing CSP)',
      securityHeadersBehavior: {
        ...common,
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: MODULE_ASSET_CSP, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: 'public, max-age=31536000, immutable', override: true }],
      },
    });
    const apiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'API replies: never executable or framed',
      securityHeadersBehavior: {
        ...common,
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: DATA_POLICY, override: true },
      },
    });

    const fn = (name: string, code: string, comment: string) =>
      new cloudfront.Function(this, name, { code: cloudfront.FunctionCode.fromInline(code), runtime: cloudfront.FunctionRuntime.JS_2_0, comment });
    const siteCsp = fn('SiteCsp', cspFunctionCode(SITE_FRAME_ANCESTORS, { preview: true }), 'CSP for the site (never framed); the preview cookie');
    const embedCsp = fn('EmbedCsp', cspFunctionCode(EMBED_FRAME_ANCESTORS), 'CSP for embeds (framable)');
    const siteRoutes = fn('SiteRoutes', spaRewriteFunctionCode('/index.html', { preview: true, socialPreviews: true }), 'Views of the shell → /index.html, a preview page, or for a link-preview robot the social preview page');
    const embedRoutes = fn('EmbedRoutes', spaRewriteFunctionCode('/embed/index.html'), 'Embed views → /embed/index.html');
    const pageFunctions = (routes: cloudfront.Function, csp: cloudfront.Function): cloudfront.FunctionAssociation[] => [
      { function: routes, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
      { function: csp, eventType: cloudfront.FunctionEventType.VIEWER_RESPONSE },
    ];

    const https = cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS;
    const fromBucket = (cachePolicy: cloudfront.ICachePolicy, responseHeadersPolicy: cloudfront.IResponseHeadersPolicy, functionAssociations?: cloudfront.FunctionAssociation[]): cloudfront.BehaviorOptions => ({
      origin: siteOrigin,
      viewerProtocolPolicy: https,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      cachePolicy,
      responseHeadersPolicy,
      functionAssociations,
    });
    // Writes (ingest, the module registry) pass through uncached with every header; reads are cached.
    const apiWrites: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: https,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
      compress: true,
    };
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {
      ...Object.fromEntries(API_WRITE_PATHS.map((path) => [path, apiWrites])),
      '/api/*': {
        origin: apiOrigin,
        viewerProtocolPolicy: https,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: apiCache,
        responseHeadersPolicy: apiHeaders,
        compress: true,
      },
      '/data/*': fromBucket(snapshotCache, dataHeaders),
      '/importmap.json': fromBucket(shortCache, siteHeaders),
      '/embed/*': fromBucket(shortCache, embedHeaders, pageFunctions(embedRoutes, embedCsp)),
    };
    for (const path of config.immutablePaths) additionalBehaviors[path] = fromBucket(immutableCache, immutableHeaders);
    additionalBehaviors['/modules/*'] = fromBucket(immutableCache, moduleHeaders);

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${config.prefix}: Bản đồ thể chế`,
      defaultRootObject: 'index.html',
      defaultBehavior: fromBucket(shortCache, siteHeaders, pageFunctions(siteRoutes, siteCsp)),
      additionalBehaviors,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: config.priceClass as cloudfront.PriceClass,
      // Applies with a custom domain; the default *.cloudfront.net certificate has a fixed policy.
      minimumProtocolVersion: config.certificateArn ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      domainNames: config.domainName ? [config.domainName] : undefined,
      certificate: config.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn) : undefined,
      webAclId: props.webAclArn,
      enableLogging: props.accessLogs !== undefined,
      logBucket: props.accessLogs,
      logFilePrefix: props.accessLogs ? LOG_PREFIX.cloudFront : undefined,
    });

    // The bucket's only policy: TLS only, and CloudFront reads on behalf of this distribution alone.
    const policy = new s3.BucketPolicy(this, 'PublicBucketPolicy', { bucket });
    policy.document.addStatements(
      new iam.PolicyStatement({
        sid: 'TlsOnly',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      new iam.PolicyStatement({
        sid: 'CloudFrontReads',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject', 's3:ListBucket'],
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${this.distribution.distributionId}` },
        },
      }),
    );

    // The site build (`npm run build`): the shell, shared runtime, the build's modules and embeds. Never
    // prunes: bundles stay for pages still cached in browsers, and the registry's and publisher's objects
    // are left alone. Without a build there is no site, so there is no deploy either (below).
    const base = readFileSync(siteBuildBase(config));
    // Its own role and log group: no AWS managed policy (AWSLambdaBasicExecutionRole).
    const deployLogs = new logs.LogGroup(this, 'SiteDeployLogs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    this.siteDeployment = new s3deploy.BucketDeployment(this, 'Site', {
      sources: [s3deploy.Source.asset(siteBuildDir(config))],
      destinationBucket: bucket,
      prune: false,
      exclude: NOT_DEPLOYED,
      memoryLimit: 512,
      role: executionRole(this, 'SiteDeployRole', deployLogs, 'Site upload (BucketDeployment) at deploy time'),
      logGroup: deployLogs,
    });
    [this.renderSite, this.sitePage] = this.renderSitePage(config, bucket, props.state, base);
    this.sitePage.node.addDependency(this.siteDeployment);

    new CfnOutput(this, 'SiteUrl', { value: `https://${config.domainName ?? this.distribution.distributionDomainName}` });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'RenderSiteFunctionName', { value: this.renderSite.functionName, description: 'Re-renders the page from the registry when invoked with {"RequestType":"Create"}' });
    if (config.domainName) new CfnOutput(this, 'DnsTarget', { value: this.distribution.distributionDomainName, description: `CNAME/alias ${config.domainName} to this` });
  }

  /**
   * The page (index.html with the import map inline and its CSP, importmap.json, modules.json, csp.txt),
   * rendered by the registry's code from the build's base and the registry's live versions, by a custom
   * resource that runs after the upload: a first deploy serves a working page, with nothing done by hand.
   * Its property is the hash of the build's base (the shell's content-hashed files, the template, the
   * build's modules), so a new shell re-renders the page on deploy; a deploy without one leaves it alone.
   */
  private renderSitePage(config: AppConfig, bucket: s3.IBucket, state: dynamodb.ITable, base: Buffer): [AppFunction, CustomResource] {
    const render = new AppFunction(this, 'RenderSite', {
      handler: 'render-site',
      description: 'Deploy time (custom resource SitePage): render index.html and importmap.json from the module registry',
      environment: { [env.stateTable]: state.tableName, [env.publicBucket]: bucket.bucketName },
      memorySize: 512,
      timeout: Duration.minutes(2),
      logRetentionDays: config.logRetentionDays,
    });
    render.addToRolePolicy(new iam.PolicyStatement({ sid: 'RegistryItem', actions: ['dynamodb:GetItem'], resources: [state.tableArn] }));
    render.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadSiteBuild', actions: ['s3:GetObject'], resources: [bucket.arnForObjects(REGISTRY_BASE)] }));
    render.addToRolePolicy(new iam.PolicyStatement({ sid: 'WritePage', actions: ['s3:PutObject'], resources: REGISTRY_WRITES.map((key) => bucket.arnForObjects(key)) }));
    // Without ListBucket a missing build reads as 403 instead of 404 (and its clear message is lost).
    render.addToRolePolicy(new iam.PolicyStatement({ sid: 'MissingIsNotFound', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));

    const providerLogs = new logs.LogGroup(this, 'SitePageProviderLogs', { retention: config.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    const provider = new cr.Provider(this, 'SitePageProvider', {
      onEventHandler: render,
      logGroup: providerLogs,
      frameworkOnEventRole: executionRole(this, 'SitePageProviderRole', providerLogs, 'Custom resource provider framework of SitePage (calls render-site)'),
    });
    const page = new CustomResource(this, 'SitePage', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SitePage',
      properties: { SiteBuild: createHash('sha256').update(base).digest('hex') },
    });
    return [render, page];
  }
}
