import type { NamedPolicy, PolicyDocument, ResolvedTemplate, Statement } from './template';

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The role a function (`Role`) or a state machine (`RoleArn`) runs with: its logical id and ARN. */
export function roleOf(template: ResolvedTemplate, functionId: string): { id: string; arn: string } {
  const fn = template.template.Resources[functionId];
  if (!fn) throw new Error(`the template has no function ${functionId}`);
  const role = (fn.Properties?.Role ?? fn.Properties?.RoleArn) as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = role?.['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`${functionId}'s role is not a role of the template`);
  return { id, arn: template.attribute(id, 'Arn') };
}

/**
 * A role's identity policies as IAM evaluates them: each `AWS::IAM::Policy` attached to it and its inline
 * policies. A managed policy is refused: its statements are not in the template, so nothing could be checked.
 */
export function identityPoliciesOf(template: ResolvedTemplate, roleId: string): NamedPolicy[] {
  const policies: NamedPolicy[] = [];
  for (const { id, properties } of template.resourcesOf('AWS::IAM::Policy')) {
    const roles = asArray(properties.Roles as string | string[]);
    if (roles.includes(template.ref(roleId))) {
      policies.push({ name: id, policy: properties.PolicyDocument as PolicyDocument });
    }
  }
  const role = template.resolve(template.template.Resources[roleId]?.Properties ?? {}) as {
    Policies?: { PolicyName: string; PolicyDocument: PolicyDocument }[];
    ManagedPolicyArns?: string[];
  };
  for (const inline of role.Policies ?? []) {
    policies.push({ name: `${roleId}/${inline.PolicyName}`, policy: inline.PolicyDocument });
  }
  if (role.ManagedPolicyArns?.length) {
    throw new Error(
      `${roleId} has managed policies (${role.ManagedPolicyArns.join(', ')}), which the check cannot read`,
    );
  }
  return policies;
}

/**
 * The resource policy IAM evaluates beside the caller's for a request on `arn`, from the template: a bucket's
 * policy, a queue's, a function's permissions (`AWS::Lambda::Permission`, each a statement), a bus's, a secret's,
 * a key's. Undefined when the resource has none.
 */
export function resourcePolicyFor(template: ResolvedTemplate, arn: string): NamedPolicy | undefined {
  const [, , service = '', , , rest = ''] = arn.split(':');
  const path = arn.split(':').slice(5).join(':');
  switch (service) {
    case 's3': {
      const bucket = rest.split('/')[0];
      return merged(
        template
          .resourcesOf('AWS::S3::BucketPolicy')
          .filter(({ properties }) => properties.Bucket === bucket)
          .map(({ id, properties }) => ({ name: id, policy: properties.PolicyDocument as PolicyDocument })),
      );
    }
    case 'sqs':
      return merged(
        template
          .resourcesOf('AWS::SQS::QueuePolicy')
          .filter(({ properties }) => asArray(properties.Queues as string[]).some((url) => url.endsWith(`/${path}`)))
          .map(({ id, properties }) => ({ name: id, policy: properties.PolicyDocument as PolicyDocument })),
      );
    case 'lambda':
      return merged(lambdaPermissions(template, arn));
    case 'events':
      return merged(
        template
          .resourcesOf('AWS::Events::EventBusPolicy')
          .filter(({ properties }) => arn.endsWith(`/${properties.EventBusName ?? 'default'}`))
          .map(({ id, properties }) => ({ name: id, policy: { Statement: [properties.Statement as Statement] } })),
      );
    case 'secretsmanager':
      return merged(
        template
          .resourcesOf('AWS::SecretsManager::ResourcePolicy')
          .filter(({ properties }) => properties.SecretId === arn)
          .map(({ id, properties }) => ({ name: id, policy: properties.ResourcePolicy as PolicyDocument })),
      );
    case 'kms':
      return merged(
        template
          .resourcesOf('AWS::KMS::Key')
          .filter(({ id }) => template.attribute(id, 'Arn') === arn)
          .map(({ id, properties }) => ({ name: id, policy: properties.KeyPolicy as PolicyDocument })),
      );
    default:
      return undefined;
  }
}

/** Each `AWS::Lambda::Permission` on the function, as the statement Lambda adds to its resource policy. */
function lambdaPermissions(template: ResolvedTemplate, arn: string): NamedPolicy[] {
  const name = arn.split(':').at(-1);
  return template
    .resourcesOf('AWS::Lambda::Permission')
    .filter(({ properties }) => properties.FunctionName === arn || properties.FunctionName === name)
    .map(({ id, properties }) => {
      const principal = String(properties.Principal);
      const condition: Record<string, Record<string, unknown>> = {};
      if (properties.SourceArn) condition.ArnLike = { 'aws:SourceArn': properties.SourceArn };
      if (properties.SourceAccount) condition.StringEquals = { 'aws:SourceAccount': properties.SourceAccount };
      if (properties.FunctionUrlAuthType) {
        condition.StringEquals = {
          ...condition.StringEquals,
          'lambda:FunctionUrlAuthType': properties.FunctionUrlAuthType,
        };
      }
      if (properties.InvokedViaFunctionUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
      const statement: Statement = {
        Sid: id,
        Effect: 'Allow',
        Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
        Action: String(properties.Action),
        Resource: arn,
        ...(Object.keys(condition).length ? { Condition: condition } : {}),
      };
      return { name: id, policy: { Statement: [statement] } };
    });
}

function merged(policies: NamedPolicy[]): NamedPolicy | undefined {
  if (policies.length === 0) return undefined;
  return {
    name: policies.map((policy) => policy.name).join(' + '),
    policy: {
      Version: '2012-10-17',
      Statement: policies.flatMap(({ policy }) => asArray(policy.Statement)),
    },
  };
}
