/**
 * The whole product as CDK stacks, split by ownership:
 *   <prefix>-Data            tables + public bucket (stateful, retained)
 *   <prefix>-Api             HTTP API, ingest / read / registry functions
 *   <prefix>-Processing      stream aggregation, scoring and publishing schedules, dead-letter queue
 *   <prefix>-Edge            (us-east-1) the AWS WAF web ACL of the distribution: rate limits, managed rules
 *   <prefix>-Web             CloudFront + origin access control, headers, site upload, the page rendered from the registry
 *   <prefix>-Module-<name>   one per department team: the role its CI uses to publish its module
 *   <prefix>-Observability   alarms, alarm topic, dashboard
 * `app.ts` runs it for the CLI; the tests call `buildApp` on an App of their own.
 */
import { App, Fn, SecretValue, Tags, type Environment } from 'aws-cdk-lib';
import { readConfig, type AppConfig } from './config.ts';
import { ApiStack } from './lib/api-stack.ts';
import { DataStack } from './lib/data-stack.ts';
import { EDGE_REGION, EdgeStack, WEB_ACL_OUTPUT } from './lib/edge-stack.ts';
import { acknowledgeNagFindings } from './lib/nag.ts';
import { ORIGIN_VERIFY_HEADER } from './lib/origin-verify.ts';
import { ModuleTeamStack } from './lib/module-team-stack.ts';
import { ObservabilityStack } from './lib/observability-stack.ts';
import { ProcessingStack } from './lib/processing-stack.ts';
import { WebStack } from './lib/web-stack.ts';
import { env as environmentNames } from '../functions/src/config.ts';

export interface ProductStacks {
  config: AppConfig;
  data: DataStack;
  api: ApiStack;
  processing: ProcessingStack;
  edge: EdgeStack;
  web: WebStack;
  modules: ModuleTeamStack[];
  observability: ObservabilityStack;
}

export interface BuildOptions {
  /** Record the cdk-nag acknowledgments of `lib/nag.ts` (default); the nag test builds once without them. */
  acknowledgeNag?: boolean;
}

export function buildApp(app: App, options: BuildOptions = {}): ProductStacks {
  const config = readConfig(app);
  // Account and region from the CLI's credentials when there are any; env-agnostic (synth offline) otherwise.
  const env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const name = (suffix: string) => `${config.prefix}-${suffix}`;
  const description = (what: string) => `Bản đồ thể chế (Institutional Transparency Map): ${what}`;

  const data = new DataStack(app, name('Data'), {
    env,
    logRetentionDays: config.logRetentionDays,
    pinRetention: config.pinRetention,
    description: description('tables, public bucket and access logs (retained)'),
  });
  const shared = { env, config, records: data.records, state: data.state, bucket: data.bucket };
  const api = new ApiStack(app, name('Api'), { ...shared, description: description('HTTP API and its functions') });
  const processing = new ProcessingStack(app, name('Processing'), { ...shared, description: description('stream aggregation, scoring, publishing') });
  // The web ACL must be in us-east-1; the web stack reads its ARN there (Fn::GetStackOutput), so the
  // rest of the product keeps its own region and stays environment-agnostic offline.
  const edge = new EdgeStack(app, name('Edge'), { env: { account: env.account, region: EDGE_REGION }, config, description: description('AWS WAF web ACL of the site (us-east-1)') });
  const originSecret = config.originSecretVersion
    ? SecretValue.secretsManager(api.originSecret.secretArn, { versionId: config.originSecretVersion })
    : api.originSecret.secretValue;
  const web = new WebStack(app, name('Web'), {
    env,
    config,
    bucket: data.bucket,
    state: data.state,
    api: api.api,
    webAclArn: Fn.getStackOutput(edge.stackName, WEB_ACL_OUTPUT, EDGE_REGION),
    // A dynamic reference: CloudFormation resolves it at deploy time; the value is in no template.
    apiOriginHeaders: { [ORIGIN_VERIFY_HEADER]: originSecret.unsafeUnwrap() },
    accessLogs: data.accessLogs,
    description: description('CloudFront site'),
  });
  web.addStackDependency(edge, 'reads the web ACL ARN from its outputs');
  const siteUrl = `https://${config.domainName ?? web.distribution.distributionDomainName}`;
  // The social previews' Open Graph addresses must be absolute: the publisher names the site's.
  processing.publish.addEnvironment(environmentNames.siteUrl, siteUrl);
  const modules = config.modules.map(
    (moduleName) =>
      new ModuleTeamStack(app, name(`Module-${moduleName}`), {
        env,
        moduleName,
        bucket: data.bucket,
        apiEndpoint: siteUrl, // the API answers CloudFront only
        ci: config.moduleCi,
        description: description(`publisher role of the ${moduleName} module team`),
      }),
  );
  const observability = new ObservabilityStack(app, name('Observability'), {
    env,
    config,
    apiFunctions: [api.ingest, api.read, api.registry],
    aggregate: processing.aggregate,
    score: processing.score,
    publish: processing.publish,
    deadLetters: processing.deadLetters,
    api: api.api,
    tables: [data.records, data.state],
    distribution: web.distribution,
    description: description('alarms and dashboard'),
  });

  Tags.of(app).add('project', 'ban-do-the-che');
  Tags.of(app).add('deployment', config.prefix);
  const stacks = { config, data, api, processing, edge, web, modules, observability };
  if (options.acknowledgeNag ?? true) acknowledgeNagFindings(stacks);
  return stacks;
}
