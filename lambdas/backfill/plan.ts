import { monotonicFactory } from 'ulid';
import type { SourceBucket } from '../settings';
import { formatSources } from '../settings/backfill';
import { UPLOAD_PREFIX } from '../store/keys';
import { OwnerSchema } from '../store/owner';
import { entriesUnder } from './owners';

/** A backfill's execution input, as the state machine takes it (definition.ts). */
export interface BackfillInput {
  bucket: string;
  prefix: string;
  /** The owner of the images whose `sourceBuckets` entry names none (ownerOf); null: none. */
  owner: string | null;
  reprocess: boolean;
  /** Group each image's faces afresh (docs/people.md#re-clustering); implies `reprocess`. */
  regroupFaces: boolean;
  /** Give an image recorded under another owner the one its key gets now (docs/api.md#backfills). */
  reown: boolean;
}

/**
 * What someone asks for: `image-intel backfill --bucket B [--prefix P] [--owner O] [--reprocess] [--regroup-faces]
 * [--reown]`, `image-intel people recluster`, `POST /backfills`.
 */
export interface BackfillRequest {
  bucket: string;
  prefix?: string;
  owner?: string | null;
  reprocess?: boolean;
  regroupFaces?: boolean;
  reown?: boolean;
}

/** Where a deployment may backfill from: its own bucket's uploads, and the `sourceBuckets` it was deployed with. */
export interface BackfillScope {
  pipelineBucket: string;
  sources: readonly SourceBucket[];
}

/** The request names something the deployment may not read, or contradicts its settings. The message says what to do. */
export class BackfillRequestError extends Error {
  override readonly name = 'BackfillRequestError';
}

/**
 * A request made into the state machine's input, or a BackfillRequestError, before anything starts: the state
 * machine's role may list only what `scope` names (lib/constructs/backfill.ts), so anything else would fail the
 * run at its first listing, after the caller had gone.
 *
 * - The pipeline's own bucket: under `uploads/` (the default prefix), the API's uploads, which keep their owners.
 * - A source bucket: under the prefix of one of its entries (with one entry the default). Each image gets the owner
 *   of the most specific entry over its key, the processor decides per key (ownerOf); the owner asked for is only
 *   for keys whose entry names none, so one asked for where an entry the run reaches (the one the prefix is in, or
 *   one nested under it) names another is refused, naming that entry.
 * - Every image gets an owner: a run reaching an entry that names none must ask for one (with `auth=none` the
 *   settings give every such entry the local owner), so `reown` always has one to give.
 */
export function planBackfill(request: BackfillRequest, scope: BackfillScope): BackfillInput {
  const regroupFaces = request.regroupFaces ?? false;
  // Faces are grouped again only by analysing the image again: a regroup is a reprocess.
  const reprocess = (request.reprocess ?? false) || regroupFaces;
  const owner = request.owner ?? null;
  const reown = request.reown ?? false;
  if (owner !== null && !OwnerSchema.safeParse(owner).success) {
    throw new BackfillRequestError(`owner ${JSON.stringify(owner)} is not an owner id: letters, digits and _ . @ : -`);
  }
  if (request.bucket === scope.pipelineBucket) {
    const prefix = request.prefix ?? UPLOAD_PREFIX;
    if (!prefix.startsWith(UPLOAD_PREFIX)) {
      throw new BackfillRequestError(
        `in the pipeline's own bucket only ${UPLOAD_PREFIX} holds images: give a prefix starting with it`,
      );
    }
    if (owner !== null) {
      throw new BackfillRequestError(`the pipeline's own uploads keep the owners they were uploaded by: give no owner`);
    }
    if (reown) {
      throw new BackfillRequestError(`the pipeline's own uploads keep the owners they were uploaded by: give no reown`);
    }
    return { bucket: request.bucket, prefix, owner: null, reprocess, regroupFaces, reown };
  }
  const entries = scope.sources.filter((source) => source.bucket === request.bucket);
  if (entries.length === 0) {
    throw new BackfillRequestError(
      `${request.bucket} is not a source bucket of this deployment: deploy with -c sourceBuckets=${request.bucket}` +
        `[/prefix][=owner] to let the pipeline read it (docs/deploy.md#bringing-existing-photos-in-backfill)`,
    );
  }
  const granted = entries.map((source) => `${source.bucket}/${source.prefix}`).join(', ');
  if (request.prefix === undefined && entries.length > 1) {
    throw new BackfillRequestError(`${request.bucket} is a source under several prefixes (${granted}): give one`);
  }
  const prefix = request.prefix ?? (entries[0] as SourceBucket).prefix;
  const reached = entriesUnder(entries, request.bucket, prefix);
  if (!reached[0] || !prefix.startsWith(reached[0].prefix)) {
    throw new BackfillRequestError(`the pipeline may read only ${granted}: ${request.bucket}/${prefix} is outside`);
  }
  const other = reached.find((source) => source.owner !== undefined && owner !== null && source.owner !== owner);
  if (other) {
    throw new BackfillRequestError(
      `the images of ${other.bucket}/${other.prefix} belong to ${other.owner} (sourceBuckets ` +
        `${formatSources([other])[0]}), not ${owner}: give no owner (each image gets its entry's), or a prefix outside it`,
    );
  }
  // Every image must have someone who can find it: a search reads the caller's own images only. (With auth=none
  // every entry names one: the settings give it the local owner.)
  const ownerless = owner === null ? reached.find((source) => source.owner === undefined) : undefined;
  if (ownerless) {
    throw new BackfillRequestError(
      `the images of ${ownerless.bucket}/${ownerless.prefix} would have no owner, and no one's search would find ` +
        `them (sourceBuckets ${formatSources([ownerless])[0]} names none): give an owner, or deploy the entry ` +
        `as ${formatSources([ownerless])[0]}=<owner>`,
    );
  }
  return { bucket: request.bucket, prefix, owner, reprocess, regroupFaces, reown };
}

/**
 * A new run's id, the execution's name: a ULID, so runs sort by when they started and two started in the same
 * millisecond still differ. Step Functions keeps an execution name for 90 days, refusing it again meanwhile.
 */
export function newRunId(): string {
  return nextRunId();
}

const nextRunId = monotonicFactory();
