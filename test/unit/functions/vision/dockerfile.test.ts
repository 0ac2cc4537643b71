import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const dockerfile = readFileSync(join(ROOT, 'lambdas/functions/vision/Dockerfile'), 'utf8');

/**
 * Docker cannot run here, so the image is kept honest from outside: what it copies exists, the handler it names
 * is what `npm run build` produces, and the files its pruning keeps are the ones the code loads.
 */
describe('lambdas/functions/vision/Dockerfile', () => {
  it('builds on the AWS Lambda Node.js 22 base image', () => {
    expect(dockerfile.match(/^FROM public\.ecr\.aws\/lambda\/nodejs:22\b/gm)).toHaveLength(2);
  });

  it('copies only files that exist in the repository', () => {
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] as string).split(/\s+/),
    );
    expect(copies.length).toBeGreaterThan(3);
    for (const path of copies) expect(existsSync(join(ROOT, path))).toBe(true);
  });

  it('names the handler that the build produces', () => {
    const [, handler] = /^CMD \["([^"]+)"\]/m.exec(dockerfile) ?? [];
    const [file, exported] = (handler as string).split(/\.(?=[^.]+$)/);
    expect(existsSync(join(ROOT, `${file}.js`))).toBe(true);
    expect(exported).toBe('handler');
  });

  it('keeps the model files the code loads', () => {
    for (const kept of ['centernet.*', 'human.node.js', 'mobilenet_v2']) expect(dockerfile).toContain(kept);
    expect(existsSync(join(ROOT, 'dist/lambdas/vision/models/blazeface-back-256.onnx'))).toBe(true);
    expect(dockerfile).toContain('IMAGE_INTEL_MODELS_DIR=/var/task/dist/lambdas/vision/models');
  });
});
