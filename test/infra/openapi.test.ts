import { GATEWAY_PATHS } from '../../lib/declared-placements';
import { readOpenApi } from '../support/openapi';
import { routes } from './support/api';
import { type Synthesized, synth } from './support/synth';

/**
 * A deployed route as the document names it: a path deployed under an earlier name of its variable (GATEWAY_PATHS)
 * is the document's path, its variables renamed by their place.
 */
const documentedPath = (path: string): string =>
  Object.entries(GATEWAY_PATHS).find(([, deployed]) => deployed === path)?.[0] ?? path;
const variables = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
const documentedParameter = (path: string, name: string): string =>
  variables(documentedPath(path))[variables(path).indexOf(name)] ?? name;

/** The committed document against the API the stack deploys: neither may have a route or parameter the other lacks. */
describe('the OpenAPI document and the deployed API', () => {
  const document = readOpenApi();
  let s: Synthesized;
  beforeAll(() => {
    // With face grouping, so the deployed API has every route the document describes (the people routes too).
    s = synth({ faceGrouping: 'true' });
  });

  it('have the same routes', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const deployed = [...routes(s).keys()].map((route) => {
      const [verb = '', path = ''] = route.split(' ');
      return `${verb} ${documentedPath(path)}`;
    });
    expect(documented.sort()).toEqual(deployed.sort());
  });

  it("have the same path and query parameters on each route (API Gateway's request parameters)", () => {
    const documented: Record<string, string[]> = {};
    const deployed: Record<string, string[]> = {};
    for (const [route, method] of routes(s)) {
      const [verb = '', path = ''] = route.split(' ');
      const operation = document.paths[documentedPath(path)]?.[verb.toLowerCase()];
      documented[route] = (operation?.parameters ?? []).map((p) => `${p.in} ${p.name}`).sort();
      deployed[route] = Object.keys((method.RequestParameters as Record<string, boolean> | undefined) ?? {})
        .map((name) =>
          name
            .replace(/^method\.request\.querystring\./, 'query ')
            .replace(
              /^method\.request\.path\.(\w+)$/,
              (_, variable: string) => `path ${documentedParameter(path, variable)}`,
            ),
        )
        .sort();
    }
    expect(documented).toEqual(deployed);
  });
});
