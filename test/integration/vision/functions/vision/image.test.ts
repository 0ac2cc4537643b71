import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { FACE_DESCRIPTOR_LENGTH } from '../../../../../lambdas/core/faces';
import { DEFAULT_SETTINGS } from '../../../../../lambdas/settings';
import { assembleVisionImage, NATIVE_PACKAGES } from '../../../../../lambdas/vision/functions/vision/bundle';
import { environmentFor } from '../../../../../lambdas/vision/functions/vision/contract';
import { fixture } from '../../../../fixtures';

const run = promisify(execFile);

/** The packages directly under a node_modules folder, scoped ones as `@scope/name`. */
function packagesIn(modules: string): string[] {
  return readdirSync(modules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(path.join(modules, name)).map((inner) => `${name}/${inner}`) : [name],
  );
}

/** An S3 that answers path-style GETs of one object, as the image's SDK client asks for it. */
function fakeS3(objects: Record<string, Buffer>): Promise<Server> {
  const server = createServer((request, response) => {
    const body = objects[decodeURIComponent((request.url ?? '').split('?')[0] as string)];
    if (!body) {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end('<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>');
      return;
    }
    response.writeHead(200, { 'content-length': body.length, etag: '"e"', 'content-type': 'image/webp' });
    response.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Docker cannot run here, so the image's task root is assembled by the same code its Dockerfile runs, for this
 * machine's platform, and the handler is invoked from it alone: a node process in a folder with no route to the
 * repository's node_modules.
 */
describe('the vision container image', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'vision-image-'));
    await assembleVisionImage(root);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds no CDK, no AWS SDK package and no dev tooling: those are bundled or left out', () => {
    const packages = packagesIn(path.join(root, 'node_modules'));
    for (const absent of ['aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild', 'typescript', 'jest', 'zod']) {
      expect(packages).not.toContain(absent);
    }
    expect(packages.filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
    expect(packages).toEqual(expect.arrayContaining([...NATIVE_PACKAGES, '@vladmandic/human', 'nsfwjs']));
  });

  it("keeps one platform's ONNX Runtime binary", () => {
    const binaries = path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6');
    expect(readdirSync(binaries)).toEqual([process.platform]);
    expect(readdirSync(path.join(binaries, process.platform))).toEqual([process.arch]);
  });

  it('answers a vision request from the image alone, faces described with the weights it ships', async () => {
    const thumbnail = await sharp(fixture('vision/person-astronaut.jpg')).resize(1024).webp().toBuffer();
    const s3 = await fakeS3({ '/images/thumbnails/01J/1024.webp': thumbnail });
    try {
      const request = { imageId: '01J', bucket: 'images', key: 'thumbnails/01J/1024.webp' };
      const script = `require('./index.js').handler(${JSON.stringify(request)}, { awsRequestId: 'r' })
        .then((v) => process.stdout.write(JSON.stringify(v)), (e) => { console.error(e.name, e.message); process.exit(1); })`;
      const env = {
        PATH: process.env.PATH,
        ...environmentFor({ settings: { ...DEFAULT_SETTINGS, faceGrouping: true } }),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(s3.address() as AddressInfo).port}`,
        AWS_S3_FORCE_PATH_STYLE: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      };
      const { stdout } = await run(process.execPath, ['-e', script], { cwd: root, env, timeout: 60_000 });
      const vision = JSON.parse(stdout);
      expect(vision.faces).toHaveLength(1);
      expect(vision.labels.map((label: { name: string }) => label.name)).toEqual(
        expect.arrayContaining(['Person', 'Face']),
      );
      expect(vision.inference.models).toHaveProperty('PP-OCRv4 det+rec');
      expect(vision.faceDescriptions.faces).toHaveLength(1);
      expect(vision.faceDescriptions.faces[0].descriptor).toHaveLength(FACE_DESCRIPTOR_LENGTH);
    } finally {
      s3.close();
    }
  });
});
