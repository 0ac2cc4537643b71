import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  ApiKey,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  type Method,
  type MethodOptions,
  Period,
  type RestApi,
  type ThrottleSettings,
  UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  FeaturePlan,
  type IUserPool,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type ApiClientSettings, type AuthMode, DEFAULT_API_CLIENT, DEFAULT_SETTINGS } from '../../lambdas/settings';
import type { ApiClientDirectory } from '../../lambdas/settings/api';
import { ADMIN_GROUP } from '../../lambdas/settings/api';
import { acknowledge } from '../nag';

export interface ApiAuthProps {
  /** How callers authenticate. */
  readonly mode: AuthMode;
  /** With `cognito`: use this existing user pool instead of creating one. @default - the stack creates a pool */
  readonly userPoolId?: string;
  /**
   * With `apikey`: the API's clients, each with its own key and usage plan (throttle and daily quota).
   * @default - the `apiClients` default: one client `default`
   */
  readonly clients?: readonly ApiClientSettings[];
  /** What happens to a created user pool when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * With `apikey`: the throttle of `POST /backfills` in each admin client's usage plan, far below its own: a backfill
   * (a regroup above all) may re-analyse the whole library. @default - the `adminBackfillRateLimit` and
   * `adminBackfillBurstLimit` defaults
   */
  readonly adminBackfillThrottle?: ThrottleSettings;
}

/** An API client's key and the usage plan that limits it. */
export interface ApiClientKey {
  readonly client: ApiClientSettings;
  readonly apiKey: ApiKey;
  readonly usagePlan: UsagePlan;
}

/**
 * The API's authentication per `mode`: `cognito` - a Cognito user pool authorizer on every route (a pool created
 * here, self sign-up off, with an `admins` group, or an existing one); `apikey` - an API key required on every
 * route, one per client, each with its own usage plan (throttle + quota); `none` - open routes, which cdk-nag is
 * told were chosen.
 */
export class ApiAuth extends Construct {
  public readonly mode: AuthMode;
  public readonly userPool?: IUserPool;
  /** The app client created with the pool (not for an existing pool: its owner manages its clients). */
  public readonly userPoolClient?: UserPoolClient;
  /**
   * Members see and manage every owner's images; created with the pool only (in an existing pool, a group named
   * `admins` has the same effect, since the functions read the group's name from the token).
   */
  public readonly adminGroup?: UserPoolGroup;
  /** With `apikey`: every client's key and usage plan, in the order of the settings; empty otherwise. */
  public readonly clients: readonly ApiClientKey[];
  /**
   * With `apikey`: the SSM parameter the API functions read their callers from (lambdas/api/api-clients.ts): each
   * key's id, known once deployed, to its client's name and admin flag. Not an environment variable: fifty clients'
   * directory would leave too little of Lambda's 4 KB for the rest.
   */
  public readonly clientsParameter?: StringParameter;
  /**
   * Every method's options but a public one's: the authorizer or the API key requirement. Given to each method
   * (`methodOptionsFor`) rather than as the API's default: CDK refuses a method that turns a default authorizer off.
   */
  public readonly methodOptions: MethodOptions;

  private readonly adminBackfillThrottle: ThrottleSettings;

