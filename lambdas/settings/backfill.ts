import { z } from 'zod';
import { flag, int, list } from './values';

/**
 * Backfills: bringing objects already in S3 into the pipeline (lambdas/backfill/definition.ts). The state machine
 * lists a bucket and sends its objects to the ingest queue; the processor does the rest as for an upload.
 */

/** One bucket (and key prefix) a backfill may read, and the owner its images get. */
export interface SourceBucket {
  readonly bucket: string;
  /** Only the keys under it are listed and read; '' for the whole bucket. */
  readonly prefix: string;
  /**
   * The owner of the images under its prefix that no more specific entry covers (backfill/owners.ts). Absent: with
   * `auth=none` the local owner (ownedSources), otherwise the one each backfill run names (it must name one).
   */
  readonly owner?: string;
}

/**
 * Source buckets at most, and the longest prefix: each adds statements to the processor's and the state machine's
 * policies, and IAM keeps a role's inline policies to 10,240 characters.
 */
const MAX_SOURCE_BUCKETS = 10;
const MAX_PREFIX_CHARS = 128;

/**
 * S3's rules for a general purpose bucket's name: 3-63 lowercase letters, digits, dots and hyphens, starting and
 * ending with a letter or digit, no two dots in a row, not an IP address, none of the reserved prefixes and
 * suffixes.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_BUCKET_NAME =
  /\.\.|^\d+\.\d+\.\d+\.\d+$|^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/;

/**
 * An owner id, as `OwnerSchema` (store/owner.ts) has it: a Cognito `sub`, an API client's name, `local`. Written
 * again here because the settings sit below the store (test/unit/settings/backfill.test.ts holds the two together).
 */
const OWNER_ID = /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$/;

/** The one owner of `auth=none`, as `LOCAL_OWNER` (store/owner.ts) has it; written again for the same reason. */
const LOCAL_OWNER = 'local';

/**
 * Characters a prefix may not hold: IAM's wildcards (`*`, `?`) and policy variables (`$`), since the prefix becomes
 * a policy's resource and condition; `=`, which ends the prefix; `,`, which separates entries; control characters.
 */
const PREFIX_FORBIDDEN = /[*?$=,\p{Cc}]/u;

/** `bucket[/prefix][=owner]`, or why it is not one. */
export function parseSourceBucket(entry: string): SourceBucket | string {
  // Every string matches: the bucket runs to the first / or =, the prefix to the first =, the owner to the end.
  const [, bucket = '', prefix = '', owner] = /^([^/=]*)(?:\/([^=]*))?(?:=(.*))?$/su.exec(entry) ?? [];
  if (!BUCKET_NAME.test(bucket) || RESERVED_BUCKET_NAME.test(bucket)) {
    return `${JSON.stringify(bucket)} is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`;
  }
  if (prefix.length > MAX_PREFIX_CHARS) return `the prefix of ${bucket} is over ${MAX_PREFIX_CHARS} characters`;
  if (PREFIX_FORBIDDEN.test(prefix)) {
    return `the prefix of ${bucket} holds one of * ? $ = , or a control character, which it cannot`;
  }
  if (owner !== undefined && !OWNER_ID.test(owner)) {
    const hint = /[/=]/.test(owner) ? ' (a prefix cannot hold "=": everything after the first is the owner)' : '';
    return `${JSON.stringify(owner)}, the owner of ${bucket}, is not an owner id: letters, digits and _ . @ : - (at most 128)${hint}`;
  }
  return owner === undefined ? { bucket, prefix } : { bucket, prefix, owner };
}

export const SourceBucketSchema = z.string().transform((entry, context): SourceBucket => {
  const parsed = parseSourceBucket(entry.trim());
  if (typeof parsed === 'string') {
    context.addIssue({ code: 'custom', input: entry, message: parsed });
    return z.NEVER;
  }
  return parsed;
});

