import { createHash } from 'node:crypto';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall } from '../../../lambdas/local/aws-calls';
import { keyNeedsOf } from './encryption';
import { withLeadingKeys } from './leading-keys';
import { type Need, needsOf, UnknownOperationError } from './operations';
import { identityPoliciesOf, resourcePolicyFor, roleOf } from './policies';
import type { NamedPolicy, PolicyDocument, ResolvedTemplate, Statement } from './template';

/** A need IAM would refuse: the function, the call, the action on the resource, and what the policies say. */
export interface Denial {
  fn: string;
  call: string;
  action: string;
  resource: string;
  result: string;
  /** Which statement comes closest to allowing it, or that none names the action. */
  hint: string;
}

export interface CheckResult {
  /** Distinct needs simulated. */
  checked: number;
  denied: Denial[];
  /** Calls of operations the table does not map (each fails the check). */
  unknown: string[];
  /**
   * Per function, each granted `action on resource` (references written `<LogicalId>`, so runs with other names
   * compare), and whether a recorded call needed it.
   */
  grants: Record<string, Record<string, boolean>>;
  /** Calls of a function the template does not have. */
  strangers: string[];
}

/** The same request for every check: from inside AWS, over TLS. */
const BASE_CONTEXT = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };

/**
 * Check every recorded call against the permissions the synthesized template grants the function that made it.
 *
 * 1. Map each call to the IAM actions and resources it needs (operations.ts), with the KMS actions of a resource
 *    encrypted with a customer managed key (encryption.ts).
 * 2. Simulate each need with `@cloud-copilot/iam-simulate`: the role's identity policies and the resource's policy
 *    in the template, references resolved to the names the calls used.
 * 3. Account each allowed need to the identity statements that allow it; what none used is reported unused.
 *
 * `functions`: the runner's name of each function (`create-upload`) to its logical id in the template.
 */
export async function checkCalls(
  template: ResolvedTemplate,
  functions: Readonly<Record<string, string>>,
  calls: readonly AwsCall[],
): Promise<CheckResult> {
  const result: CheckResult = { checked: 0, denied: [], unknown: [], grants: {}, strangers: [] };
  const grants = new Map<string, Grant[]>();
  for (const [fn, id] of Object.entries(functions)) {
    const role = roleOf(template, id);
    grants.set(fn, grantsOf(identityPoliciesOf(template, role.id)));
  }
  const seen = new Set<string>();
  for (const call of calls) {
    if (!call.fn) continue;
    const id = functions[call.fn];
    if (!id) {
      result.strangers.push(`${call.fn}: ${call.service} ${call.operation}`);
      continue;
    }
    let needs: Need[];
    try {
      needs = needsOf(call, template.place)
        .map((need) => withLeadingKeys(template, need))
        .flatMap((need) => [need, ...keyNeedsOf(template, need)]);
    } catch (error) {
      if (!(error instanceof UnknownOperationError)) throw error;
      result.unknown.push(error.message);
      continue;
    }
    for (const need of needs) {
      const key = JSON.stringify([call.fn, need]);
      if (seen.has(key)) continue;
      seen.add(key);
      result.checked += 1;
      const role = roleOf(template, id);
      const identity = identityPoliciesOf(template, role.id);
      const outcome = await simulate(template, role.arn, identity, need);
      const fnGrants = grants.get(call.fn) ?? [];
      if (outcome === 'Allowed') {
        for (const grant of fnGrants) if (grant.covers(need)) grant.used = true;
        continue;
      }
      result.denied.push({
        fn: call.fn,
        call: `${call.service} ${call.operation} ${JSON.stringify(call.input)}`,
        action: need.action,
        resource: need.resource,
        result: outcome,
        hint: hintFor(need, identity, role.id),
      });
    }
  }
  for (const [fn, fnGrants] of grants) {
    const byText: Record<string, boolean> = {};
    for (const grant of fnGrants) {
      const text = template.abstract(grant.text);
      byText[text] = (byText[text] ?? false) || grant.used;
    }
    result.grants[fn] = byText;
  }
  result.strangers = [...new Set(result.strangers)];
  result.unknown = [...new Set(result.unknown)];
  return result;
}

/** What a service (CloudFront, S3, API Gateway, Secrets Manager) does on its own with a resource of the stack. */
export interface ServiceRequest {
  /** Who asks and why, for the report: "CloudFront's OAC invokes the render function's URL". */
  what: string;
  principal: string;
  need: Need;
}

