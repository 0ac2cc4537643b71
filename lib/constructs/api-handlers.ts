import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { RenditionSettings } from '../../lambdas/functions/render-image/contract';
import { apiFunctionsFor } from '../../lambdas/functions/routes';
import { RENDITION_PREFIX } from '../../lambdas/renditions/query';
import type { DeploymentSettings } from '../../lambdas/settings';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../../lambdas/store/keys';
import type { Backfill } from './backfill';
import type { ImageStorage } from './image-storage';
import { type FunctionBasicsProps, NodeFunction } from './node-function';
import type { People } from './people';
import { keepReadOnly } from './read-only';
import type { Renditions } from './renditions';
import type { ResultsTable } from './results-table';
import type { SearchTable } from './search-table';

export type ApiSettings = Pick<
  DeploymentSettings,
  | 'maxUploadBytes'
  | 'allowedTypes'
  | 'corsOrigins'
  | 'auth'
  | 'uploadUrlTtlSeconds'
  | 'downloadUrlTtlSeconds'
  | 'thumbnailSizes'
  | 'sourceBuckets'
  | 'faceGrouping'
  | 'inference'
> &
  RenditionSettings;

export interface ApiHandlersProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  readonly storage: ImageStorage;
  readonly table: ResultsTable;
  /**
   * The search index: delete-image removes an image's postings, correct-labels rewrites its label postings,
   * list-images and similar-images query them.
   */
  readonly searchTable: SearchTable;
  readonly bus: IEventBus;
  /** Where rendition URLs point and the key they are signed with: get-image and create-rendition sign them. */
  readonly renditions: Renditions;
  /** The backfill state machine the backfill routes start, list and describe. */
  readonly backfill: Backfill;
  readonly settings: ApiSettings;
  /**
   * The people table and face collection, with `faceGrouping`: delete-image removes an image's faces, the people
   * routes read people and (renaming, merging) update them. @default - no face grouping
   */
  readonly people?: People;
  /**
   * `API_CLIENTS_PARAMETER`: the SSM parameter with the API clients' directory (`ApiAuth.clientsParameterName`).
   * @default '' - no API clients (auth other than apikey)
   */
  readonly apiClientsParameter?: string;
}

/** The API functions, each with the variables it reads and exactly the access it uses. */
export class ApiHandlers extends Construct {
  /** `POST /uploads`: records a PENDING image and signs a presigned POST for `uploads/<imageId>.<ext>`. */
  public readonly createUpload: NodeFunction;
  /** `GET /images`: the caller's images (an admin's: anyone's), newest first, by status, paginated. */
  public readonly listImages: NodeFunction;
  /** `GET /images/{id}`: the record with presigned GET URLs for the original and thumbnails. */
  public readonly getImage: NodeFunction;
  /** `DELETE /images/{id}`: removes the objects, the record and its postings, publishes `Image Deleted`. */
  public readonly deleteImage: NodeFunction;
  /** `GET /images/{id}/similar`: the caller's images whose perceptual hash is near this one's. */
  public readonly similarImages: NodeFunction;
  /** `PATCH /images/{id}/labels`: adds or takes away labels, moves their postings, publishes `Image Labels Changed`. */
  public readonly correctLabels: NodeFunction;
  /** `POST /images/{id}/renditions`: a signed rendition URL for any spec. */
  public readonly createRendition: NodeFunction;
  /** `POST /backfills`: an admin starts a backfill run (an execution of the backfill state machine). */
  public readonly startBackfill: NodeFunction;
  /** `GET /backfills`: the runs, newest first. */
  public readonly listBackfills: NodeFunction;
  /** `GET /backfills/{id}`: a run, what its map listed and its counters. */
  public readonly getBackfill: NodeFunction;
  /** Every function above by its name (`create-upload`), the `operationId` of its route in `apiFunctionsFor(settings)`. */
  public readonly byName: Readonly<Record<string, NodeFunction>>;

