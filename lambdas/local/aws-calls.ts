import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';

/**
 * Every AWS call a function makes in the runner, recorded for the permissions check (test/support/permissions):
 * moto enforces no IAM, so a call the stack's role does not allow would pass every local test and fail in AWS.
 *
 * Each call is tagged with the deployed function that made it: the runner runs every handler in one process, so
 * the function is carried by an AsyncLocalStorage around each invocation (`asFunction`). Calls made outside one
 * are the runner's own (creating the resources) and are recorded without a function.
 */
export interface AwsCall {
  /** The deployed function, by its name in the runner (`create-upload`, `processor`, `render-image`...); '' for the runner's own. */
  fn: string;
  /** The SDK client's service, as its client class names it: `S3`, `DynamoDB`, `SQS`... */
  service: string;
  /** The operation: `GetObject`, `Query`... */
  operation: string;
  /** The input fields that name resources (bucket, key, table, index, queue, bus...); bodies and items left out. */
  input: Record<string, unknown>;
  /** Signed for someone else to send (a presigned URL or POST): the role needs the permission all the same. */
  presigned?: boolean;
}

const caller = new AsyncLocalStorage<string>();

/** Run `work` as the deployed function `fn`: every AWS call it makes, however deep, is recorded as that function's. */
export function asFunction<T>(fn: string, work: () => T): T {
  return caller.run(fn, work);
}

let installed: ((call: AwsCall) => void) | undefined;

/**
 * Record every call of every SDK v3 client in this process to `file`, one JSON line per call. The one spot every
 * command passes through, sent or presigned, is its `resolveMiddlewareWithContext` (smithy's `Command`); a presigned
 * POST signs no command, so `createPresignedPost` is wrapped too.
 */
export function recordAwsCalls(file: string): void {
  if (installed) return;
  // Each distinct call once: an idle runner polls its queue every second.
  const seen = new Set<string>();
  installed = (call) => {
    const line = JSON.stringify(call);
    if (seen.has(line)) return;
    seen.add(line);
    appendFileSync(file, `${line}\n`);
  };
  const record = installed;
  // biome-ignore lint/suspicious/noExplicitAny: patching the SDK's own prototype, which is not typed for it
  const { Command } = require('@smithy/core/client') as { Command: { prototype: any } };
  const resolve = Command.prototype.resolveMiddlewareWithContext;
  Command.prototype.resolveMiddlewareWithContext = function (
    this: unknown,
    ...args: [unknown, unknown, unknown, { clientName: string; commandName: string }]
  ) {
    const handler = resolve.apply(this, args) as (request: { input: Record<string, unknown> }) => Promise<unknown>;
    const { clientName, commandName } = args[3];
    const fn = caller.getStore() ?? '';
    return (request: { input: Record<string, unknown> }) => {
      const presigned = new Error().stack?.includes('getSignedUrl') ? { presigned: true } : {};
      record({
        fn,
        service: clientName.replace(/Client$/, ''),
        operation: commandName.replace(/Command$/, ''),
        input: resourceFields(request.input),
        ...presigned,
      });
      return handler(request);
    };
  };
  const presignedPost = require('@aws-sdk/s3-presigned-post') as {
    createPresignedPost: (client: unknown, options: { Bucket: string; Key: string }) => Promise<unknown>;
  };
  const post = presignedPost.createPresignedPost;
  presignedPost.createPresignedPost = (client, options) => {
    record({
      fn: caller.getStore() ?? '',
      service: 'S3',
      operation: 'PutObject',
      input: { Bucket: options.Bucket, Key: options.Key },
      presigned: true,
    });
    return post(client, options);
  };
}

/**
 * The fields of an input that say what it acts on: its strings, numbers and booleans, the tables of a batch
 * (`RequestItems`), each item's operation and table of a transaction (`TransactItems`, as `[{Put: table}]`), the
 * buses of `PutEvents`, the keys of `DeleteObjects` (as `Keys`). An object body, an item or a table key is left out.
 */
export function resourceFields(input: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input ?? {})) {
    if (typeof value === 'string' && value.length <= 2048) fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = value;
    else if (name === 'RequestItems' && value && typeof value === 'object') fields[name] = Object.keys(value);
    else if (name === 'TransactItems' && Array.isArray(value)) {
      fields[name] = value.map((item: Record<string, { TableName?: string }>) =>
        Object.fromEntries(Object.entries(item).map(([operation, body]) => [operation, body?.TableName])),
      );
    } else if (name === 'Entries' && Array.isArray(value)) {
      fields[name] = value.map((entry: { EventBusName?: string }) => ({ EventBusName: entry.EventBusName }));
    } else if (name === 'Delete' && value && typeof value === 'object') {
      fields.Keys = ((value as { Objects?: { Key?: string }[] }).Objects ?? []).map((object) => object.Key);
    }
  }
  return fields;
}
