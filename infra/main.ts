/**
 * The whole product as CDK stacks, split by ownership:
 *   <prefix>-Data            tables + public bucket (stateful, retained)
 *   <prefix>-Api             HTTP API, ingest / read / registry functions
 *   <prefix>-Processing      stream aggregation, scoring and publishing schedules, dead-letter queue
 *   <prefix>-Web             CloudFront + origin access control, headers, optional site upload
 *   <prefix>-Module-<name>   one per department team: the role its CI uses to publish its module
 *   <prefix>-Observability   alarms, alarm topic, dashboard
 * `app.ts` runs it for the CLI; the tests call `buildApp` on an App of their own.
 */
import { App, Tags, type Environment } from 'aws-cdk-lib';
import { readConfig, type AppConfig } from './config.ts';
import { ApiStack } from './lib/api-stack.ts';
import { DataStack } from './lib/data-stack.ts';
import { ModuleTeamStack } from './lib/module-team-stack.ts';
import { ObservabilityStack } from './lib/observability-stack.ts';
import { ProcessingStack } from './lib/processing-stack.ts';
import { WebStack } from './lib/web-stack.ts';

export interface ProductStacks {
  config: AppConfig;
  data: DataStack;
  api: ApiStack;
  processing: ProcessingStack;
  web: WebStack;
  modules: ModuleTeamStack[];
  observability: ObservabilityStack;
}

export function buildApp(app: App): ProductStacks {
  const config = readConfig(app);
  // Account and region from the CLI's credentials when there are any; env-agnostic (synth offline) otherwise.
  const env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const name = (suffix: string) => `${config.prefix}-${suffix}`;
  const description = (what: string) => `Bản đồ thể chế (Institutional Transparency Map): ${what}`;

  const data = new DataStack(app, name('Data'), { env, description: description('tables and public bucket (retained)') });
  const shared = { env, config, records: data.records, state: data.state, bucket: data.bucket };
  const api = new ApiStack(app, name('Api'), { ...shared, description: description('HTTP API and its functions') });
  const processing = new ProcessingStack(app, name('Processing'), { ...shared, description: description('stream aggregation, scoring, publishing') });
  const web = new WebStack(app, name('Web'), { env, config, bucket: data.bucket, api: api.api, description: description('CloudFront site') });
  const modules = config.modules.map(
    (moduleName) =>
      new ModuleTeamStack(app, name(`Module-${moduleName}`), {
        env,
        moduleName,
        bucket: data.bucket,
        apiEndpoint: api.api.apiEndpoint,
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
  return { config, data, api, processing, web, modules, observability };
}
