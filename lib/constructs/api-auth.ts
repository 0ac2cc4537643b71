import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  ApiKey,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  type MethodOptions,
  Period,
  type RestApi,
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
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { AuthMode } from '../../lambdas/shared/settings';
import { acknowledge } from '../nag';

export interface ApiThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly burstLimit: number;
}

export interface ApiAuthProps {
  /** How callers authenticate. */
  readonly mode: AuthMode;
  /** With `cognito`: use this existing user pool instead of creating one. @default - the stack creates a pool */
  readonly userPoolId?: string;
  /** Per-key throttle of the usage plan (`apikey`). @default { rateLimit: 10, burstLimit: 20 } */
  readonly keyThrottle?: ApiThrottle;
  /** Requests per key per day (`apikey`). @default 10_000 */
  readonly keyQuotaPerDay?: number;
  /** What happens to a created user pool when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The API's authentication per `mode`: `cognito` - a Cognito user pool authorizer on every route (a pool created
 * here, self sign-up off, or an existing one); `apikey` - an API key required on every route, with a usage plan
 * (throttle + quota); `none` - open routes, which cdk-nag is told were chosen.
 */
export class ApiAuth extends Construct {
  public readonly mode: AuthMode;
  public readonly userPool?: IUserPool;
  /** The app client created with the pool (not for an existing pool: its owner manages its clients). */
  public readonly userPoolClient?: UserPoolClient;
  public readonly apiKey?: ApiKey;
  public readonly usagePlan?: UsagePlan;
  /** The API's default method options: the authorizer or the API key requirement. */
  public readonly methodOptions: MethodOptions;

  constructor(scope: Construct, id: string, props: ApiAuthProps) {
    super(scope, id);
    this.mode = props.mode;
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
      }
      const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.userPool] });
      this.methodOptions = { authorizer, authorizationType: AuthorizationType.COGNITO };
    } else if (props.mode === 'apikey') {
      this.apiKey = new ApiKey(this, 'ApiKey', { description: 'image-intel API key' });
      this.usagePlan = new UsagePlan(this, 'UsagePlan', {
        description: 'Per-key limits for image-intel clients',
        throttle: props.keyThrottle ?? { rateLimit: 10, burstLimit: 20 },
        quota: { limit: props.keyQuotaPerDay ?? 10_000, period: Period.DAY },
      });
      this.usagePlan.addApiKey(this.apiKey);
      this.methodOptions = { apiKeyRequired: true };
    } else {
      this.methodOptions = {};
    }
  }

  /** Finish what needs the API itself: the usage plan for its stage, and cdk-nag's view of open methods. */
  bind(api: RestApi): void {
    this.usagePlan?.addApiStage({ api, stage: api.deploymentStage });
    if (this.mode === 'cognito') return;
    const reason =
      this.mode === 'apikey'
        ? 'auth=apikey was chosen in the deployment settings: callers are identified by an API key with a usage ' +
          'plan (throttle and quota) instead of an authorizer.'
        : 'auth=none was chosen in the deployment settings: the API is deliberately open (for local testing or ' +
          'behind another access control).';
    for (const method of api.methods) {
      if (method.httpMethod === 'OPTIONS') continue;
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
