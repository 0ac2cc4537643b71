import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type OpenApiDocument, openApiDocument } from '../api/openapi';
import { ALL_API_ROUTES, apiRoutesFor } from '../manifest/routes';
import { type DeploymentSettings, parseDeploymentSettings } from '../settings';
import type { LocalEndpoint } from './api-server';

/** The committed document, relative to the project. */
export const OPENAPI_FILE = 'docs/openapi.json';
/** Where the runner serves its own. */
export const OPENAPI_PATH = '/openapi.json';

function packageVersion(projectDir: string): string {
  return (JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * docs/openapi.json: the API with the default settings, every auth mode and every route (those only
 * some deployments have included), as `npm run openapi` writes it.
 */
export function committedDocument(projectDir: string): OpenApiDocument {
  return openApiDocument({
    routes: ALL_API_ROUTES,
    settings: parseDeploymentSettings({}),
    version: packageVersion(projectDir),
    servers: [
      {
        url: '{api}',
        variables: {
          api: {
            default: 'http://localhost:3000',
            description: "A stack's `ApiUrl` output, or the local runner's URL",
          },
        },
      },
    ],
  });
}

/**
 * `GET /openapi.json`, no auth: the document of this runner's API, with its settings (upload types and size), its
 * auth mode only, its routes (those only some deployments have only when their setting is on), and its URL as the server. Made once,
 * when the runner starts.
 */
export function openApiEndpoint(settings: DeploymentSettings, apiUrl: string, projectDir: string): LocalEndpoint {
  const document = openApiDocument({
    routes: apiRoutesFor(settings),
    settings,
    auth: settings.auth,
    version: packageVersion(projectDir),
    servers: [{ url: apiUrl, description: 'This local runner' }],
  });
  return { method: 'GET', path: OPENAPI_PATH, handle: () => ({ status: 200, body: document }) };
}

// `npm run openapi` (which then formats the file with Biome, as `npm run lint` checks it).
if (require.main === module) {
  // The folder with package.json above this file, whether it runs from lambdas/ (tsx) or dist/ (built).
  let projectDir = __dirname;
  while (!existsSync(path.join(projectDir, 'package.json'))) projectDir = path.dirname(projectDir);
  const file = path.join(projectDir, OPENAPI_FILE);
  writeFileSync(file, `${JSON.stringify(committedDocument(projectDir), null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
