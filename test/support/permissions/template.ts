import type { Place } from './operations';

/** A synthesized CloudFormation template, as `Template.toJSON()` gives it. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement[];
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A policy of the template with its references resolved, and where it came from (to name it in a report). */
export interface NamedPolicy {
  /** The logical id of the `AWS::IAM::Policy`, the role (inline), the bucket or queue policy, or the permission. */
  name: string;
  policy: PolicyDocument;
}

/**
 * The template's references resolved to the names the resources have where the calls were made: `names` gives a
 * resource's physical name (what `Ref` returns for most types) by logical id. A resource without a name gets one
 * no recorded call can use, so a policy on it allows nothing the calls need.
 */
export class ResolvedTemplate {
  private readonly resolvedByType = new Map<string, { id: string; properties: Record<string, unknown> }[]>();

  constructor(
    readonly template: CfnTemplate,
    readonly place: Place,
    private readonly names: Readonly<Record<string, string>>,
  ) {}

  /** What `Ref` returns for a resource. */
  ref(id: string): string {
    switch (id) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return this.place.region;
      case 'AWS::AccountId':
        return this.place.account;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'stack';
    }
    const name = this.names[id] ?? `unbound-${id.toLowerCase()}`;
    switch (this.typeOf(id)) {
      case 'AWS::SQS::Queue':
        return name.includes('://')
          ? name
          : `https://sqs.${this.place.region}.amazonaws.com/${this.place.account}/${name}`;
      case 'AWS::SecretsManager::Secret':
        return name.startsWith('arn:') ? name : this.arn('secretsmanager', `secret:${name}`);
      case 'AWS::ApiGateway::Stage': {
        // A stage's Ref is its name, which the template gives (`prod`): the functions' permissions name it as text.
        const stageName = this.template.Resources[id]?.Properties?.StageName;
        return typeof stageName === 'string' ? stageName : name;
      }
      default:
        return name;
    }
  }

  /** What `Fn::GetAtt` returns: an ARN from the name, as each service writes its ARNs. */
  attribute(id: string, attribute: string): string {
    const ref = this.ref(id);
    const type = this.typeOf(id);
    const arns: Record<string, () => string> = {
      'AWS::S3::Bucket': () => `arn:aws:s3:::${ref}`,
      'AWS::DynamoDB::Table': () => this.arn('dynamodb', `table/${ref}`),
      'AWS::SQS::Queue': () => this.arn('sqs', ref.split('/').at(-1) as string),
      'AWS::Events::EventBus': () => this.arn('events', `event-bus/${ref}`),
      'AWS::Lambda::Function': () => this.arn('lambda', `function:${ref}`),
      'AWS::IAM::Role': () => `arn:aws:iam::${this.place.account}:role/${ref}`,
      'AWS::KMS::Key': () => this.arn('kms', `key/${ref}`),
      'AWS::SSM::Parameter': () => this.arn('ssm', `parameter/${ref.replace(/^\//, '')}`),
      'AWS::SNS::Topic': () => this.arn('sns', ref),
      // A collection's Ref is its CollectionId.
      'AWS::Rekognition::Collection': () => this.arn('rekognition', `collection/${ref}`),
      // A state machine's Ref is its ARN already.
      'AWS::StepFunctions::StateMachine': () => ref,
    };
    if (type === 'AWS::S3Vectors::Index' && attribute === 'IndexArn') {
      const { VectorBucketArn, IndexName } = this.template.Resources[id]?.Properties ?? {};
      return `${this.resolve(VectorBucketArn)}/index/${this.resolve(IndexName)}`;
    }
    if (type === 'AWS::S3Vectors::VectorBucket' && attribute === 'VectorBucketArn') {
      return this.arn('s3vectors', `bucket/${this.resolve(this.template.Resources[id]?.Properties?.VectorBucketName)}`);
    }
    if (type === 'AWS::Lambda::Url' && attribute === 'FunctionArn') {
      return this.resolve(this.template.Resources[id]?.Properties?.TargetFunctionArn) as string;
    }
    if (attribute === 'Arn' && arns[type]) return (arns[type] as () => string)();
    if (type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') return ref.split(':').at(-1) as string;
    if (attribute === 'QueueName' || attribute === 'Name') return ref.split('/').at(-1) as string;
    return `${ref}.${attribute}`;
  }

  /** A value of the template with every intrinsic function in it evaluated. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    if (!value || typeof value !== 'object') return value;
    const node = value as Record<string, unknown>;
    if ('Ref' in node) return node.Ref === 'AWS::NoValue' ? NO_VALUE : this.ref(node.Ref as string);
    if ('Fn::GetAtt' in node) {
      const target = node['Fn::GetAtt'];
      const [id, attribute] = typeof target === 'string' ? target.split('.') : (target as string[]);
      return this.attribute(id as string, attribute as string);
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return (this.resolve(parts) as string[]).join(separator);
    }
    if ('Fn::Sub' in node) {
      const [pattern, variables = {}] = (Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] : [node['Fn::Sub']]) as [
        string,
        Record<string, unknown>,
      ];
      return pattern.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
        if (name in variables) return String(this.resolve(variables[name]));
        const [id, attribute] = name.split('.');
        return attribute ? this.attribute(id as string, attribute) : this.ref(id as string);
      });
    }
    if ('Fn::Select' in node) {
      const [index, list] = node['Fn::Select'] as [number, unknown];
      return (this.resolve(list) as unknown[])[Number(index)];
    }
    if ('Fn::Split' in node) {
      const [separator, source] = node['Fn::Split'] as [string, unknown];
      return String(this.resolve(source)).split(separator);
    }
    return Object.fromEntries(
      Object.entries(node)
        .map(([key, item]) => [key, this.resolve(item)] as const)
        .filter(([, item]) => item !== NO_VALUE),
    );
  }

  /**
   * `text` with each bound resource's ARN and name written `<LogicalId.Arn>` and `<LogicalId>`, and a state
   * machine's name `<LogicalId.Name>` (the longest first, so a table and a bucket of the same name stay apart), and
   * the account and Region as `<account>`, `<region>`.
   */
  abstract(text: string): string {
    const pairs = Object.keys(this.names).flatMap((id) => [
      [this.attribute(id, 'Arn'), `<${id}.Arn>`],
      [this.ref(id), `<${id}>`],
      // A state machine's executions and map runs are named by its name (`execution:<name>:*`).
      ...(this.typeOf(id) === 'AWS::StepFunctions::StateMachine' ? [[this.attribute(id, 'Name'), `<${id}.Name>`]] : []),
    ]);
    pairs.sort(([a], [b]) => (b as string).length - (a as string).length);
    let abstracted = text;
    for (const [value, name] of pairs) abstracted = abstracted.split(value as string).join(name as string);
    return abstracted
      .split(`:${this.place.region}:`)
      .join(':<region>:')
      .split(`:${this.place.account}:`)
      .join(':<account>:');
  }

  typeOf(id: string): string {
    return this.template.Resources[id]?.Type ?? '';
  }

  /**
   * Resources of a type, with their properties resolved: once per type, as the template is never changed once
   * resolved (an edit is made to the JSON before). A check asks for them for every need of every call (each role's
   * policies, each bucket's and queue's), thousands of times a runner: resolved each time, they made it take seconds.
   * The answer is shared: read it, never change it.
   */
  resourcesOf(type: string): { id: string; properties: Record<string, unknown> }[] {
    let resources = this.resolvedByType.get(type);
    if (!resources) {
      resources = Object.entries(this.template.Resources)
        .filter(([, resource]) => resource.Type === type)
        .map(([id, resource]) => ({
          id,
          properties: this.resolve(resource.Properties ?? {}) as Record<string, unknown>,
        }));
      this.resolvedByType.set(type, resources);
    }
    return resources;
  }

  private arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.place.region}:${this.place.account}:${resource}`;
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

/** A policy document of the template, as a test edits it in place. */
export type EditableDocument = { Statement: { Effect?: string; Action: string | string[]; Resource?: unknown }[] };

/**
 * Every identity policy document of the template, or of one role's (by logical id): each `AWS::IAM::Policy`, and
 * each role's inline policies, where a function's grants are (lib/constructs/node-function.ts FunctionRole).
 */
export function policyDocuments(json: CfnTemplate, roleId?: string): EditableDocument[] {
  const documents: EditableDocument[] = [];
  for (const [id, resource] of Object.entries(json.Resources)) {
    if (resource.Type === 'AWS::IAM::Policy') {
      const roles = (resource.Properties?.Roles ?? []) as { Ref?: string }[];
      if (roleId === undefined || roles.some((role) => role.Ref === roleId)) {
        documents.push(resource.Properties?.PolicyDocument as EditableDocument);
      }
    } else if (resource.Type === 'AWS::IAM::Role' && (roleId === undefined || id === roleId)) {
      const inline = (resource.Properties?.Policies ?? []) as { PolicyDocument: EditableDocument }[];
      documents.push(...inline.map((policy) => policy.PolicyDocument));
    }
  }
  return documents;
}

/** The template with `action` taken out of every policy statement that names it (to see a check refuse). */
export const withoutAction =
  (action: string) =>
  (json: CfnTemplate): CfnTemplate => {
    for (const document of policyDocuments(json)) {
      document.Statement = document.Statement.flatMap((statement) => {
        const actions = [statement.Action].flat().filter((granted) => granted !== action);
        return actions.length ? [{ ...statement, Action: actions }] : [];
      });
    }
    return json;
  };
