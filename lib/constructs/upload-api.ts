import { Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Cors,
  EndpointType,
  Integration,
  IntegrationType,
  type IResource,
  type JsonSchema,
  JsonSchemaVersion,
  LogGroupLogDestination,
  Method,
  MethodLoggingLevel,
  Model,
  type RequestValidator,
  Resource,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { gatewayModel } from '../../lambdas/api/gateway-model';
import { apiRoutesFor } from '../../lambdas/manifest/routes';
import type { ApiFunctionsWiring } from '../../lambdas/manifest/wiring';
import type { DeploymentSettings } from '../../lambdas/settings';
import { GATEWAY_PATHS, ROOT_ROUTES } from '../declared-placements';
import { acknowledge } from '../nag';
import { ApiAuth } from './api-auth';
import { ApiHandlers, constructIdOf } from './api-handlers';
import type { UseTargets } from './grant-uses';
import { type FunctionBasicsProps, logGroupOf, type NodeFunction } from './node-function';
import type { RoomStacks } from './room-stacks';

/** The API's one stage: a function's permission names it as text, since its Ref would run back up from a room. */
const STAGE_NAME = 'prod';

/** The resources its functions use (ApiHandlers), and how the API itself is made. */
export interface UploadApiProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  readonly settings: DeploymentSettings;
  /** What every route's contract makes its environment from, but the API clients' parameter, which the API makes. */
  readonly wiring: Omit<ApiFunctionsWiring, 'apiClientsParameter'>;
  /** The resources the routes' uses name, each granting its own. */
  readonly targets: UseTargets;
  /** For a user pool the stack creates. @default RemovalPolicy.RETAIN */
  readonly userPoolRemovalPolicy?: RemovalPolicy;
  /**
   * The origin API Gateway's own error responses (401, 403, 429, a failed validation) allow: one of
   * `settings.corsOrigins`, as a gateway response carries a fixed header. @default - the only corsOrigin when there
   * is exactly one; none otherwise
   */
  readonly gatewayErrorOrigin?: string;
  /** Where each route's function goes: its room's nested stack (the methods stay in this one). */
  readonly rooms: RoomStacks;
}

/**
 * The REST API: every route of `lambdas/manifest/routes.ts` as it declares itself, with stage throttling,
 * JSON access logs, X-Ray, request validation (a JSON Schema for the upload request; the handler checks again), CORS
 * preflight for the configured origins, and the authorizer `settings.auth` names.
 */
export class UploadApi extends Construct {
  public readonly api: RestApi;
  public readonly handlers: ApiHandlers;
  public readonly auth: ApiAuth;
  public readonly accessLogs: LogGroup;
  public readonly requestValidator: RequestValidator;
  /** The request models API Gateway checks bodies against, by route `operationId` (`create-upload`). */
  public readonly bodyModels: Record<string, Model> = {};

