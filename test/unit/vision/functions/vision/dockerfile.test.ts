import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VISION_BUILD_CONTEXT } from '../../../../../lib/constructs/vision';

const ROOT = join(__dirname, '../../../../..');
const dockerfile = readFileSync(join(ROOT, 'lambdas/vision/functions/vision/Dockerfile'), 'utf8');

/**
 * Docker cannot run here, so the image is kept honest from outside: what it copies exists and is in the build
 * context the stack sends, it assembles the task root with bundle.ts (whose result image.test.ts invokes), and
 * it runs the handler that bundle.ts writes.
 */
describe('lambdas/vision/functions/vision/Dockerfile', () => {
  it('builds on the AWS Lambda Node.js 22 base image', () => {
    expect(dockerfile.match(/^FROM public\.ecr\.aws\/lambda\/nodejs:22\b/gm)).toHaveLength(2);
  });

  it('copies only files that exist and that the stack puts in the build context', () => {
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    expect(copies.sort()).toEqual([...VISION_BUILD_CONTEXT].sort());
    for (const path of copies) expect(existsSync(join(ROOT, path))).toBe(true);
  });

  it('assembles the task root with bundle.ts and copies only that into the final image', () => {
    expect(dockerfile).toMatch(/^RUN npm ci && npx tsx lambdas\/vision\/functions\/vision\/bundle\.ts \/image$/m);
    expect([...dockerfile.matchAll(/^COPY --from=build (\S+) /gm)].map((m) => m[1])).toEqual(['/image/']);
  });

  it('runs the handler bundle.ts writes (index.js, export handler)', () => {
    expect(dockerfile).toMatch(/^CMD \["index\.handler"\]$/m);
  });
});
