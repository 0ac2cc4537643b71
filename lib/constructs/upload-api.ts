import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Cors,
  EndpointType,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Model,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ListQuerySchema } from '../../lambdas/functions/list-images/list-images';
import type { RenditionSettings } from '../../lambdas/functions/render-image/contract';
import { SimilarQuerySchema } from '../../lambdas/functions/similar-images/similar-images';
import type { DeploymentSettings } from '../../lambdas/settings';
import { METADATA_KEY_PATTERN, UPLOAD_METADATA_LIMITS } from '../../lambdas/store/upload-metadata';
import { acknowledge } from '../nag';
import { ApiAuth } from './api-auth';
import { ApiHandlers } from './api-handlers';
import type { ImageStorage } from './image-storage';
import { type FunctionBasicsProps, NodeFunction } from './node-function';
import type { Renditions } from './renditions';
import type { ResultsTable } from './results-table';
import type { SearchTable } from './search-table';

export type UploadApiSettings = Pick<
  DeploymentSettings,
  | 'auth'
  | 'userPoolId'
  | 'apiClients'
  | 'corsOrigins'
  | 'allowedTypes'
  | 'maxUploadBytes'
  | 'uploadUrlTtlSeconds'
  | 'downloadUrlTtlSeconds'
  | 'thumbnailSizes'
  | 'apiRateLimit'
  | 'apiBurstLimit'
> &
  RenditionSettings;

export interface UploadApiProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  readonly storage: ImageStorage;
  readonly table: ResultsTable;
  readonly searchTable: SearchTable;
  readonly bus: IEventBus;
  /** The rendition URLs' origin and signing key (get-image and create-rendition sign URLs). */
  readonly renditions: Renditions;
  readonly settings: UploadApiSettings;
  /** For a user pool the stack creates. @default RemovalPolicy.RETAIN */
  readonly userPoolRemovalPolicy?: RemovalPolicy;
  /**
   * The origin API Gateway's own error responses (401, 403, 429, a failed validation) allow: one of
   * `settings.corsOrigins`, as a gateway response carries a fixed header. @default - the only corsOrigin when there
   * is exactly one; none otherwise
   */
  readonly gatewayErrorOrigin?: string;
}

/**
 * The REST API: `POST /uploads`, `GET /images`, `GET /images/{id}`, `DELETE /images/{id}`,
 * `GET /images/{id}/similar`, `PATCH /images/{id}/labels`, `POST /images/{id}/renditions`, with stage throttling,
 * JSON access logs, X-Ray, request validation (a JSON Schema for the upload request; the handler checks again), CORS
 * preflight for the configured origins, and the authorizer `settings.auth` names.
 */
export class UploadApi extends Construct {
  public readonly api: RestApi;
  public readonly handlers: ApiHandlers;
  public readonly auth: ApiAuth;
  public readonly accessLogs: LogGroup;
  public readonly requestValidator: RequestValidator;
  /** The JSON Schema of the `POST /uploads` body. */
  public readonly createUploadModel: Model;

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const { settings } = props;
    // Auth first: the handlers' environment names the API clients' parameter.
    this.auth = new ApiAuth(this, 'Auth', {
      mode: settings.auth,
      userPoolId: settings.userPoolId,
      clients: settings.apiClients,
      removalPolicy: props.userPoolRemovalPolicy,
    });
    this.handlers = new ApiHandlers(this, 'Handlers', {
      ...props,
      apiClientsParameter: this.auth.clientsParameterName,
    });
    // Every API function learns who its caller is from the clients' directory (with auth=apikey).
    for (const fn of this.handlers.node.children) {
      if (fn instanceof NodeFunction) this.auth.grantReadClients(fn);
    }
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const origins = [...settings.corsOrigins];

    this.api = new RestApi(this, 'Api', {
      description: 'image-intel: presigned uploads and image records',
      endpointTypes: [EndpointType.REGIONAL],
      // Access and execution logs go through the account's API Gateway CloudWatch role; this creates it (and keeps
      // it when the stack is deleted, since other APIs in the account may rely on it).
      cloudWatchRole: true,
      deployOptions: {
        // Shared by all callers; per-key limits come on top with auth=apikey.
        throttlingRateLimit: settings.apiRateLimit,
        throttlingBurstLimit: settings.apiBurstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
      defaultMethodOptions: this.auth.methodOptions,
      defaultCorsPreflightOptions:
        origins.length > 0
          ? {
              allowOrigins: origins,
              allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
              allowHeaders: Cors.DEFAULT_HEADERS,
              maxAge: Duration.hours(1),
            }
          : undefined,
    });
    // RestApi adds an `Endpoint` output with a generated name; the stack's `ApiUrl` output replaces it.
    this.api.node.tryRemoveChild('Endpoint');
    acknowledge(
      this.api.node.findChild('CloudWatchRole'),
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      "API Gateway's account-level logging role: AWS's managed policy is the documented one for it and only " +
        'lets API Gateway write its own log groups.',
    );
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'No WAF web ACL by default (a fixed monthly cost per ACL and rule): every route requires the chosen auth, and ' +
        'stage throttling (plus a usage plan per API client with auth=apikey) bound request rates.',
    );
    const gatewayErrorOrigin = props.gatewayErrorOrigin ?? (origins.length === 1 ? origins[0] : undefined);
    if (gatewayErrorOrigin !== undefined) this.addCorsToGatewayErrors(gatewayErrorOrigin);

