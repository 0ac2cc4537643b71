import { Stack } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** How long the rate-based rule counts an address's requests over (one of WAF's 60, 120, 300 or 600). */
export const RATE_WINDOW_SECONDS = 300;

export interface EdgeFirewallProps {
  /** Requests one IP address may make in RATE_WINDOW_SECONDS before it is refused (the `wafRateLimit` setting). */
  readonly rateLimit: number;
}

/**
 * A WAF web ACL for CloudFront distributions: every request allowed except from an address over `rateLimit`
 * requests in 5 minutes, which gets a 429 with `retry-after` until its rate falls below the limit. One ACL for the
 * renditions and the web app (WAF bills per ACL and per rule, not per distribution), so one rule counts an address's
 * requests to both. CLOUDFRONT scope: it must be made in us-east-1 (`EdgeFirewallStack`).
 */
export class EdgeFirewall extends Construct {
  public readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const metrics = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${Stack.of(this).stackName}-${name}`,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      description: 'image-intel: per-address rate limit on the renditions and web app distributions',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metrics('edge'),
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            message: `more than ${props.rateLimit} requests from this address in ${RATE_WINDOW_SECONDS / 60} minutes`,
          }),
        },
      },
      rules: [
        {
          name: 'RateLimitPerAddress',
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.rateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'too-many-requests',
                responseHeaders: [{ name: 'retry-after', value: String(RATE_WINDOW_SECONDS) }],
              },
            },
          },
          visibilityConfig: metrics('rate-limit'),
        },
      ],
    });
  }

  /** The ARN a CloudFront distribution's `webAclId` takes. */
  get arn(): string {
    return this.webAcl.attrArn;
  }
}
