import { existsSync, readFileSync } from 'node:fs';
import type { IConstruct } from 'constructs';
import type { AwsCall } from '../../../lambdas/local/aws-calls';
import { apiRoutesFor } from '../../../lambdas/manifest/routes';
import { formatSources } from '../../../lambdas/settings/backfill';
import { logicalIdOf, type Synthesized, synth } from '../../infra/support/synth';
import type { RunnerReady } from '../runner-process';
import { type CheckResult, checkCalls, checkServiceRequests, type Denial, type ServiceRequest } from './check';
import { rotationCalls } from './declared';
import { usedElsewhere } from './explained';
import { queueArn } from './operations';
import { type CfnTemplate, ResolvedTemplate } from './template';

/** The calls a runner recorded (`--record-calls`), one JSON line each. */
export function readCalls(file: string): AwsCall[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AwsCall);
}

export interface StackCheck {
  stack: Synthesized;
  template: ResolvedTemplate;
  /** The runner's name of each function, to its logical id. */
  functions: Record<string, string>;
}

/**
 * The stack a runner stands in for: synthesized with the runner's settings (its auth, its inference, its source
 * buckets, face grouping, webhooks), every
 * reference resolved to the name the runner gave that resource. `edit` may change the template first (a test
 * takes a grant away).
 */
export function stackFor(ready: RunnerReady, edit: (template: CfnTemplate) => CfnTemplate = (t) => t): StackCheck {
  const settings = {
    auth: ready.settings.auth,
    inference: ready.inference,
    sourceBuckets: formatSources(ready.settings.sourceBuckets).join(','),
    ...(ready.settings.faceGrouping && { faceGrouping: 'true' }),
    webhooks: String(ready.settings.webhooks),
    // A runner's model (--meaning, an ONNX folder) is none the stack has: its calls are checked against the
    // grants of the stack's Titan index, named below as the runner named its bucket and index.
    ...(ready.meaning && { searchByMeaning: 'titan' }),
  };
  const stack = synth(settings);
  const s = stack.stack;
  const functions: Record<string, string> = {
    ...Object.fromEntries(Object.entries(s.api.handlers.byName).map(([name, fn]) => [name, logicalIdOf(fn)])),
    processor: logicalIdOf(s.processor.function),
    'render-image': logicalIdOf(s.renditions.renderFunction),
    'rotate-rendition-key': logicalIdOf(s.renditions.rotationFunction),
    ...(s.vision.function ? { vision: logicalIdOf(s.vision.function) } : {}),
    // The consumers of the queues the rooms declare (lib/constructs/declared.ts).
    ...Object.fromEntries(
      s.declaredQueues.map((made) => [made.declaration.consumer.function, logicalIdOf(made.function)]),
    ),
  };
  const bound = (construct: IConstruct | undefined, name: string | undefined) =>
    construct && name ? [[logicalIdOf(construct), name] as const] : [];
  // The resources the runner made; the others (a distribution, the REST API) keep a name of the check's own.
  const names: Record<string, string> = Object.fromEntries([
    ...bound(s.vision.function, ready.visionFunction),
    ...bound(s.storage.bucket, ready.bucket),
    ...bound(s.table.table, ready.table),
    ...bound(s.people?.table, ready.tables.people),
    ...bound(s.events.bus, ready.eventBus),
    ...bound(s.ingest.queue, ready.queueUrl),
    ...bound(s.ingest.deadLetterQueue, ready.dlqUrl),
    // The tables and queues the rooms declare, by the names the runner gave them.
    ...s.declaredTables.flatMap((made) => bound(made.table, ready.tables[made.declaration.name])),
    ...s.declaredQueues.flatMap((made) => [
      ...bound(made.queue, ready.queues[made.declaration.name]?.url),
      ...bound(made.deadLetterQueue, ready.queues[made.declaration.name]?.dlqUrl),
    ]),
    ...bound(s.renditions.signingSecret, ready.signingSecretArn),
    ...bound(s.api.auth.clientsParameter, ready.apiClientsParameter),
    // Its Ref is its ARN: what the API and the CLI start, describe and list (StartExecution, ListMapRuns...).
    ...bound(s.backfill.stateMachine, ready.backfillStateMachineArn),
  ]);
  const [, , , , account = ''] = queueArn(ready.queueUrl, { region: '', account: '' }).split(':');
  const place = { region: 'us-east-1', account };
  const json = edit(structuredClone(stack.json) as CfnTemplate);
  // Named in their properties (the functions call S3 Vectors by names), not bound through a Ref.
  if (s.meaning && ready.meaning) {
    const properties = (construct: IConstruct) => json.Resources[logicalIdOf(construct)]?.Properties ?? {};
    properties(s.meaning.bucket).VectorBucketName = ready.meaning.vectorBucketName;
    properties(s.meaning.index).IndexName = ready.meaning.indexName;
  }
  return { stack, template: new ResolvedTemplate(json, place, names), functions };
}

/**
 * What services do with the stack's resources by themselves, each allowed only by the resource's policy: S3 sends
 * upload notifications to the queue, CloudFront's origin access control invokes the render function's URL and
 * reads the web app's bucket, Secrets Manager invokes the rotation function, API Gateway each route's function.
 */
