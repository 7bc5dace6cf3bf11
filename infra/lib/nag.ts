/**
 * The cdk-nag (AwsSolutions) findings this app keeps, each acknowledged on the one construct it is
 * about, with the reason it stays. Everything else the pack checks is fixed in the stacks, and
 * `infra/security.suite.ts` (run by web.test.ts) fails on any finding that is neither fixed nor listed
 * here, and on an acknowledgment here that no longer matches a finding.
 *
 * IAM5 findings name a resource as cdk-nag prints it: a cross-stack ARN by the name of the export it
 * is imported through (`BanDoTheChe-Data:ExportsOutput…`). `exported` computes that name with CDK's
 * own `exportValue`, the call cross-stack references make anyway, so the name always matches.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ProductStacks } from '../main.ts';
import { XRAY_WRITE } from './app-function.ts';
import { stagedKeyPatterns, stagingPrefix } from './module-team-stack.ts';

export interface NagAcknowledgment {
  construct: IConstruct;
  id: string;
  reason: string;
}

/** A resolved CloudFormation value as cdk-nag's IAM5 rule prints it (its flattenCfnReference). */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown>;
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [string, string];
    return `<${resource}.${attribute}>`;
  }
  if (value.Ref) return `<${String(value.Ref)}>`;
  return JSON.stringify(node);
}

/** `arn` (an attribute of a construct in `producer`) followed by `suffix`, as consumed from another stack. */
function exported(producer: IConstruct, arn: string, suffix: string, consumer: IConstruct): string {
  const imported = Stack.of(producer).exportValue(arn);
  return flatten(Stack.of(consumer).resolve(`${imported}${suffix}`));
}

const iam5 = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;

