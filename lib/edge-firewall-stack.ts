import { BootstraplessSynthesizer, CfnOutput, DefaultStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeploymentSettings } from '../lambdas/settings';
import { EdgeFirewall } from './constructs/edge-firewall';
import { acknowledge } from './nag';

/** Where WAF keeps the web ACLs of CloudFront distributions, whatever Region the distributions' stack is in. */
export const EDGE_FIREWALL_REGION = 'us-east-1';

export interface EdgeFirewallStackProps extends Omit<StackProps, 'env' | 'synthesizer'> {
  readonly settings: Pick<DeploymentSettings, 'waf' | 'wafRateLimit'>;
  /** The account, as the pipeline stack's. @default - the account the CLI deploys to */
  readonly account?: string;
  /**
   * The Region of the stack whose distributions use the web ACL: this stack is deployed with that Region's bootstrap
   * roles (IAM is global), so us-east-1 needs no `cdk bootstrap` of its own.
   */
  readonly bootstrapRegion: string;
}

/**
 * The web ACL in front of the deployment's CloudFront distributions, in us-east-1 as WAF requires of a CLOUDFRONT
 * one; the pipeline stack reads its ARN with `Fn::GetStackOutput` (a weak cross-Region reference, cdk.json's
 * `@aws-cdk/core:defaultCrossStackReferences`). With `waf` off it holds nothing: the CDK CLI skips a stack without
 * resources, or deletes it where one was deployed before.
 */
export class EdgeFirewallStack extends Stack {
  /** Undefined with `waf=false`. */
  public readonly firewall?: EdgeFirewall;

  constructor(scope: Construct, id: string, props: EdgeFirewallStackProps) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the synthesizer's placeholder, which the CLI fills in.
    const inBootstrapRegion = (arn: string) => arn.replaceAll('${AWS::Region}', props.bootstrapRegion);
    super(scope, id, {
      ...props,
      env: { account: props.account, region: EDGE_FIREWALL_REGION },
      // No assets here, so nothing needs the bootstrap bucket of us-east-1: the CLI deploys the template inline,
      // through the roles `cdk bootstrap` made in the pipeline's Region, as CDK Pipelines' cross-Region stacks do.
      synthesizer: new BootstraplessSynthesizer({
        deployRoleArn: inBootstrapRegion(DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN),
        cloudFormationExecutionRoleArn: inBootstrapRegion(DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN),
      }),
      // Without the CDK's metadata resource, `waf=false` leaves the template empty, which the CLI deletes.
      analyticsReporting: false,
      description:
        'image-intel: the WAF web ACL of the CloudFront distributions (CloudFront web ACLs live in us-east-1)',
    });
    if (!props.settings.waf) {
      acknowledge(
        this,
        'CloudFormation-Validate::F0001',
        'Empty on purpose with waf=false: the CDK CLI skips a stack without resources, or deletes it where a web ACL ' +
          'was deployed before.',
      );
      return;
    }
    this.firewall = new EdgeFirewall(this, 'Firewall', { rateLimit: props.settings.wafRateLimit });
    new CfnOutput(this, 'WebAclArn', {
      value: this.firewall.arn,
      description: 'The WAF web ACL of the renditions and web app distributions',
    });
  }
}