export function serviceRequests(check: StackCheck, ready: RunnerReady): ServiceRequest[] {
  const { template, stack } = check;
  const s = stack.stack;
  const { region, account } = template.place;
  const arn = (construct: IConstruct) => template.attribute(logicalIdOf(construct), 'Arn');
  const ref = (construct: IConstruct) => template.ref(logicalIdOf(construct));
  const distribution = (construct: IConstruct) => `arn:aws:cloudfront::${account}:distribution/${ref(construct)}`;
  const api = `${ref(s.api.api)}/${ref(s.api.api.deploymentStage)}`;
  const requests: ServiceRequest[] = [
    {
      what: 'S3 sends an upload notification to the ingest queue',
      principal: 's3.amazonaws.com',
      need: {
        action: 'sqs:SendMessage',
        resource: queueArn(ready.queueUrl, template.place),
        context: { 'aws:SourceArn': `arn:aws:s3:::${ready.bucket}` },
      },
    },
    ...['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'].map((action) => ({
      what: "CloudFront's origin access control invokes the render function's URL",
      principal: 'cloudfront.amazonaws.com',
      need: {
        action,
        resource: arn(s.renditions.renderFunction),
        context: {
          'aws:SourceArn': distribution(s.renditions.distribution),
          'lambda:FunctionUrlAuthType': 'AWS_IAM',
          'lambda:InvokedViaFunctionUrl': 'true',
        },
      },
    })),
    {
      what: 'Secrets Manager invokes the rotation function',
      principal: 'secretsmanager.amazonaws.com',
      need: {
        action: 'lambda:InvokeFunction',
        resource: arn(s.renditions.rotationFunction),
        context: { 'aws:SourceArn': ready.signingSecretArn },
      },
    },
    ...apiRoutesFor(ready.settings).map((declare) => {
      const { method, path, operationId } = declare(ready.settings);
      const fn = s.api.handlers.byName[operationId] as IConstruct;
      const sample = path.replace(/\{[^}]+\}/g, '01HZY8K2W7Q4V9J6M3T5R1N0PX');
      return {
        what: `API Gateway invokes ${operationId} for ${method} ${path}`,
        principal: 'apigateway.amazonaws.com',
        need: {
          action: 'lambda:InvokeFunction',
          resource: arn(fn),
          context: {
            'aws:SourceArn': `arn:aws:execute-api:${region}:${account}:${api}/${method}${sample}`,
          },
        },
      };
    }),
  ];
  if (s.web) {
    requests.push({
      what: "CloudFront's origin access control reads the web app's pages",
      principal: 'cloudfront.amazonaws.com',
      need: {
        action: 's3:GetObject',
        resource: `${arn(s.web.bucket)}/index.html`,
        context: { 'aws:SourceArn': distribution(s.web.distribution) },
      },
    });
  }
  return requests;
}

export interface PermissionsReport extends CheckResult {
  services: Denial[];
}

/** The whole check for what one runner recorded, with the calls of a rotation (declared.ts). */
export async function checkRunner(
  ready: RunnerReady,
  calls: readonly AwsCall[],
  edit?: (template: CfnTemplate) => CfnTemplate,
): Promise<PermissionsReport> {
  const check = stackFor(ready, edit);
  const all = [...calls, ...rotationCalls(ready.signingSecretArn)];
  const result = await checkCalls(check.template, check.functions, all);
  return { ...result, services: await checkServiceRequests(check.template, serviceRequests(check, ready)) };
}

/** The report as a test failure shows it: each refused call with its function, action, resource and hint. */
export function describeDenials(report: PermissionsReport): string {
  return [...report.denied, ...report.services]
    .map(
      (denial) =>
        `${denial.fn}: ${denial.action} on ${denial.resource} (${denial.result}) by ${denial.call}\n    ${denial.hint}`,
    )
    .concat(
      report.unknown,
      report.strangers.map((stranger) => `no such function in the stack: ${stranger}`),
    )
    .join('\n');
}

/**
 * Granted actions no recorded call of any of these runs needed, per function, leaving out those used by something
 * other than the code (explained.ts). A grant counts as used if any run used it.
 */
export function unusedGrants(reports: readonly PermissionsReport[]): Record<string, string[]> {
  const granted = new Map<string, Set<string>>();
  const used = new Set<string>();
  for (const report of reports) {
    for (const [fn, grants] of Object.entries(report.grants)) {
      for (const [grant, wasUsed] of Object.entries(grants)) {
        if (!granted.has(fn)) granted.set(fn, new Set());
        granted.get(fn)?.add(grant);
        if (wasUsed) used.add(`${fn} ${grant}`);
      }
    }
  }
  const unused: Record<string, string[]> = {};
  for (const [fn, grants] of granted) {
    const left = [...grants].filter((grant) => !used.has(`${fn} ${grant}`) && !usedElsewhere(fn, grant)).sort();
    if (left.length) unused[fn] = left;
  }
  return unused;
}

export function describeUnused(...reports: PermissionsReport[]): string {
  return Object.entries(unusedGrants(reports))
    .map(([fn, grants]) => `${fn}:\n${grants.map((grant) => `  ${grant}`).join('\n')}`)
    .join('\n');
}
