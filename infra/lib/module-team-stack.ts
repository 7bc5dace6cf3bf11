/**
 * One stack per department team: the role its CI assumes to publish its own module, and nothing else.
 * The role may upload only to its own staging prefix, `modules/_staging/<name>/`, and only files with an
 * allow-listed extension (.js, .css, .map, and data .json, .csv: MODULE_ASSET_TYPES); it may not write `modules/<name>/` itself.
 * The registry (authorized by the team's registry key) copies the staged files into the immutable
 * `modules/<name>/<version>/`, with the allow-listed content type of their extension, only when it accepts
 * the publish. S3 has no IAM condition key on an object's Content-Type, so the type a team sets on a staged
 * file never reaches the site: what is served from a version folder has the type the registry wrote.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { MODULE_ASSET_TYPES, STAGING_PREFIX, moduleNameProblem } from '../../functions/src/domain/modules/rules.ts';
import type { ModuleCiConfig } from '../config.ts';

export interface ModuleTeamStackProps extends StackProps {
  moduleName: string;
  bucket: s3.IBucket;
  /** Base URL of the API, for the team's publish command: the site's, since the API answers CloudFront only. */
  apiEndpoint: string;
  ci: ModuleCiConfig;
}

/** Where a module's immutable bundles live: `modules/<name>/<version>/...` (written by the registry only). */
export const modulePrefix = (name: string) => `modules/${name}/`;
/** Where the team's deploy uploads a version's files for the registry to copy: `modules/_staging/<name>/<version>/...`. */
export const stagingPrefix = (name: string) => `${STAGING_PREFIX}${name}/`;
/** The object keys the team may write: its staging prefix, allow-listed extensions only. */
export const stagedKeyPatterns = (name: string) => Object.keys(MODULE_ASSET_TYPES).map((extension) => `${stagingPrefix(name)}*${extension}`);

export class ModuleTeamStack extends Stack {
  readonly publisher: iam.Role;
  readonly moduleName: string;

  constructor(scope: Construct, id: string, props: ModuleTeamStackProps) {
    super(scope, id, props);
    const { moduleName, bucket, ci } = props;
    const problem = moduleNameProblem(moduleName);
    if (problem) throw new Error(problem);
    this.moduleName = moduleName;
    const prefix = modulePrefix(moduleName);

    const repository = ci.repositories[moduleName];
    // GitHub Actions of the team's repository, through OIDC; otherwise principals of this account
    // that the operator allows to assume the role (e.g. a CI user or an SSO permission set).
    const principal: iam.IPrincipal =
      ci.githubOidcProviderArn && repository
        ? new iam.WebIdentityPrincipal(ci.githubOidcProviderArn, {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': `repo:${repository}:*` },
          })
        : new iam.AccountRootPrincipal();

    this.publisher = new iam.Role(this, 'Publisher', {
      assumedBy: principal,
      description: `CI of the ${moduleName} team: stages its bundles under ${stagingPrefix(moduleName)} for the registry`,
      maxSessionDuration: Duration.hours(1),
    });
    this.publisher.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StageOwnBundles',
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: stagedKeyPatterns(moduleName).map((pattern) => bucket.arnForObjects(pattern)),
      }),
    );
    this.publisher.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnBundles',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${prefix}*`), bucket.arnForObjects(`${stagingPrefix(moduleName)}*`)],
      }),
    );
    this.publisher.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListOwnBundles',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`, `${stagingPrefix(moduleName)}*`] } },
      }),
    );

    new CfnOutput(this, 'PublisherRoleArn', { value: this.publisher.roleArn });
    new CfnOutput(this, 'BundlePrefix', { value: `s3://${bucket.bucketName}/${prefix}` });
    new CfnOutput(this, 'StagingPrefix', { value: `s3://${bucket.bucketName}/${stagingPrefix(moduleName)}` });
    new CfnOutput(this, 'RegistryUrl', { value: `${props.apiEndpoint}/api/v1/modules/${moduleName}/versions` });
  }
}
