import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../../lambdas/shared/keys';
import type { DeploymentSettings } from '../../lambdas/shared/settings';
import type { ImageStorage } from './image-storage';
import { type FunctionBasicsProps, NodeFunction } from './node-function';
import type { ResultsTable } from './results-table';

/** How long a presigned upload (POST) stays usable. */
export const UPLOAD_URL_TTL_SECONDS = 900;
/** How long a presigned download (GET) stays usable. */
export const DOWNLOAD_URL_TTL_SECONDS = 300;

export type ApiSettings = Pick<DeploymentSettings, 'maxUploadBytes' | 'allowedTypes' | 'corsOrigins'>;

export interface ApiHandlersProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  readonly storage: ImageStorage;
  readonly table: ResultsTable;
  readonly bus: IEventBus;
  readonly settings: ApiSettings;
}

/** The four API functions, each with the variables it reads and exactly the access it uses. */
export class ApiHandlers extends Construct {
  /** `POST /uploads`: records a PENDING image and signs a presigned POST for `uploads/<imageId>.<ext>`. */
  public readonly createUpload: NodeFunction;
  /** `GET /images`: newest first, by status, paginated. */
  public readonly listImages: NodeFunction;
  /** `GET /images/{id}`: the record with presigned GET URLs for the original and thumbnails. */
  public readonly getImage: NodeFunction;
  /** `DELETE /images/{id}`: removes the objects and the record, publishes `Image Deleted`. */
  public readonly deleteImage: NodeFunction;

  constructor(scope: Construct, id: string, props: ApiHandlersProps) {
    super(scope, id);
    const { storage, table, bus, settings } = props;
    const common = {
      TABLE_NAME: table.table.tableName,
      CORS_ORIGINS: settings.corsOrigins.join(','),
    };
    const fn = (fnId: string, name: string, environment: Record<string, string>) =>
      new NodeFunction(this, fnId, {
        entry: `lambdas/functions/${name}/handler.ts`,
        serviceName: `image-intel-${name}`,
        logRetention: props.logRetention,
        logRemovalPolicy: props.logRemovalPolicy,
        environment: { ...common, ...environment },
      });

    this.createUpload = fn('CreateUpload', 'create-upload', {
      BUCKET_NAME: storage.bucket.bucketName,
      MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
      ALLOWED_TYPES: settings.allowedTypes.join(','),
      UPLOAD_URL_TTL_SECONDS: String(UPLOAD_URL_TTL_SECONDS),
    });
    table.grantItems(this.createUpload, 'PutItem');
    // The presigned POST is signed with this role, so the role must be allowed the upload it signs.
    storage.grantObjects(this.createUpload, UPLOAD_PREFIX, 's3:PutObject');

    this.listImages = fn('ListImages', 'list-images', {});
    table.grantQuery(this.listImages, 'byCreated', 'byStatus');

    this.getImage = fn('GetImage', 'get-image', {
      BUCKET_NAME: storage.bucket.bucketName,
      DOWNLOAD_URL_TTL_SECONDS: String(DOWNLOAD_URL_TTL_SECONDS),
    });
    table.grantItems(this.getImage, 'GetItem');
    storage.grantObjects(this.getImage, UPLOAD_PREFIX, 's3:GetObject');
    storage.grantObjects(this.getImage, THUMBNAIL_PREFIX, 's3:GetObject');

    this.deleteImage = fn('DeleteImage', 'delete-image', {
      BUCKET_NAME: storage.bucket.bucketName,
      EVENT_BUS_NAME: bus.eventBusName,
    });
    table.grantItems(this.deleteImage, 'GetItem', 'DeleteItem');
    storage.grantObjects(this.deleteImage, UPLOAD_PREFIX, 's3:DeleteObject');
    storage.grantObjects(this.deleteImage, THUMBNAIL_PREFIX, 's3:DeleteObject');
    bus.grantPutEventsTo(this.deleteImage);
  }
}
