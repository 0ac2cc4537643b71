import type { App } from 'aws-cdk-lib';
import { type DeploymentSettings, WAF_STACK_SUFFIX } from '../lambdas/settings';
import { EdgeFirewallStack } from './edge-firewall-stack';
import { ImagePipelineStack, type ImagePipelineStackProps } from './image-pipeline-stack';

export interface ImageIntelStacks {
  readonly pipeline: ImagePipelineStack;
  /** `<stackName>-waf` in us-east-1: the web ACL with `waf`, nothing without. */
  readonly firewall: EdgeFirewallStack;
}

/**
 * The deployment's stacks: the pipeline where the CLI points, and beside it in us-east-1 the WAF web ACL of its
 * CloudFront distributions (`settings.waf`). Both get the CLI's account and Region (`CDK_DEFAULT_ACCOUNT`,
 * `CDK_DEFAULT_REGION`, which `cdk` always sets): a reference across Regions needs both stacks' Regions known.
 */
export function createStacks(
  app: App,
  settings: DeploymentSettings,
  environment: { account?: string; region?: string },
  props: Omit<ImagePipelineStackProps, 'settings' | 'env' | 'webAclArn'> = {},
): ImageIntelStacks {
  const { account, region } = environment;
  if (!region) {
    throw new Error(
      'no Region to deploy to: run the app through the CDK CLI (`npx cdk ...`, which sets CDK_DEFAULT_REGION from ' +
        'AWS_REGION or the profile), or set CDK_DEFAULT_REGION',
    );
  }
  const firewall = new EdgeFirewallStack(app, `${settings.stackName}${WAF_STACK_SUFFIX}`, {
    settings,
    account,
    bootstrapRegion: region,
  });
  const pipeline = new ImagePipelineStack(app, settings.stackName, {
    ...props,
    settings,
    env: { account, region },
    webAclArn: firewall.firewall?.arn,
  });
  // With `waf` the pipeline reads the ACL's ARN, so the ACL is deployed first. Without, a web ACL deployed earlier is
  // deleted with its emptied stack, which WAF allows only once no distribution uses it: the pipeline goes first.
  if (!firewall.firewall) {
    firewall.addStackDependency(pipeline, 'its distributions leave the web ACL before it is deleted');
  }
  return { pipeline, firewall };
}
