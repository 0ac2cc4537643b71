import type { ApiRoute } from '../../../lambdas/api/route';
import { apiRoutesFor } from '../../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import type { Synthesized } from './synth';

type Resources = Synthesized['json']['Resources'];

/** `POST /uploads`, `GET /images/{id}`...: every non-preflight method with its path, and its properties. */
export function routes(s: Synthesized): Map<string, Record<string, unknown>> {
  const resources: Resources = s.json.Resources;
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    const resource = id ? resources[id] : undefined;
    if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(resource.Properties?.ParentId)}/${resource.Properties?.PathPart as string}`;
  };
  const result = new Map<string, Record<string, unknown>>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method') continue;
    const props = resource.Properties ?? {};
    if (props.HttpMethod === 'OPTIONS') continue;
    result.set(`${props.HttpMethod as string} ${pathOf(props.ResourceId) || '/'}`, props);
  }
  return result;
}

/** The routes `lambdas/manifest/routes.ts` declares for a deployment with the default settings (webhooks on). */
export function declaredRoutes(): ApiRoute[] {
  const settings = parseDeploymentSettings({});
  return apiRoutesFor(settings).map((declare) => declare(settings));
}

/** Every resource the declared routes make (the root, each path and each of its prefixes): one preflight each. */
export function declaredResources(): Set<string> {
  const resources = new Set(['/']);
  for (const { path } of declaredRoutes()) {
    const segments = path.split('/').filter(Boolean);
    for (let i = 1; i <= segments.length; i++) resources.add(`/${segments.slice(0, i).join('/')}`);
  }
  return resources;
}
