import type { TemplateJson } from './synth';

/** One allowed action on one resource, the resource written as cdk-nag does: `<Logical.Arn>/uploads/*`, `*`. */
export interface Permission {
  readonly action: string;
  readonly resource: string;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** `{ "Fn::GetAtt": ["Bucket", "Arn"] }` → `<Bucket.Arn>`; `Fn::Join` concatenated; `Ref` → `<Id>`. */
export function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Ref' in node) return `<${node.Ref as string}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(flattenReference).join(separator);
  }
  return JSON.stringify(value);
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The role a function runs with. */
export function roleOfFunction(json: TemplateJson, functionLogicalId: string): string {
  const fn = json.Resources[functionLogicalId];
  if (!fn) throw new Error(`no resource ${functionLogicalId}`);
  const role = fn.Properties?.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

/** An identity policy of the template: an `AWS::IAM::Policy`, or a role's inline policy (a FunctionRole's grants). */
export interface IdentityPolicy {
  /** The policy's logical id, or `<role id>.<policy name>` for an inline one. */
  readonly id: string;
  /** The logical ids of the roles it is attached to. */
  readonly roles: readonly string[];
  readonly document: { Statement: Statement[] };
}

/** Every identity policy of the template, wherever it is written. */
export function identityPolicies(json: TemplateJson): IdentityPolicy[] {
  const policies: IdentityPolicy[] = [];
  for (const [id, resource] of Object.entries(json.Resources)) {
    if (resource.Type === 'AWS::IAM::Policy') {
      const roles = ((resource.Properties?.Roles as { Ref?: string }[] | undefined) ?? []).flatMap((role) =>
        role.Ref === undefined ? [] : [role.Ref],
      );
      policies.push({ id, roles, document: resource.Properties?.PolicyDocument as IdentityPolicy['document'] });
    } else if (resource.Type === 'AWS::IAM::Role') {
      const inline = (resource.Properties?.Policies as { PolicyName: string; PolicyDocument: unknown }[]) ?? [];
      for (const { PolicyName, PolicyDocument } of inline) {
        policies.push({
          id: `${id}.${PolicyName}`,
          roles: [id],
          document: PolicyDocument as IdentityPolicy['document'],
        });
      }
    }
  }
  return policies;
}

/** Every Allow of every policy attached to the role (its grants, inline, and any policy of its own). */
export function permissionsOfRole(json: TemplateJson, roleLogicalId: string): Permission[] {
  const permissions: Permission[] = [];
  for (const { roles, document } of identityPolicies(json)) {
    if (!roles.includes(roleLogicalId)) continue;
    for (const statement of document.Statement) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of asArray(statement.Action)) {
        for (const target of asArray(statement.Resource)) {
          permissions.push({ action, resource: flattenReference(target) });
        }
      }
    }
  }
  const role = json.Resources[roleLogicalId];
  if ((role?.Properties?.ManagedPolicyArns as unknown[] | undefined)?.length) {
    throw new Error(`${roleLogicalId} has managed policies`);
  }
  return permissions;
}

export function permissionsOfFunction(json: TemplateJson, functionLogicalId: string): Permission[] {
  return permissionsOfRole(json, roleOfFunction(json, functionLogicalId));
}

/** The distinct actions, sorted. */
export function actionsOf(permissions: readonly Permission[]): string[] {
  return [...new Set(permissions.map((permission) => permission.action))].sort();
}