  constructor(scope: Construct, id: string, props: UploadApiProps) {
    super(scope, id);
    const { settings } = props;
    // Auth first: the handlers' environment names the API clients' parameter.
    this.auth = new ApiAuth(this, 'Auth', {
      mode: settings.auth,
      userPoolId: settings.userPoolId,
      clients: settings.apiClients,
      removalPolicy: props.userPoolRemovalPolicy,
      adminBackfillThrottle: {
        rateLimit: settings.adminBackfillRateLimit,
        burstLimit: settings.adminBackfillBurstLimit,
      },
    });
    this.handlers = new ApiHandlers(this, 'Handlers', {
      ...props,
      wiring: { ...props.wiring, apiClientsParameter: this.auth.clientsParameterName },
    });
    // Every API function learns who its caller is from the clients' directory (with auth=apikey), but a public
    // route's, which reads no caller.
    for (const declare of apiRoutesFor(settings)) {
      const route = declare(settings);
      const fn = this.handlers.byName[route.operationId];
      if (fn && !route.public) this.auth.grantReadClients(fn);
    }
    this.accessLogs = logGroupOf(this, 'AccessLogs', props);
    const origins = [...settings.corsOrigins];

    this.api = new RestApi(this, 'Api', {
      description: 'image-intel: presigned uploads and image records',
      endpointTypes: [EndpointType.REGIONAL],
      // Access and execution logs go through the account's API Gateway CloudWatch role; this creates it (and keeps
      // it when the stack is deleted, since other APIs in the account may rely on it).
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        // Shared by all callers; per-key limits come on top with auth=apikey.
        throttlingRateLimit: settings.apiRateLimit,
        throttlingBurstLimit: settings.apiBurstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs at ERROR only, and no data trace: INFO logs each request's path parameters and a data
        // trace its body and headers, and a share link's token is the path parameter of GET /shared/{token}.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        // Its fields name the route by `$context.resourcePath` (`/shared/{token}`), never `$context.path`, which
        // holds the token itself (test/infra/shares.test.ts checks the format).
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
      defaultCorsPreflightOptions:
        origins.length > 0
          ? {
              allowOrigins: origins,
              allowMethods: routeMethods(settings),
              // A share link's page (the web app, on another origin) sends the link's token and password in headers;
              // the locked folder's pages, the unlock token.
              allowHeaders: [...Cors.DEFAULT_HEADERS, 'X-Share-Token', 'X-Share-Password', 'X-Unlock-Token'],
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
      'No WAF web ACL by default (a fixed monthly cost per ACL and rule): every route but a public one (a share link) ' +
        'requires the chosen auth, and ' +
        'stage throttling (plus a usage plan per API client with auth=apikey) bound request rates.',
    );
    const gatewayErrorOrigin = props.gatewayErrorOrigin ?? (origins.length === 1 ? origins[0] : undefined);
    if (gatewayErrorOrigin !== undefined) this.addCorsToGatewayErrors(gatewayErrorOrigin);

    this.requestValidator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.auth.bind(this.api, this.addRoutes(settings));
  }

  /**
   * Every route of `apiRoutesFor(settings)` (the people routes with `faceGrouping`, the webhook routes with
   * `webhooks`), each as its declaration says: the resource for its path, its method with the function named by its
   * `operationId`, its path parameters required and query parameters optional (the function says which value is
   * wrong), a model for its body where the route asks API Gateway to check it, and the auth's options unless it is
   * public. A route of ROOT_ROUTES keeps its method, model and paths in this stack; any other has them in its
   * function's room stack, with the paths no route here has. Answers the public methods.
   */
  private addRoutes(settings: DeploymentSettings): Method[] {
    // The root's paths first, so a room's route finds those it shares with them.
    const declared = apiRoutesFor(settings).map((declare) => declare(settings));
    const inRoot = (route: { method: string; path: string }) => ROOT_ROUTES.has(`${route.method} ${route.path}`);
    const open: Method[] = [];
    for (const route of [...declared.filter(inRoot), ...declared.filter((route) => !inRoot(route))]) {
      const fn = this.handlers.byName[route.operationId];
      if (!fn) throw new Error(`route ${route.method} ${route.path}: no function ${route.operationId} in ApiHandlers`);
      const scope = inRoot(route) ? undefined : Stack.of(fn);
      const path = GATEWAY_PATHS[route.path] ?? route.path;
      const body = route.gatewayValidatesBody ? route.request?.body : undefined;
      const model = body && this.addBodyModel(scope, route.operationId, route.method, route.path, body);
      if (model) this.bodyModels[route.operationId] = model;
      const resource = scope ? this.resourceIn(scope, path) : this.api.root.resourceForPath(path);
      const options = {
        ...this.auth.methodOptionsFor(route),
        requestValidator: this.requestValidator,
        requestParameters: requestParameters(path, route.request?.query),
        ...(model && { requestModels: { 'application/json': model } }),
      };
      const integration = this.integrationOf(fn, route.method, path);
      const method = scope
        ? new Method(scope, `${constructIdOf(route.operationId)}Method`, {
            resource,
            httpMethod: route.method,
            integration,
            options,
          })
        : resource.addMethod(route.method, integration, options);
      if (route.public) open.push(method);
    }
    return open;
  }

  /** The resource of a path, its parts this stack has not made yet made in `scope` (a room's stack). */
  private resourceIn(scope: Construct, path: string): IResource {
    let resource: IResource = this.api.root;
    for (const part of path.split('/').filter(Boolean)) {
      resource =
        resource.getResource(part) ??
        new Resource(scope, `Path${resource.path.replace(/[^A-Za-z0-9]/g, '')}${part.replace(/[^A-Za-z0-9]/g, '')}`, {
          parent: resource,
          pathPart: part,
        });
    }
    return resource;
  }

  /**
   * A Lambda proxy integration whose permission lives with the function, in its room's stack: CDK's
   * LambdaIntegration writes it beside the method, in this one. It is as narrow: this API's stage, method and path.
   */
  private integrationOf(fn: NodeFunction, method: string, path: string): Integration {
    fn.addPermission('InvokedByApi', {
      principal: new ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.api.arnForExecuteApi(method, path.replace(/\{[^}]*\}/g, '*'), STAGE_NAME),
    });
    return new Integration({
      type: IntegrationType.AWS_PROXY,
      integrationHttpMethod: 'POST',
      uri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
    });
  }

  /**
   * `CreateUploadRequest` for `create-upload`: the route's body schema as API Gateway's draft 4 (gateway-model.ts),
   * in a room's stack with the route's method, or here.
   */
  private addBodyModel(
    scope: Construct | undefined,
    operationId: string,
    method: string,
    path: string,
    body: z.ZodType,
  ): Model {
    const name = `${constructIdOf(operationId)}Request`;
    return new Model(scope ?? this.api, name, {
      restApi: this.api,
      contentType: 'application/json',
      modelName: name,
      description: `${method} ${path} body`,
      schema: { schema: JsonSchemaVersion.DRAFT4, title: name, ...(gatewayModel(body) as JsonSchema) },
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

/** The methods the routes use, in a fixed order (the preflight's answer, which is part of the deployment's hash). */
function routeMethods(settings: DeploymentSettings): string[] {
  const used = new Set(apiRoutesFor(settings).map((declare) => declare(settings).method));
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => used.has(method as never));
}

/**
 * API Gateway's request parameters: every path parameter required (named as the gateway's path names it), every query
 * parameter optional.
 */
function requestParameters(path: string, query?: z.ZodObject): Record<string, boolean> | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const parameters = {
    ...Object.fromEntries(names.map((name) => [`method.request.path.${name}`, true])),
    ...Object.fromEntries(Object.keys(query?.shape ?? {}).map((name) => [`method.request.querystring.${name}`, false])),
  };
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}
