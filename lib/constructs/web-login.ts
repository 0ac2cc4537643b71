import { Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import {
  type CfnUserPoolClient,
  type IUserPool,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../../lambdas/settings';
import type { WebAuthConfig } from '../../lambdas/settings/web-config';

/** The scopes the app asks the hosted login for. */
export const WEB_LOGIN_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE];

export interface WebLoginProps {
  /** The pool users sign in to: the stack's own, or the existing one `userPoolId` names. */
  readonly userPool: IUserPool;
  /** `userPoolId` (an existing pool), with `webAuthDomain`, its hosted login; else `webAuthDomainPrefix`. */
  readonly settings: Pick<DeploymentSettings, 'userPoolId' | 'webAuthDomain' | 'webAuthDomainPrefix'>;
}

/**
 * The web app's sign-in with `auth=cognito`: the hosted login (a domain added to a pool the stack creates; an existing
 * pool's is its owner's, named by `webAuthDomain`) and, once the app's URL is known, a public app client for the
 * authorization code grant, which the app uses with PKCE.
 */
export class WebLogin extends Construct {
  /** The hosted login's domain, on a pool the stack creates; undefined for an existing pool. */
  public readonly domain?: UserPoolDomain;
  /** The hosted login's base URL, `https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain. */
  public readonly domainUrl: string;
  /** `https://cognito-idp.<region>.amazonaws.com`: where the pool's issuer, its keys and discovery document live. */
  public readonly identityProviderUrl: string;
  private readonly userPool: IUserPool;

  constructor(scope: Construct, id: string, props: WebLoginProps) {
    super(scope, id);
    const { userPool, settings } = props;
    this.userPool = userPool;
    const stack = Stack.of(this);
    if (settings.userPoolId) {
      if (!settings.webAuthDomain) {
        throw new Error(`${this.node.path}: webAuthDomain: the existing pool's hosted login domain is required`);
      }
      this.domainUrl = settings.webAuthDomain;
    } else {
      // Unique in the Region: by default the stack's own id, a UUID (hex digits cannot spell what Cognito refuses).
      const stackUuid = Fn.select(2, Fn.split('/', stack.stackId));
      this.domain = new UserPoolDomain(this, 'Domain', {
        userPool,
        cognitoDomain: { domainPrefix: settings.webAuthDomainPrefix ?? `image-intel-${stackUuid}` },
      });
      this.domainUrl = this.domain.baseUrl();
    }
    // A pool id starts with its Region (`eu-west-1_AbC...`), which an existing pool may not share with the stack.
    const poolRegion = Token.isUnresolved(userPool.userPoolId)
      ? stack.region
      : (userPool.userPoolId.split('_')[0] as string);
    this.identityProviderUrl = `https://cognito-idp.${poolRegion}.${stack.urlSuffix}`;
  }

  /**
   * A public client (a browser keeps no secret) for the hosted login: the authorization code grant only, back to
   * `appUrl` alone; tokens last an hour, the refresh token a week.
   */
  addAppClient(appUrl: string): UserPoolClient {
    const client = new UserPoolClient(this, 'AppClient', {
      userPool: this.userPool,
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: WEB_LOGIN_SCOPES,
        callbackUrls: [appUrl],
        logoutUrls: [appUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });
    // Sign-in happens on the hosted login only. CDK cannot say "refresh only": left out, Cognito would also allow
    // SRP and custom auth from this client.
    (client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    return client;
  }

  /** The `auth` of `config.json` for the app's client. */
  configFor(client: UserPoolClient): WebAuthConfig {
    return {
      mode: 'cognito',
      authority: `${this.identityProviderUrl}/${this.userPool.userPoolId}`,
      domain: this.domainUrl,
      clientId: client.userPoolClientId,
      scope: WEB_LOGIN_SCOPES.map((scope) => scope.scopeName).join(' '),
    };
  }
}
