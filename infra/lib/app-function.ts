/**
 * The one way this app builds a Lambda function: a handler file from `functions/src/handlers/`,
 * bundled by the local esbuild into one minified ES module (never Docker), Node.js 24 on ARM,
 * JSON logs in its own log group, and the environment every handler reads.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: esbuild's project root and where the lock file is. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const requireFromRoot = createRequire(join(repoRoot, 'package.json'));

export const RUNTIME = lambda.Runtime.NODEJS_24_X;
/**
 * What active tracing adds to a function's role (aws-cdk-lib grants it): sending segments to X-Ray, which
 * AWS authorizes on "*" only.
 */
export const XRAY_WRITE = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** Namespace of the metrics the handlers emit with Powertools. */
export const METRICS_NAMESPACE = 'BanDoTheChe';

/** Lets bundled CommonJS dependencies call `require` inside the ES module. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __bdtcCreateRequire } from 'node:module'; const require = __bdtcCreateRequire(import.meta.url);";

/**
 * A function's execution role: no AWS managed policy (AWSLambdaBasicExecutionRole would let it write
 * to any log group); an inline policy lets it write to its own log group only. What the handler may
 * do (tables, bucket) is added to the role's default policy by the stack.
 */
export function executionRole(scope: Construct, id: string, logGroup: logs.ILogGroup, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
    inlinePolicies: {
      OwnLogGroup: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ sid: 'OwnLogGroup', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
      }),
    },
  });
}

export interface AppFunctionProps {
  /** Handler file name in `functions/src/handlers/`, without `.ts`; also the service name in logs. */
  handler: string;
  description: string;
  environment: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  logRetentionDays: number;
  /** Retries of asynchronous invocations (schedules); 0 when the next tick is the retry. */
  retryAttempts?: number;
  /** Files the code reads at run time (a font, a wasm), copied from node_modules into a folder beside the bundle. */
  assets?: { dir: string; files: Record<string, string> };
}

export class AppFunction extends NodejsFunction {
  readonly handlerName: string;
  readonly logGroupRef: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const entry = join(repoRoot, 'functions/src/handlers', `${props.handler}.ts`);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const configDir = join(repoRoot, 'config');
    const role = executionRole(scope, `${id}Role`, logGroup, `${props.handler}: execution role`);
    super(scope, id, {
      role,
      entry,
      handler: 'handler',
      description: props.description,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      retryAttempts: props.retryAttempts,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // X-Ray: each invocation's time in Lambda (init, handler) in the service map and traces.
      tracing: lambda.Tracing.ACTIVE,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.handler,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Bundle the SDK too: the code that runs is the code that was tested, not the runtime's copy.
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Unit registries and field lists travel with the code, for handlers that read them from disk.
          afterBundling: (_input: string, output: string) => [
            ...(existsSync(configDir) ? [`cp -R "${configDir}" "${join(output, 'config')}"`] : []),
            ...(props.assets ? [`mkdir -p "${join(output, props.assets.dir)}"`] : []),
            ...Object.entries(props.assets?.files ?? {}).map(([name, specifier]) => `cp "${requireFromRoot.resolve(specifier)}" "${join(output, props.assets!.dir, name)}"`),
          ],
        },
      },
    });
    this.handlerName = props.handler;
    this.logGroupRef = logGroup;
  }
}
