import { z } from 'zod';
import type { ApiSettings } from './api';
import { flag, PRICE_CLASSES } from './values';

/** The web app the stack serves, and its sign-in. */
export const WebSettingsSchema = z.object({
  /**
   * Deploy the web app (web/dist, built by `npm run build:web`) to a private bucket behind its own CloudFront
   * distribution, at `https://<domain>/app/`, and allow its origin on the API and the bucket (CORS). Default true.
   */
  webApp: flag(true),
  /** The web app distribution's edge locations (and price), as `renditionPriceClass`. Default `PriceClass_100`. */
  webPriceClass: z.enum(PRICE_CLASSES).default('PriceClass_100'),
  /**
   * With `auth=cognito` and the pool the stack creates: the prefix of the hosted login domain the stack adds to it
   * (`https://<prefix>.auth.<region>.amazoncognito.com`), unique in the Region; lowercase letters, digits and
   * hyphens, without `aws`, `amazon` or `cognito`. Default: `image-intel-` and the stack's own id (a UUID).
   */
  webAuthDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, '1 to 63 lowercase letters, digits or inner hyphens')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'Cognito refuses aws, amazon and cognito in a prefix')
    .optional(),
  /**
   * With `userPoolId` (an existing pool) and `webApp`: the pool's hosted login domain, as its base URL
   * (`https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain); the stack adds the web app's client
   * to the pool but leaves its domain to its owner. Required then; unused otherwise.
   */
  webAuthDomain: z
    .url({ protocol: /^https$/, error: 'an https URL, such as https://example.auth.eu-west-1.amazoncognito.com' })
    .transform((url) => new URL(url).origin)
    .optional(),
});
export type WebSettings = z.output<typeof WebSettingsSchema>;

/**
 * The web app's hosted login: the stack adds a domain to a pool it creates, but an existing pool's domain is its
 * owner's, so it must be named; the domain settings are refused where nothing would read them.
 */
export function webAppProblems(settings: WebSettings & Pick<ApiSettings, 'auth' | 'userPoolId'>): string[] {
  const existingPool = settings.auth === 'cognito' && settings.userPoolId !== undefined;
  const problems: string[] = [];
  if (settings.webApp && existingPool && settings.webAuthDomain === undefined) {
    problems.push(
      'webAuthDomain: the web app signs in through the hosted login of the existing pool (userPoolId): give its ' +
        'domain, -c webAuthDomain=https://<prefix>.auth.<region>.amazoncognito.com, or leave the app out with ' +
        '-c webApp=false',
    );
  }
  if (settings.webAuthDomain !== undefined && !(settings.webApp && existingPool)) {
    problems.push('webAuthDomain: only used with webApp, auth=cognito and userPoolId (an existing pool)');
  }
  if (
    settings.webAuthDomainPrefix !== undefined &&
    !(settings.webApp && settings.auth === 'cognito' && !existingPool)
  ) {
    problems.push(
      'webAuthDomainPrefix: only used with webApp and auth=cognito on the pool the stack creates (without userPoolId)',
    );
  }
  return problems;
}