/** Check requests services make, which only the resource's own policy can allow. */
export async function checkServiceRequests(
  template: ResolvedTemplate,
  requests: readonly ServiceRequest[],
): Promise<Denial[]> {
  const denied: Denial[] = [];
  const withKeys = requests.flatMap((request) => [
    request,
    ...keyNeedsOf(template, request.need).map((need) => ({ ...request, need })),
  ]);
  for (const { what, principal, need } of withKeys) {
    const outcome = await simulate(template, principal, [], need);
    if (outcome === 'Allowed') continue;
    const policy = resourcePolicyFor(template, need.resource);
    denied.push({
      fn: principal,
      call: what,
      action: need.action,
      resource: need.resource,
      result: outcome,
      hint: policy
        ? `the resource policy (${policy.name}) does not allow ${principal} with ${JSON.stringify(need.context ?? {})}`
        : `${need.resource} has no resource policy in the template`,
    });
  }
  return denied;
}

/**
 * Each simulation's outcome, by the hash of everything it was given (the request, every policy): the same request
 * under the same policies is simulated once per test file. A file checks one runner's calls again under a template
 * with one grant taken away, where all but the edited role's and resource's requests are the same as before; a
 * simulation is milliseconds, and a runner's calls thousands of requests.
 */
const outcomes = new Map<string, string>();
/** The JSON of each policy document, hashed once: a template's documents are shared by every request it checks. */
const documentHashes = new WeakMap<object, string>();

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

function documentHash(document: PolicyDocument): string {
  let hash = documentHashes.get(document);
  if (hash === undefined) {
    hash = hashOf(JSON.stringify(document));
    documentHashes.set(document, hash);
  }
  return hash;
}

async function simulate(
  template: ResolvedTemplate,
  principal: string,
  identity: readonly NamedPolicy[],
  need: Need,
): Promise<string> {
  const resourcePolicy = resourcePolicyFor(template, need.resource);
  const request = {
    principal,
    action: need.action,
    resource: { resource: need.resource, accountId: template.place.account },
    contextVariables: {
      ...BASE_CONTEXT,
      'aws:SourceAccount': template.place.account,
      ...(need.context as Record<string, string | string[]>),
    },
  };
  const identityPolicies = identity.map(({ name, policy }) => ({ name, policy }));
  const key = hashOf(
    JSON.stringify([
      request,
      identityPolicies.map(({ name, policy }) => [name, documentHash(policy)]),
      resourcePolicy?.policy ?? null,
    ]),
  );
  const known = outcomes.get(key);
  if (known !== undefined) return known;
  const response = await runSimulation(
    {
      request,
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: resourcePolicy.policy } : {}),
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`cannot simulate ${need.action} on ${need.resource}: ${response.errors.message}`);
  }
  outcomes.set(key, response.overallResult);
  return response.overallResult;
}

/** One action on one resource pattern of an identity statement, and whether any need used it. */
interface Grant {
  text: string;
  used: boolean;
  covers(need: Need): boolean;
}

function grantsOf(policies: readonly NamedPolicy[]): Grant[] {
  const grants: Grant[] = [];
  for (const statement of policies.flatMap(({ policy }) => policy.Statement)) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      for (const resource of asArray(statement.Resource)) {
        const conditions = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
        grants.push({
          text: `${action} on ${resource}${conditions}`,
          used: false,
          covers: (need) => glob(action, need.action, true) && glob(resource, need.resource, false),
        });
      }
    }
  }
  return grants;
}

function hintFor(need: Need, identity: readonly NamedPolicy[], roleId: string): string {
  const naming = identity.flatMap(({ name, policy }) =>
    policy.Statement.filter(
      (statement: Statement) =>
        statement.Effect === 'Allow' && asArray(statement.Action).some((action) => glob(action, need.action, true)),
    ).map((statement) => `${name} allows it on ${asArray(statement.Resource).join(', ')}`),
  );
  const why = need.why ? ` (needed ${need.why})` : '';
  if (naming.length) return `no statement allows it on this resource${why}; ${naming.join('; ')}`;
  return `no statement of ${roleId}'s policies names ${need.action}${why}`;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM's wildcard match: `*` any run of characters, `?` one; actions ignore case. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}
