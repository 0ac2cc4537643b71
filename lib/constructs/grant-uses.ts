import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { BackfillAccess, PeopleAccess, Use } from '../../lambdas/functions/uses';
import type { Backfill } from './backfill';
import type { ImageStorage } from './image-storage';
import type { People } from './people';
import type { PolicyTable } from './policy-table';
import type { Renditions } from './renditions';
import type { ResultsTable } from './results-table';
import type { SearchTable } from './search-table';
import type { SemanticSearch } from './semantic-search';
import type { Trash } from './trash';
import type { VisionBackend } from './vision';
import type { Webhooks } from './webhooks';

/** The deployment's resources a function's uses name, each with its own exact grants. */
export interface UseTargets {
  readonly storage: ImageStorage;
  readonly table: ResultsTable;
  readonly searchTable: SearchTable;
  readonly bus: IEventBus;
  readonly renditions: Renditions;
  readonly backfill: Backfill;
  /** The stack's; the API's functions use none. */
  readonly vision?: VisionBackend;
  /** With `faceGrouping` only: without it a people use grants nothing (the function has no people to reach). */
  readonly people?: People;
  /** With `semanticSearch` only: without it a meaning use grants nothing. */
  readonly meaning?: SemanticSearch;
  /** With `webhooks` only: without it a webhook use grants nothing (there is no table or queue to reach). */
  readonly webhooks?: Webhooks;
  /** The ingest queue, for a function that sends an image to the processor (a re-own). */
  readonly ingestQueue?: IQueue;
  /** The trash's queue and purge function. */
  readonly trash: Trash;
  /** The owners' moderation policies. */
  readonly policies: PolicyTable;
}

/** Grant a function what its manifest entry says it uses, in the order it says so, through each resource's grants. */
export function grantUses(grantee: IFunction, declared: readonly Use[], to: UseTargets): void {
  for (const use of declared) {
    switch (use.kind) {
      case 'results-items':
        to.table.grantItems(grantee, ...use.actions);
        break;
      case 'results-query':
        to.table.grantQuery(grantee, ...use.indexes);
        break;
      case 'search':
        if (use.access === 'query') to.searchTable.grantQuery(grantee);
        else to.searchTable.grantWrite(grantee);
        break;
      case 'objects':
        to.storage.grantObjects(grantee, use.prefix, ...use.actions);
        break;
      case 'list':
        to.storage.grantList(grantee, ...use.prefixes);
        break;
      case 'put-events':
        to.bus.grantPutEventsTo(grantee);
        break;
      case 'sign-renditions':
        to.renditions.grantSign(grantee);
        break;
      case 'rotate-signing-keys':
        to.renditions.grantRotate(grantee);
        break;
      case 'vision':
        if (!to.vision) throw new Error(`${grantee.node.path} uses the vision backend, which is not given here`);
        to.vision.grantUse(grantee);
        break;
      case 'people':
        if (to.people) grantPeople(grantee, use.access, to.people);
        break;
      case 'backfill':
        grantBackfill(grantee, use.access, to.backfill);
        break;
      case 'meaning':
        to.meaning?.grant(grantee, use.access);
        break;
      case 'webhook-items':
        to.webhooks?.grantItems(grantee, ...use.actions);
        break;
      case 'webhook-query':
        to.webhooks?.grantQuery(grantee, ...use.on);
        break;
      case 'webhook-queue':
        to.webhooks?.grantSend(grantee);
        break;
      case 'ingest-queue':
        if (!to.ingestQueue) throw new Error(`${grantee.node.path} uses the ingest queue, which is not given here`);
        // SendMessage alone: grantSendMessages adds GetQueueAttributes and GetQueueUrl, which no sender calls; the
        // queue's SQS-managed encryption needs no key grant.
        to.ingestQueue.grant(grantee, 'sqs:SendMessage');
        // With a customer key on the queue, a sender needs it to encrypt (SQS asks KMS for a data key).
        to.ingestQueue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
        break;
      case 'trash-queue':
        to.trash.grantSend(grantee);
        break;
      case 'policy-items':
        to.policies.grantItems(grantee, ...use.actions);
        break;
      default: {
        const unknown: never = use;
        throw new Error(`${grantee.node.path}: no grant for the use ${JSON.stringify(unknown)}`);
      }
    }
  }
}

function grantPeople(grantee: IGrantable, access: PeopleAccess, people: People): void {
  if (access === 'group-faces') people.grantProcessor(grantee);
  else if (access === 'read') people.grantRead(grantee);
  else if (access === 'listing') people.grantListing(grantee);
  else if (access === 'remove-image') people.grantDeleteImage(grantee);
  else if (access === 'correct-faces') people.grantCorrectFaces(grantee);
  else if (access === 'suggest') people.grantSuggest(grantee);
  else people.grantItems(grantee, ...access.items);
}

function grantBackfill(grantee: IGrantable, access: BackfillAccess, backfill: Backfill): void {
  if (access === 'start') backfill.stateMachine.grantStartExecution(grantee);
  else if (access === 'list') backfill.grantList(grantee);
  else if (access === 'check-overlap') backfill.grantCheckOverlap(grantee);
  else if (access === 'describe') backfill.grantDescribe(grantee);
  else if (access === 'read-counts') backfill.grantReadCounts(grantee);
  else backfill.grantSourceReads(grantee);
}