  constructor(scope: Construct, id: string, props: ApiHandlersProps) {
    super(scope, id);
    const { storage, table, searchTable, bus, settings, renditions, backfill } = props;
    const wiring = {
      tableName: table.table.tableName,
      searchTableName: searchTable.table.tableName,
      bucketName: storage.bucket.bucketName,
      eventBusName: bus.eventBusName,
      signingSecretArn: renditions.signingSecret.secretArn,
      renditionsUrl: renditions.url,
      backfillStateMachineArn: backfill.stateMachine.stateMachineArn,
      settings,
      apiClientsParameter: props.apiClientsParameter,
      people: props.people?.wiring,
    };
    // One function per declared route, named by its operationId: the route table and the functions cannot disagree.
    const byName: Record<string, NodeFunction> = {};
    for (const { route, environmentFor } of apiFunctionsFor(settings)) {
      const { operationId: name, access } = route(settings);
      const created = new NodeFunction(this, functionIdOf(name), {
        entry: `lambdas/functions/${name}/handler.ts`,
        serviceName: `image-intel-${name}`,
        logRetention: props.logRetention,
        logRemovalPolicy: props.logRemovalPolicy,
        environment: environmentFor(wiring),
      });
      // A route that says it only reads cannot be synthesized with a grant that writes, whichever block adds it.
      if (access === 'read') keepReadOnly(created, name);
      byName[name] = created;
    }
    this.byName = byName;
    const fn = (name: string): NodeFunction => {
      const created = byName[name];
      if (!created) throw new Error(`ApiHandlers: no route in lambdas/functions/routes.ts has operationId ${name}`);
      return created;
    };

    this.createUpload = fn('create-upload');
    table.grantItems(this.createUpload, 'PutItem');
    // The presigned POST is signed with this role, so the role must be allowed the upload it signs.
    storage.grantObjects(this.createUpload, UPLOAD_PREFIX, 's3:PutObject');

    this.listImages = fn('list-images');
    // Every owner's images for admins; one owner's for everyone else.
    table.grantQuery(this.listImages, 'byCreatedSharded', 'byStatusSharded', 'byOwnerSharded', 'byOwnerStatusSharded');
    // A plain page's details: its final images' records, by key.
    table.grantItems(this.listImages, 'BatchGetItem');
    // Filtered lists read the search index's postings.
    searchTable.grantQuery(this.listImages);
    // A page links to its images' thumbnails: the presigned GETs are signed with this role.
    storage.grantObjects(this.listImages, THUMBNAIL_PREFIX, 's3:GetObject');
    // With faceGrouping, `person=` reads the person (and the people merged into it).
    props.people?.grantRead(this.listImages);

    this.getImage = fn('get-image');
    table.grantItems(this.getImage, 'GetItem');
    storage.grantObjects(this.getImage, UPLOAD_PREFIX, 's3:GetObject');
    storage.grantObjects(this.getImage, THUMBNAIL_PREFIX, 's3:GetObject');
    // A PROCESSED image's answer has a signed rendition URL per preset.
    renditions.grantSign(this.getImage);
    // With faceGrouping, the answer names the people of the image's faces.
    props.people?.grantRead(this.getImage);

    this.deleteImage = fn('delete-image');
    table.grantItems(this.deleteImage, 'GetItem', 'DeleteItem');
    storage.grantObjects(this.deleteImage, UPLOAD_PREFIX, 's3:DeleteObject');
    storage.grantObjects(this.deleteImage, THUMBNAIL_PREFIX, 's3:DeleteObject');
    bus.grantPutEventsTo(this.deleteImage);
    searchTable.grantWrite(this.deleteImage);
    // The image's stored renditions: listed under renditions/<id>/ (no record names them), then deleted.
    storage.grantList(this.deleteImage, RENDITION_PREFIX);
    storage.grantObjects(this.deleteImage, RENDITION_PREFIX, 's3:DeleteObject');
    // With faceGrouping: the image's faces, their people and (Rekognition) their vectors.
    props.people?.grantDeleteImage(this.deleteImage);

    this.similarImages = fn('similar-images');
    // The image's own record (owner, hash), then the postings of its hash bands.
    table.grantItems(this.similarImages, 'GetItem');
    searchTable.grantQuery(this.similarImages);

    this.correctLabels = fn('correct-labels');
    // Read the record, then a conditional update of its labels; the label postings follow in batches.
    table.grantItems(this.correctLabels, 'GetItem', 'UpdateItem');
    searchTable.grantWrite(this.correctLabels);
    bus.grantPutEventsTo(this.correctLabels);

    this.createRendition = fn('create-rendition');
    // The record (owner, status, size), the caller's per-minute counter and the image's custom specs
    // (store/rendition-quota.ts: both UpdateItem), then a URL signed with the current key.
    table.grantItems(this.createRendition, 'GetItem', 'UpdateItem');
    renditions.grantSign(this.createRendition);

    // Each backfill route only the Step Functions calls it makes; the bucket and sources are checked, not read.
    this.startBackfill = fn('start-backfill');
    backfill.stateMachine.grantStartExecution(this.startBackfill);
    backfill.grantCheckOverlap(this.startBackfill);
    this.listBackfills = fn('list-backfills');
    backfill.grantList(this.listBackfills);
    this.getBackfill = fn('get-backfill');
    backfill.grantDescribe(this.getBackfill);
    backfill.grantReadCounts(this.getBackfill);

    if (props.people) this.grantPeopleRoutes(props.people, storage, fn);
  }

  /**
   * The people routes (faceGrouping): each only the people table's actions it sends, and the thumbnails its
   * answer's cover links to (presigned GETs, signed with its role).
   */
  private grantPeopleRoutes(people: People, storage: ImageStorage, fn: (name: string) => NodeFunction): void {
    const covers = (name: string) => {
      storage.grantObjects(fn(name), THUMBNAIL_PREFIX, 's3:GetObject');
      return fn(name);
    };
    // A page of people: the listing index's shards, nothing by key.
    people.grantListing(covers('list-people'));
    // A person, and the person a merged id now is: items by key.
    people.grantItems(covers('get-person'), 'GetItem');
    // Read the person, then a conditional update of its name.
    people.grantItems(covers('rename-person'), 'GetItem', 'UpdateItem');
    // Read the target and its sources, then one transaction of conditional updates (person-merge.ts).
    people.grantItems(covers('merge-people'), 'GetItem', 'UpdateItem');
  }
}

/** A function's construct id from its name (`create-upload` -> `CreateUpload`): its logical id derives from it. */
export function functionIdOf(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_match, _hyphen, letter: string) => letter.toUpperCase());
}
