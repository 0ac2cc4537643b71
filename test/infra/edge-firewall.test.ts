import { Template } from 'aws-cdk-lib/assertions';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { EDGE_FIREWALL_REGION } from '../../lib/edge-firewall-stack';
import { createStacks, type ImageIntelStacks } from '../../lib/image-intel-app';
import { flattenedTemplate } from './support/flatten';
import { logicalIdOf, testApp, WEB_FIXTURE } from './support/synth';

/**
 * The WAF web ACL of the CloudFront distributions: made in us-east-1 by a stack of its own, as WAF requires of a
 * CLOUDFRONT web ACL, and read by the pipeline's two distributions across Regions; `waf=false` empties that stack.
 */

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function stacks(context: Record<string, unknown> = {}, region = 'eu-west-1') {
  const app = testApp();
  const made = createStacks(
    app,
    parseDeploymentSettings({ inference: 'none', auth: 'apikey', ...context }),
    { region },
    { webAppDirectory: WEB_FIXTURE },
  );
  const templates = {
    pipeline: flattenedTemplate(made.pipeline) as { Resources: Resources },
    firewall: Template.fromStack(made.firewall).toJSON() as {
      Resources?: Resources;
      Outputs?: Record<string, unknown>;
    },
  };
  return { app, made, templates };
}

/** The `WebACLId` of each CloudFront distribution of the pipeline, by logical id. */
function webAclIds(pipeline: { Resources: Resources }): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(pipeline.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::CloudFront::Distribution')
      .map(([id, resource]) => [id, (resource.Properties?.DistributionConfig as { WebACLId?: unknown })?.WebACLId]),
  );
}

describe('the WAF web ACL (waf, the default)', () => {
  let made: ImageIntelStacks;
  let templates: ReturnType<typeof stacks>['templates'];
  beforeAll(() => {
    ({ made, templates } = stacks());
  });

  it('is one CLOUDFRONT web ACL in us-east-1, in the stack <stackName>-waf, allowing what no rule blocks', () => {
    expect(made.firewall.stackName).toBe('ImageIntel-waf');
    expect(made.firewall.region).toBe(EDGE_FIREWALL_REGION);
    const acls = Object.values(templates.firewall.Resources ?? {});
    expect(acls.map((resource) => resource.Type)).toEqual(['AWS::WAFv2::WebACL']);
    expect(acls[0]?.Properties).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
  });

  it('has one rule: an address over 2,000 requests in 5 minutes gets a 429 that says when to try again', () => {
    const acl = Object.values(templates.firewall.Resources ?? {})[0]?.Properties as { Rules: unknown[] };
    expect(acl.Rules).toEqual([
      {
        Name: 'RateLimitPerAddress',
        Priority: 0,
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 } },
        Action: {
          Block: {
            CustomResponse: {
              ResponseCode: 429,
              CustomResponseBodyKey: 'too-many-requests',
              ResponseHeaders: [{ Name: 'retry-after', Value: '300' }],
            },
          },
        },
        VisibilityConfig: {
          CloudWatchMetricsEnabled: true,
          MetricName: 'ImageIntel-waf-rate-limit',
          SampledRequestsEnabled: true,
        },
      },
    ]);
  });

  it('guards both distributions, renditions and web app, each reading its ARN from us-east-1', () => {
    const aclId = Object.keys(templates.firewall.Resources ?? {})[0] as string;
    const output = Object.entries(templates.firewall.Outputs ?? {}).find(
      ([name, value]) =>
        name.startsWith('Publish') &&
        JSON.stringify(value) === JSON.stringify({ Value: { 'Fn::GetAtt': [aclId, 'Arn'] } }),
    )?.[0];
    expect(output).toBeDefined();
    const fromFirewall = {
      'Fn::GetStackOutput': { StackName: 'ImageIntel-waf', Region: 'us-east-1', OutputName: output },
    };
    const web = made.pipeline.web;
    if (!web) throw new Error('the web app is on by default');
    expect(webAclIds(templates.pipeline)).toEqual({
      [logicalIdOf(made.pipeline.renditions.distribution)]: fromFirewall,
      [logicalIdOf(web.distribution)]: fromFirewall,
    });
  });

  it('is deployed before the pipeline, which reads its ARN', () => {
    expect(made.pipeline.dependencies).toContain(made.firewall);
    expect(made.firewall.dependencies).not.toContain(made.pipeline);
  });

  it('deploys through the bootstrap roles of the pipeline’s Region, with no asset: us-east-1 needs no bootstrap', () => {
    const { app } = stacks({}, 'ap-southeast-2');
    const artifact = app.synth().getStackByName('ImageIntel-waf');
    expect(artifact.assumeRoleArn).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's placeholders, as the manifest holds them.
      'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-deploy-role-${AWS::AccountId}-ap-southeast-2',
    );
    expect(artifact.cloudFormationExecutionRoleArn).toMatch(/:role\/cdk-hnb659fds-cfn-exec-role-.*-ap-southeast-2$/);
    expect(artifact.stackTemplateAssetObjectUrl).toBeUndefined();
    expect(artifact.requiresBootstrapStackVersion).toBeUndefined();
    expect(artifact.template.Rules ?? {}).not.toHaveProperty('CheckBootstrapVersion');
  });

  it('takes its limit from wafRateLimit, within WAF’s own bounds', () => {
    const acl = Object.values(stacks({ wafRateLimit: '300' }).templates.firewall.Resources ?? {})[0];
    expect(acl?.Properties).toMatchObject({ Rules: [{ Statement: { RateBasedStatement: { Limit: 300 } } }] });
    expect(() => parseDeploymentSettings({ wafRateLimit: '9' })).toThrow(/wafRateLimit: /);
    expect(() => parseDeploymentSettings({ wafRateLimit: '2000000001' })).toThrow(/wafRateLimit: /);
  });

  it('refuses a stackName whose -waf stack CloudFormation would refuse, naming the setting', () => {
    const name = `A${'b'.repeat(124)}`;
    expect(() => parseDeploymentSettings({ stackName: name })).toThrow(/stackName: at most 124 characters with waf/);
    expect(parseDeploymentSettings({ stackName: name, waf: 'false' }).stackName).toBe(name);
  });

  it('needs the Region the pipeline deploys to, and says where it comes from', () => {
    expect(() => createStacks(testApp(), parseDeploymentSettings({ inference: 'none' }), {})).toThrow(
      /no Region to deploy to: run the app through the CDK CLI/,
    );
  });
});

describe('waf=false', () => {
  let made: ImageIntelStacks;
  let templates: ReturnType<typeof stacks>['templates'];
  beforeAll(() => {
    ({ made, templates } = stacks({ waf: 'false' }));
  });

  it('leaves the us-east-1 stack empty, which the CLI skips, or deletes where a web ACL was deployed', () => {
    expect(made.firewall.firewall).toBeUndefined();
    expect(templates.firewall.Resources ?? {}).toEqual({});
  });

  it('associates no distribution with a web ACL', () => {
    expect(Object.values(webAclIds(templates.pipeline))).toEqual([undefined, undefined]);
  });

  it('deploys the pipeline first, so its distributions leave an earlier web ACL before that is deleted', () => {
    expect(made.firewall.dependencies).toContain(made.pipeline);
    expect(made.pipeline.dependencies).not.toContain(made.firewall);
  });
});
