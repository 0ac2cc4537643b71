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
