/**
 * One stack per department team: the role its CI assumes to publish its own module, and nothing else.
 * The role may upload only under `modules/<name>/`; the registry call that makes a version live is
 * authorized by the team's registry key, which the registry checks against the URL's own prefix.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { moduleNameProblem } from '../../functions/src/domain/modules/rules.ts';
import type { ModuleCiConfig } from '../config.ts';

export interface ModuleTeamStackProps extends StackProps {
  moduleName: string;
  bucket: s3.IBucket;
  /** Base URL of the API, for the team's publish command: the site's, since the API answers CloudFront only. */
  apiEndpoint: string;
  ci: ModuleCiConfig;
}

/** Where a module's immutable bundles live: `modules/<name>/<version>/...`. */
export const modulePrefix = (name: string) => `modules/${name}/`;

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
      description: `CI of the ${moduleName} team: uploads its bundles under ${prefix}`,
      maxSessionDuration: Duration.hours(1),
    });
    this.publisher.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UploadOwnBundles',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    this.publisher.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListOwnBundles',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );

    new CfnOutput(this, 'PublisherRoleArn', { value: this.publisher.roleArn });
    new CfnOutput(this, 'BundlePrefix', { value: `s3://${bucket.bucketName}/${prefix}` });
    new CfnOutput(this, 'RegistryUrl', { value: `${props.apiEndpoint}/api/v1/modules/${moduleName}/versions` });
  }
}
