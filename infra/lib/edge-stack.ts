/**
 * The AWS WAF web ACL in front of CloudFront. A CLOUDFRONT-scope web ACL can only be created in
 * us-east-1, so it has a stack of its own there; the web stack (in the product's region) reads its ARN
 * with `Fn::GetStackOutput` (a CloudFormation cross-region read, no custom resource, no export to
 * pin), and `cdk deploy --all` deploys this stack first.
 *
 * Rules, in order: per-IP rate limits (whole site, API, ingest route), then two AWS managed rule
 * groups with few false positives (Amazon IP reputation list, known bad inputs). A rate-limited
 * address gets 429 with Retry-After, which the ingest client (`npm run import`) already retries.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';

/** CloudFront web ACLs live in us-east-1, whatever region the rest of the product is in. */
export const EDGE_REGION = 'us-east-1';
/** The output the web stack reads (logical id, fixed: `Fn::GetStackOutput` names it). */
export const WEB_ACL_OUTPUT = 'WebAclArn';
/** Every rate-based rule counts requests over this window (seconds). */
export const RATE_WINDOW_SECONDS = 300;
export const INGEST_PATH = '/api/v1/records';

export interface EdgeStackProps extends StackProps {
  config: AppConfig;
}

type Statement = wafv2.CfnWebACL.StatementProperty;

const pathStartsWith = (prefix: string): Statement => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: prefix,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});
const pathIs = (path: string): Statement => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'EXACTLY',
    searchString: path,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

export class EdgeStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const tooMany: wafv2.CfnWebACL.RuleActionProperty = {
      block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests', responseHeaders: [{ name: 'retry-after', value: String(RATE_WINDOW_SECONDS) }] } },
    };
    const perIp = (name: string, priority: number, limit: number, scopeDownStatement?: Statement): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: tooMany,
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: RATE_WINDOW_SECONDS, scopeDownStatement } },
      visibilityConfig: visibility(name),
    });
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${config.prefix}-site`,
      description: 'Ban do the che - per-IP rate limits and AWS managed rules in front of CloudFront', // ASCII only: WAF's pattern
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${config.prefix}-site`),
      customResponseBodies: {
        TooManyRequests: { contentType: 'APPLICATION_JSON', content: JSON.stringify({ error: 'too many requests from this address, retry later' }) },
      },
      rules: [
        perIp('RateLimitPerIp', 0, config.waf.rateLimit),
        perIp('ApiRateLimitPerIp', 1, config.waf.apiRateLimit, {
          andStatement: { statements: [pathStartsWith('/api/'), { notStatement: { statement: pathIs(INGEST_PATH) } }] },
        }),
        perIp('IngestRateLimitPerIp', 2, config.waf.ingestRateLimit, pathIs(INGEST_PATH)),
        managed('AWSManagedRulesAmazonIpReputationList', 3),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
      ],
    });

    new CfnOutput(this, WEB_ACL_OUTPUT, { value: this.webAcl.attrArn, description: 'CloudFront web ACL (read by the web stack with Fn::GetStackOutput)' });
  }
}