/** Every acknowledgment, for the app as configured; `acknowledgeNagFindings` records them. */
export function nagAcknowledgments(stacks: ProductStacks): NagAcknowledgment[] {
  const { config, data, api, processing, web, modules } = stacks;
  const bucket = data.bucket;
  const objects = (consumer: IConstruct, prefix: string) => iam5(exported(bucket, bucket.bucketArn, `/${prefix}`, consumer));
  const list: NagAcknowledgment[] = [
    {
      construct: bucket,
      id: 'AwsSolutions-S10',
      reason:
        'TLS is enforced by the TlsOnly deny of the bucket\'s one policy, which lives in the web stack (PublicBucketPolicy) beside the distribution it names; a policy here would replace it.',
    },
    {
      construct: api.registry.role!,
      id: objects(api.registry, 'modules/*'),
      reason: 'The registry reads the bundle of whichever module version a team publishes (staged under modules/_staging/) to compute its SRI integrity, and copies it into modules/<name>/<version>/ once it accepts the publish (deleting its copy if recording the version fails): version folders are written by the registry only.',
    },
    {
      construct: api.registry.role!,
      id: objects(api.registry, 'previews/*'),
      reason: 'The registry writes (PutObject only) preview pages under previews/<random token>/ (index.html, csp.txt): the site with a module version not yet live, seen only through its link.',
    },
    {
      construct: api.registry.role!,
      id: objects(api.registry, 'shell/*'),
      reason: 'The registry reads (GetObject only) the shell\'s template files to render index.html; it writes no object under shell/.',
    },
    ...['data/units/*', 'data/rankings/*'].map((prefix) => ({
      construct: api.card.role!,
      id: objects(api.card, prefix),
      reason: 'The card function reads (GetObject only) the published snapshots a card is drawn from: a unit\'s history (data/units/<unit>.json) and a period\'s ranking (data/rankings/<period>.json), named by unit and period.',
    })),
    {
      construct: api.originSecret,
      id: 'AwsSolutions-SMG4',
      reason:
        'The origin-verify value must change in CloudFront and the authorizer together: rotated by hand in two steps (docs/OPERATIONS.md), the authorizer accepting the current and previous versions meanwhile. A rotation Lambda could not redeploy CloudFront.',
    },
    {
      construct: processing.deadLetters,
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination (on-failure destination of the records stream mapping); a queue behind it would hold nothing.',
    },
    {
      construct: processing.aggregate.role!,
      id: iam5('*'),
      reason: `dynamodb:ListStreams, granted by the stream event source, and ${XRAY_WRITE.join(', ')} (active tracing): AWS authorizes them only on "*". Every other action of the role names its table or stream.`,
    },
    {
      construct: processing.publish.role!,
      id: objects(processing.publish, 'data/*'),
      reason: 'Publish writes the snapshots (named by unit and period) under data/ and nowhere else in the bucket.',
    },
    {
      construct: web.distribution,
      id: 'AwsSolutions-CFR1',
      reason: 'Public data for anyone, anywhere (journalists, researchers, Vietnamese abroad): no geographic restriction, by design.',
    },
  ];
  if (!config.certificateArn) {
    list.push({
      construct: web.distribution,
      id: 'AwsSolutions-CFR4',
      reason: 'Without a custom domain the distribution serves the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with domainName/certificateArn it is TLSv1.2_2021.',
    });
  }
  // The read API answers the city's 1022 view from its published snapshots.
  list.push({
    construct: api.read.role!,
    id: objects(api.read, 'data/feedback/*'),
    reason: 'The read API reads (GetObject only) the published 1022 feedback snapshots, named by period, under data/feedback/ and nothing else of the bucket.',
  });
  // The site upload: CDK's BucketDeployment handler, run at deploy time only.
  const deployment = web.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  const deployRole = web.node.findChild('SiteDeployRole');
  if (deployment) {
    const cdkOwned = 'granted by aws-cdk-lib\'s BucketDeployment to its deploy-time handler (no input from the public reaches it)';
    const wildcards: Record<string, string> = {
      'Action::s3:GetObject*': `reads the site asset from the CDK assets bucket: ${cdkOwned}`,
      'Action::s3:GetBucket*': `reads the site asset from the CDK assets bucket: ${cdkOwned}`,
      'Action::s3:List*': `lists source and destination: ${cdkOwned}`,
      'Action::s3:Abort*': `aborts its own multipart uploads: ${cdkOwned}`,
      'Action::s3:DeleteObject*': `part of the destination grant; prune is off, so it deletes nothing: ${cdkOwned}`,
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*': `the CDK bootstrap assets bucket holding the site zip: ${cdkOwned}`,
      [`Resource::${exported(bucket, bucket.bucketArn, '/*', web)}`]: `the site is uploaded across the bucket (shell/, shared/, embed/; registry-owned files excluded): ${cdkOwned}`,
    };
    for (const [finding, reason] of Object.entries(wildcards)) list.push({ construct: deployRole, id: `AwsSolutions-IAM5[${finding}]`, reason });
    list.push({ construct: deployment, id: 'AwsSolutions-L1', reason: `The handler's runtime is chosen by aws-cdk-lib's BucketDeployment (a Python function that runs at deploy time only), not by this app.` });
  }
  // Active tracing: every function sends its traces to X-Ray (the aggregate role's "*" is acknowledged above).
  for (const fn of [api.ingest, api.read, api.registry, api.card, api.originAuthorizer, processing.score, processing.publish, web.renderSite]) {
    list.push({
      construct: fn.role!,
      id: iam5('*'),
      reason: `${XRAY_WRITE.join(', ')}, granted by active tracing (X-Ray): AWS authorizes them only on "*". Every other action of the role names its resource.`,
    });
  }
  // The page's custom resource (web stack): CDK's provider framework calls render-site.
  list.push({
    construct: web.node.findChild('SitePageProviderRole'),
    id: iam5(flatten(web.resolve(`${web.renderSite.functionArn}:*`))),
    reason: 'lambda:InvokeFunction on render-site and its versions, granted by aws-cdk-lib\'s provider framework (custom resource SitePage) to its deploy-time function; it invokes nothing else.',
  });
  for (const team of modules) {
    list.push({
      construct: team.publisher,
      id: objects(team.publisher, `modules/${team.moduleName}/*`),
      reason: `The ${team.moduleName} team reads (GetObject only) its own published versions; the registry alone writes them.`,
    }, {
      construct: team.publisher,
      id: objects(team.publisher, `${stagingPrefix(team.moduleName)}*`),
      reason: `The ${team.moduleName} team reads (GetObject only) what it staged for the registry.`,
    });
    for (const pattern of stagedKeyPatterns(team.moduleName)) {
      list.push({
        construct: team.publisher,
        id: objects(team.publisher, pattern),
        reason: `The ${team.moduleName} team stages (and deletes) the files of a new version under its own staging prefix, of one allow-listed extension; the registry copies what it accepts.`,
      });
    }
  }
  return list;
}

export function acknowledgeNagFindings(stacks: ProductStacks): NagAcknowledgment[] {
  const list = nagAcknowledgments(stacks);
  for (const { construct, id, reason } of list) Validations.of(construct).acknowledge({ id, reason });
  return list;
}
