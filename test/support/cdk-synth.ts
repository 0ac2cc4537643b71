import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage } from '../../lambdas/provenance/c2pa-worker';
import { credentialFixtures } from './provenance';

/** The real `npx cdk synth` of test/integration/infra/cdk-synth.test.ts, and what the bundle tests share. */
export const ROOT = path.join(__dirname, '../..');
export interface SynthResource {
  Type: string;
  Properties?: { Environment?: { Variables?: Record<string, unknown> }; [key: string]: unknown };
  Metadata?: Record<string, string>;
}

const outdirs: string[] = [];
afterAll(() => {
  for (const out of outdirs) rmSync(out, { recursive: true, force: true });
});

/** `dir`, removed once the file's tests have run. */
export function removedAfterAll(dir: string): string {
  outdirs.push(dir);
  return dir;
}

/**
 * `npx cdk synth` with these context values, as a user runs it, with real bundling and no docker (the inference
 * image is only built at deploy time): where it wrote the assembly, and the resources of its templates. It must succeed with
 * nothing on stderr.
 */
export function cdkSynth(...context: string[]): { out: string; resources: SynthResource[] } {
  const out = mkdtempSync(path.join(tmpdir(), 'image-intel-synth-'));
  outdirs.push(out);
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '--output', out, ...context.flatMap((value) => ['-c', value])],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        DOCKER_HOST: 'unix:///nonexistent.sock',
      },
    },
  );
  expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
    status: 0,
    stderr: '',
  });
  // The root's and its rooms' nested stacks' (`ImageIntel<Room>...nested.template.json`): every resource it deploys.
  const templates = readdirSync(out).filter((name) => /^ImageIntel(\.template|.*\.nested\.template)\.json$/.test(name));
  return {
    out,
    resources: templates.flatMap((name) =>
      Object.values(
        (JSON.parse(readFileSync(path.join(out, name), 'utf8')) as { Resources: Record<string, SynthResource> })
          .Resources,
      ),
    ),
  };
}

/** A signed image read by the worker thread's script given, with the module given, as the C2PA reader starts it. */
export async function readInThread(script: string, wasm: string): Promise<WorkerMessage> {
  const { generated } = await credentialFixtures(readFileSync(path.join(ROOT, 'test/fixtures/photos/pier.jpg')));
  const worker = new Worker(script);
  try {
    const next = () =>
      new Promise<WorkerMessage>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    worker.postMessage({ module: await WebAssembly.compile(readFileSync(wasm)) });
    expect(await next()).toEqual({ kind: 'ready' });
    worker.postMessage({ mediaType: 'image/jpeg', bytes: generated, context: '{}' });
    return await next();
  } finally {
    await worker.terminate();
  }
}