/** How a backfill runs, and which buckets besides the pipeline's it may read. */
export const BackfillSettingsSchema = z.object({
  /**
   * Batch executions of a backfill's Distributed Map at once (1-10,000). Default 100. The ingest queue, not the map,
   * paces the processor (its event source's `processorMaxConcurrency`): the map only has to fill the queue faster
   * than the processor drains it, and 100 executions of ten objects each, ~0.2 s apiece, queue ~5,000 objects a
   * second, five times the design's 1,000 images a second. More only grows the queue's backlog sooner.
   */
  backfillMaxConcurrency: int().min(1).max(10_000).default(100),
  /**
   * Objects a backfill may fail to queue, in percent of those listed (0-100), before its run fails. Default 5: a
   * batch fails only when SQS keeps refusing it after its retries, so a few are an outage's edge and more a broken
   * deployment, which should stop the run. Failed batches are in the run's results, for a second run.
   */
  backfillToleratedFailurePercentage: z.coerce.number().min(0).max(100).default(5),
  /**
   * Buckets other than the pipeline's that a backfill may read, each `bucket[/prefix][=owner]` (a JSON array in
   * cdk.json, or comma-separated with `-c`): the state machine may list `bucket` under `prefix`, the processor read
   * the objects there, and their images get `owner`. At most 10. Default none.
   */
  sourceBuckets: list(SourceBucketSchema)
    .superRefine((buckets, context) => {
      if (buckets.length > MAX_SOURCE_BUCKETS) {
        context.addIssue({ code: 'custom', input: buckets, message: `at most ${MAX_SOURCE_BUCKETS} source buckets` });
      }
      const seen = new Set<string>();
      for (const { bucket, prefix } of buckets) {
        const where = `${bucket}/${prefix}`;
        if (seen.has(where)) context.addIssue({ code: 'custom', input: buckets, message: `${where} is listed twice` });
        seen.add(where);
      }
    })
    .default([]),
  /**
   * Also feed the source buckets' new objects in as they are written: an EventBridge rule per `sourceBuckets` entry
   * (its bucket, keys under its prefix) sends S3's `Object Created` events to the ingest queue, and the processor
   * takes them as a backfill's objects. The bucket's owner must turn on its EventBridge notifications
   * (docs/deploy.md#watching-source-buckets): the stack does not own the buckets and leaves them as they are.
   * Needs `sourceBuckets`. Default false.
   */
  watchSourceBuckets: flag(false),
});
export type BackfillSettings = z.output<typeof BackfillSettingsSchema>;

/**
 * What is wrong with the backfill settings taken together, one sentence each. Every image must have someone who can
 * find it (a search reads the caller's own images): with an auth that has users, a watched entry must name its
 * owner, since its new objects come in with no backfill run to name one (a run over an entry that names none must
 * name one itself: backfill/plan.ts). With `auth=none` an entry without one is the local owner's (ownedSources).
 */
export function backfillProblems(
  settings: Pick<BackfillSettings, 'watchSourceBuckets' | 'sourceBuckets'> & { readonly auth: string },
): string[] {
  if (settings.watchSourceBuckets && settings.sourceBuckets.length === 0) {
    return ['watchSourceBuckets needs sourceBuckets: there is no bucket to watch'];
  }
  if (!settings.watchSourceBuckets || settings.auth === 'none') return [];
  return settings.sourceBuckets
    .filter((source) => source.owner === undefined)
    .map((source) => {
      const entry = `${source.bucket}${source.prefix ? `/${source.prefix}` : ''}`;
      return (
        `sourceBuckets entry ${entry} names no owner, and with watchSourceBuckets its new objects come in with no ` +
        `backfill to name one, so no one could search them: write it ${entry}=<owner>`
      );
    });
}

/**
 * The entries as the deployment uses them: with `auth=none` every image is the one local owner's (the only caller
 * there is, whose searches read its own images), so an entry that names no owner gets that one; otherwise as given.
 */
export function ownedSources(sources: readonly SourceBucket[], auth: string): SourceBucket[] {
  if (auth !== 'none') return [...sources];
  return sources.map((source) => (source.owner === undefined ? { ...source, owner: LOCAL_OWNER } : source));
}

/** The `sourceBuckets` entries as the setting writes them (`bucket[/prefix][=owner]`), for an output. */
export function formatSources(sources: readonly SourceBucket[]): string[] {
  return sources.map(
    ({ bucket, prefix, owner }) => `${bucket}${prefix ? `/${prefix}` : ''}${owner === undefined ? '' : `=${owner}`}`,
  );
}
