import path from 'node:path';
import { publicRenditionFiles } from '../renditions/public';
import type { RenditionPresets } from '../settings/renditions';
import type { LocalAuthInfo } from './local-auth';

// Lines of the banner `npm start` prints (main.ts): where the library is, how to call the API, public presets.

/** The banner's line on where the library is. */
export function libraryLine(dataDir: string | undefined): string {
  if (dataDir) {
    // Under the folder npm start runs in (the project), as the path to type: `.local/library`.
    const relative = path.relative(process.cwd(), dataDir);
    const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dataDir;
    return `  library       ${shown}   kept across restarts (--data-dir <dir> elsewhere, --in-memory: none)`;
  }
  if (process.env.AWS_ENDPOINT_URL) return `  library       kept by ${process.env.AWS_ENDPOINT_URL} (AWS_ENDPOINT_URL)`;
  return '  library       in memory (--in-memory): lost when the runner stops';
}

/** What the banner says of the API's auth, and how to call it. */
export function accessLines(auth: LocalAuthInfo, api: string): { summary: string; examples: string[] } {
  const upload = (credentials: string) =>
    `npx image-intel upload --api ${api}${credentials} test/fixtures/photos/pier.jpg`;
  switch (auth.mode) {
    case 'none':
      return {
        summary: `auth none: every image is owned by '${auth.owner}' (--auth apikey or jwt to tell callers apart)`,
        examples: [upload(''), `curl -s ${api}/images`],
      };
    case 'apikey':
      return {
        summary: `auth apikey: x-api-key: ${auth.apiKey}  (API client '${auth.client}', not an admin)`,
        examples: [upload(` --api-key ${auth.apiKey}`), `curl -s ${api}/images -H 'x-api-key: ${auth.apiKey}'`],
      };
    case 'jwt':
      return {
        summary: `auth jwt: Authorization: Bearer <token>, tokens signed by this runner (issuer ${auth.issuer})`,
        examples: [
          `TOKEN=$(npx image-intel token --api ${api} --user alice)   # --admin: in the admins group`,
          upload(' --token "$TOKEN"'),
          `curl -s ${api}/images -H "Authorization: Bearer $TOKEN"`,
        ],
      };
  }
}

/** With public presets, where they are served unsigned (docs/renditions.md, "Public preset URLs"); else nothing. */
export function publicLine(presets: RenditionPresets, url: string): string[] {
  const files = publicRenditionFiles(presets);
  return files.length === 0 ? [] : [`  public        ${url}/<imageId>/<preset>.<ext>   unsigned: ${files.join(', ')}`];
}
