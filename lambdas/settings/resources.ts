import type { DeploymentSettings } from './index';

/*
 * The resources a deployment is made of, each declared in the room that owns it (a table beside its design, a queue
 * beside its consumer's contract) and listed once in lambdas/manifest/resources.ts. The local runner makes every one
 * of them in one loop (lambdas/local/resources.ts), polls every queue into its consumer and puts every schedule's
 * message, and the functions' wiring is made from what each declares, so a room added with a table and a queue
 * touches neither the runner nor its wiring. Plain data and small functions of the settings: descriptions.
 */

/** A global secondary index of a declared table. */
export interface IndexDesign {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly nonKeyAttributes?: readonly string[];
}

/** A table's keys (every key attribute a string), its indexes and the attribute its TTL reads. */
export interface TableDesign {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes?: Readonly<Record<string, IndexDesign>>;
  readonly timeToLiveAttribute?: string;
}

/** A stack output naming a resource, which the runner answers under the same key (`GET /_local/outputs`). */
export interface DeclaredOutput {
  readonly name: string;
  readonly description: string;
}

/** Whether a deployment with these settings has the resource: some exist only with their feature on. */
export type WhenSettings = (settings: DeploymentSettings) => boolean;

/** A part of the functions' wiring (lambdas/manifest/wiring.ts), by the address a platform gave the resource. */
export type WiringPart = Readonly<Record<string, unknown>>;

export interface TableDeclaration<W extends WiringPart = WiringPart> {
  /** Its name in the runner (`<prefix>-<name>`), in the uses that name it, and in the docs. */
  readonly name: string;
  /**
   * Made in the stack by a construct of its own (lib/constructs/), not the generic one: a resource that needs what
   * the generic construct cannot give without naming its feature (grants of its own, a stream, an S3 notification,
   * a second alarm). One deployed before the declarations needs no construct for its logical ids: the stack places
   * the generic one where it was (lib/declared-placements.ts). @default - the generic construct (DeclaredTable)
   */
  readonly ownConstruct?: true;
  readonly design: TableDesign;
  /** @default - every deployment has it */
  readonly when?: WhenSettings;
  /**
   * Its part of the functions' wiring, from its table name. Declared with `satisfies TableDeclaration`, its type goes
   * into the declared resources' wiring (lambdas/manifest/resources.ts `DeclaredWiring`) the contracts are typed with.
   */
  readonly wiring: (tableName: string) => W;
  readonly output?: DeclaredOutput;
}

/** A queue, its dead-letter queue, and the function the queue's event source feeds. */
export interface QueueDeclaration {
  /** Its name in the runner (`<prefix>-<name>`, its DLQ `<prefix>-<name>-dlq`), in the uses and the runner's stats. */
  readonly name: string;
  /** As a table's (`TableDeclaration.ownConstruct`). @default - the generic construct (DeclaredQueue) */
  readonly ownConstruct?: true;
  /** A message whose handling failed `maxReceiveCount` times goes to the DLQ, kept `dlqRetentionDays`. */
  readonly redrive: { readonly maxReceiveCount: number; readonly dlqRetentionDays: number };
  /** @default - every deployment has it */
  readonly when?: WhenSettings;
  /** The function behind it (its name in lambdas/manifest/manifest.ts) and how its event source feeds it. */
  readonly consumer: {
    readonly function: string;
    readonly timeoutSeconds: (settings: DeploymentSettings) => number;
    readonly batchSize: (settings: DeploymentSettings) => number;
    /** @default 0 */
    readonly batchWindowSeconds?: (settings: DeploymentSettings) => number;
    /** Batches handled at once. @default 1 */
    readonly concurrency?: (settings: DeploymentSettings) => number;
    /** The queue's visibility timeout: AWS's guidance for an SQS event source is 6 x the function's timeout. */
    readonly visibilityTimeoutSeconds: (settings: DeploymentSettings) => number;
  };
  /** Its part of the functions' wiring, from its URL. */
  readonly wiring: (queueUrl: string) => WiringPart;
  readonly outputs?: { readonly queue?: DeclaredOutput; readonly deadLetterQueue?: DeclaredOutput };
}

/** A message a schedule puts on a declared queue (the stack: an EventBridge rule). */
export interface ScheduleDeclaration {
  readonly name: string;
  /** What it is for, in a sentence: the stack's rule's description. */
  readonly description: string;
  /** The declared queue it puts its message on. */
  readonly queue: string;
  readonly message: Readonly<Record<string, unknown>>;
  /** The stack's rule, e.g. `rate(1 day)`. */
  readonly every: string;
  /** The runner puts it at start and this often (a laptop is rarely up for a whole day). */
  readonly localEveryMs: number;
  /** The runner also puts it on `POST <localPath>`, for a tool or a test that wants it now. */
  readonly localPath: string;
  /** @default - every deployment has it */
  readonly when?: WhenSettings;
}

/** The declarations' parts as one wiring: two parts naming the same object (a table's and a queue's) are merged. */
export function mergeWiring(parts: readonly WiringPart[]): Record<string, unknown> {
  const wiring: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const held = wiring[key];
      const bothObjects = typeof held === 'object' && held !== null && typeof value === 'object' && value !== null;
      wiring[key] = bothObjects ? { ...held, ...value } : value;
    }
  }
  return wiring;
}