  constructor(scope: Construct, id: string, props: ApiAuthProps) {
    super(scope, id);
    this.mode = props.mode;
    this.adminBackfillThrottle = props.adminBackfillThrottle ?? {
      rateLimit: DEFAULT_SETTINGS.adminBackfillRateLimit,
      burstLimit: DEFAULT_SETTINGS.adminBackfillBurstLimit,
    };
    this.clients = [];
    if (props.mode === 'cognito') {
      if (props.userPoolId) {
        this.userPool = UserPool.fromUserPoolId(this, 'UserPool', props.userPoolId);
      } else {
        const pool = createUserPool(this, props.removalPolicy ?? RemovalPolicy.RETAIN);
        this.userPool = pool;
        this.userPoolClient = pool.addClient('WebClient', {
          generateSecret: false,
          authFlows: { userSrp: true, userPassword: true },
          // No hosted UI or domain: without this CDK enables the implicit and code grants for https://example.com.
          disableOAuth: true,
          preventUserExistenceErrors: true,
          idTokenValidity: Duration.hours(1),
          accessTokenValidity: Duration.hours(1),
          refreshTokenValidity: Duration.days(30),
        });
        // The functions know admins by this name in the token's `cognito:groups`, so it is fixed.
        this.adminGroup = pool.addGroup('AdminGroup', {
          groupName: ADMIN_GROUP,
          description: "image-intel admins: see and manage every owner's images",
        });
      }
      const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.userPool] });
      this.methodOptions = { authorizer, authorizationType: AuthorizationType.COGNITO };
    } else if (props.mode === 'apikey') {
      this.clients = (props.clients ?? DEFAULT_SETTINGS.apiClients).map((client) => this.addClient(client));
      this.methodOptions = { apiKeyRequired: true };
    } else {
      this.methodOptions = {};
    }
    if (props.mode !== 'apikey') return;
    const directory: ApiClientDirectory = Object.fromEntries(
      this.clients.map(({ client, apiKey }) => [apiKey.keyId, { name: client.name, admin: client.admin }]),
    );
    // A standard parameter holds 4 KB: the apiClients setting is held to it (lambdas/settings/api.ts).
    this.clientsParameter = new StringParameter(this, 'ClientsParameter', {
      description: 'image-intel API clients: API key id to client name and admin flag',
      stringValue: Stack.of(this).toJsonString(directory),
      tier: ParameterTier.STANDARD,
    });
  }

  /**
   * Let an API function read the clients' directory (with `apikey`; nothing to read otherwise): GetParameter on
   * this parameter only, not the DescribeParameters and history that `grantRead` adds.
   */
  grantReadClients(grantee: IGrantable): void {
    if (!this.clientsParameter) return;
    Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter'],
      resourceArns: [this.clientsParameter.parameterArn],
    });
  }

  /**
   * A method's options: `methodOptions`, or for a `public` route (lambdas/api/route.ts: a share link, whose token is
   * its credential) no authorizer and no API key, whatever the mode.
   */
  methodOptionsFor(route: { readonly public?: true }): MethodOptions {
    return route.public ? { authorizationType: AuthorizationType.NONE, apiKeyRequired: false } : this.methodOptions;
  }

  /** `API_CLIENTS_PARAMETER` for the API functions: the parameter's name, or '' without `apikey`. */
  get clientsParameterName(): string {
    return this.clientsParameter?.parameterName ?? '';
  }

  /**
   * A client's key and usage plan. The `default` client keeps the construct ids of the single key earlier versions
   * had, so that key, and every caller holding its value, survives an update; another client's are named after it.
   */
  private addClient(client: ApiClientSettings): ApiClientKey {
    const suffix = client.name === DEFAULT_API_CLIENT ? '' : `-${client.name}`;
    const apiKey = new ApiKey(this, `ApiKey${suffix}`, { description: `image-intel API key of client ${client.name}` });
    const usagePlan = new UsagePlan(this, `UsagePlan${suffix}`, {
      description: `Limits of image-intel API client ${client.name}`,
      throttle: { rateLimit: client.rateLimit, burstLimit: client.burstLimit },
      quota: { limit: client.quotaPerDay, period: Period.DAY },
    });
    usagePlan.addApiKey(apiKey);
    return { client, apiKey, usagePlan };
  }

  /**
   * Finish what needs the API itself: the usage plans for its stage (an admin client's holding `POST /backfills` to
   * `adminBackfillThrottle`: a key may be in one plan per stage, so the lower limit is a method throttle in the
   * client's own plan), and cdk-nag's view of open methods: every method without `cognito`, and the `open` ones
   * (public routes) with it.
   */
  bind(api: RestApi, open: readonly Method[] = []): void {
    const startBackfill = api.methods.find(
      (method) => method.resource.path === '/backfills' && method.httpMethod === 'POST',
    );
    for (const { client, usagePlan } of this.clients) {
      const throttle =
        client.admin && startBackfill ? [{ method: startBackfill, throttle: this.adminBackfillThrottle }] : undefined;
      usagePlan.addApiStage({ api, stage: api.deploymentStage, throttle });
    }
    for (const method of open) {
      const reason =
        `${method.httpMethod} ${method.resource.path} is public by design: a share link opened by someone without an ` +
        'account. Its unguessable token (256 bits, kept only as its hash) is the credential, which the function ' +
        'checks (with the password of a protected link, throttled); stage throttling bounds its rate.';
      acknowledge(method, 'AwsSolutions-APIG4', reason);
      acknowledge(method, 'AwsSolutions-COG4', reason);
    }
    if (this.mode === 'cognito') return;
    const reason =
      this.mode === 'apikey'
        ? 'auth=apikey was chosen in the deployment settings: callers are identified by the API key of their ' +
          'client, each with a usage plan (throttle and quota), instead of an authorizer.'
        : 'auth=none was chosen in the deployment settings: the API is deliberately open (for local testing or ' +
          'behind another access control).';
    for (const method of api.methods) {
      if (method.httpMethod === 'OPTIONS' || open.includes(method)) continue;
      acknowledge(method, 'AwsSolutions-APIG4', reason);
      acknowledge(method, 'AwsSolutions-COG4', reason);
    }
  }
}

function createUserPool(scope: Construct, removalPolicy: RemovalPolicy): UserPool {
  const pool = new UserPool(scope, 'UserPool', {
    // Users are created by an administrator; nobody can sign themselves up to the API.
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    mfa: Mfa.OPTIONAL,
    mfaSecondFactor: { otp: true, sms: false },
    // Plus: compromised-credential and adaptive sign-in checks, enforced.
    featurePlan: FeaturePlan.PLUS,
    standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
    removalPolicy,
  });
  acknowledge(
    pool,
    'AwsSolutions-COG2',
    'MFA (TOTP) is optional so scripted API clients can sign in with USER_PASSWORD_AUTH or SRP; users are created ' +
      'by an administrator only (self sign-up is off), the password policy is strong, and Plus threat protection ' +
      'blocks risky sign-ins.',
  );
  return pool;
}