    this.requestValidator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.createUploadModel = this.api.addModel('CreateUploadRequest', {
      contentType: 'application/json',
      modelName: 'CreateUploadRequest',
      description: 'POST /uploads body',
      schema: {
        schema: JsonSchemaVersion.DRAFT4,
        title: 'CreateUploadRequest',
        type: JsonSchemaType.OBJECT,
        required: ['contentType', 'size'],
        additionalProperties: false,
        properties: {
          contentType: { type: JsonSchemaType.STRING, enum: [...settings.allowedTypes] },
          size: { type: JsonSchemaType.INTEGER, minimum: 1, maximum: settings.maxUploadBytes },
          filename: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 255 },
          // The same limits as the handler's (upload-metadata.ts), or looser where JSON Schema cannot say them:
          // blank tags, `__proto__` and the map's byte size are the handler's alone.
          tags: {
            type: JsonSchemaType.ARRAY,
            maxItems: UPLOAD_METADATA_LIMITS.maxTags,
            items: { type: JsonSchemaType.STRING, minLength: 1, maxLength: UPLOAD_METADATA_LIMITS.maxTagChars },
          },
          metadata: {
            type: JsonSchemaType.OBJECT,
            maxProperties: UPLOAD_METADATA_LIMITS.maxKeys,
            patternProperties: {
              [METADATA_KEY_PATTERN]: { type: JsonSchemaType.STRING, maxLength: UPLOAD_METADATA_LIMITS.maxBytes },
            },
            additionalProperties: false,
          },
        },
      },
    });
    this.addRoutes();
    this.auth.bind(this.api);
  }

  private addRoutes(): void {
    const { handlers, requestValidator } = this;
    const integration = (fn: IFunction) => new LambdaIntegration(fn, { allowTestInvoke: false });
    const idParameter = { 'method.request.path.id': true };

    this.api.root.addResource('uploads').addMethod('POST', integration(handlers.createUpload), {
      requestValidator,
      requestModels: { 'application/json': this.createUploadModel },
    });
    const images = this.api.root.addResource('images');
    images.addMethod('GET', integration(handlers.listImages), {
      requestValidator,
      // Every parameter the function's query schema takes, all optional (the function says which is wrong).
      requestParameters: optionalQuery(ListQuerySchema.shape),
    });
    const image = images.addResource('{id}');
    image.addMethod('GET', integration(handlers.getImage), { requestValidator, requestParameters: idParameter });
    image.addMethod('DELETE', integration(handlers.deleteImage), { requestValidator, requestParameters: idParameter });
    image.addResource('similar').addMethod('GET', integration(handlers.similarImages), {
      requestValidator,
      requestParameters: { ...idParameter, ...optionalQuery(SimilarQuerySchema.shape) },
    });
    // The body is checked by the handler's schema (LabelChangeSchema), whose 400 names what is wrong.
    image.addResource('labels').addMethod('PATCH', integration(handlers.correctLabels), {
      requestValidator,
      requestParameters: idParameter,
    });
    // The body is checked by the handler's parser (parseRenditionSpec), whose 400 names the field and the limit.
    image.addResource('renditions').addMethod('POST', integration(handlers.createRendition), {
      requestValidator,
      requestParameters: idParameter,
    });
  }

  /**
   * API Gateway's own errors (401, 403, 429, a failed validation) bypass the handlers' CORS headers; without one a
   * browser cannot read them. A gateway response header is static, so only one origin gets them (the web app's, when
   * the stack hosts it); the handlers echo any allowed origin.
   */
  private addCorsToGatewayErrors(origin: string): void {
    const responseHeaders = { 'Access-Control-Allow-Origin': `'${origin}'` };
    this.api.addGatewayResponse('Default4xx', { type: ResponseType.DEFAULT_4XX, responseHeaders });
    this.api.addGatewayResponse('Default5xx', { type: ResponseType.DEFAULT_5XX, responseHeaders });
  }
}

/** API Gateway's request parameters for a query schema's fields, none required. */
function optionalQuery(shape: Record<string, unknown>): Record<string, boolean> {
  return Object.fromEntries(Object.keys(shape).map((name) => [`method.request.querystring.${name}`, false]));
}
