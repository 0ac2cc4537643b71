import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { buildSync } from 'esbuild';
import { type BundleOptions, FunctionBundles } from '../../../lib/constructs/function-bundles';
import { REPO_ROOT } from '../../../lib/constructs/node-function';

/**
 * The functions' shared esbuild builds (lib/constructs/function-bundles.ts), with real esbuild: here, not in
 * test/infra, since esbuild runs as a process of its own. Each build is counted through esbuild's own buildSync.
 */
jest.mock('esbuild', () => {
  const actual = jest.requireActual('esbuild');
  return { ...actual, buildSync: jest.fn(actual.buildSync) };
});

const FIRST = 'test/fixtures/bundles/first.ts';
const SECOND = 'test/fixtures/bundles/second.ts';
const TRACED = 'test/fixtures/bundles/traced.ts';
const PLAIN: BundleOptions = { externalModules: [] };
const DEFINED: BundleOptions = { externalModules: [], define: { IMAGE_INTEL_FIXTURE_DEFINED: '"defined"' } };

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function appWith(context: Record<string, unknown> = {}): { app: App; stack: Stack; outdir: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'image-intel-bundles-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true, ...context },
  });
  return { app, stack: new Stack(app, 'Bundles'), outdir };
}

function fn(stack: Stack, id: string, entry: string, options: BundleOptions, hooks?: ICommandHooks): void {
  new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: FunctionBundles.of(stack).code(REPO_ROOT, path.join(REPO_ROOT, entry), options, hooks),
  });
}

/** Each function's asset folder in the assembly, by its construct id. */
function assets(app: App, outdir: string): (id: string) => string {
  const { Resources } = app.synth().getStackByName('Bundles').template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const folders = Object.fromEntries(
    Object.values(Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => [
        String(resource.Metadata?.['aws:cdk:path']).split('/')[1],
        path.join(outdir, String(resource.Metadata?.['aws:asset:path'])),
      ]),
  );
  return (id) => {
    const folder = folders[id];
    if (!folder) throw new Error(`no function ${id} in the assembly`);
    return folder;
  };
}

const run = async (folder: string): Promise<string> => require(path.join(folder, 'index.js')).handler();

describe('FunctionBundles', () => {
  beforeEach(() => jest.mocked(buildSync).mockClear());

  it('bundles the functions announced together in one build, each its own index.js and map', async () => {
    const { app, stack, outdir } = appWith();
    FunctionBundles.of(stack).expect(REPO_ROOT, [
      { entry: FIRST, options: PLAIN },
      { entry: SECOND, options: PLAIN },
    ]);
    fn(stack, 'First', FIRST, PLAIN);
    fn(stack, 'Second', SECOND, PLAIN);
    const folders = assets(app, outdir);

    expect(buildSync).toHaveBeenCalledTimes(1);
    expect(await run(folders('First'))).toBe('first via shared');
    expect(await run(folders('Second'))).toBe('second plain via shared');
    for (const folder of [folders('First'), folders('Second')]) {
      // What NodejsFunction's bundling leaves: the bundle and its map, the map named by the bundle.
      expect(readFileSync(path.join(folder, 'index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
      expect(JSON.parse(readFileSync(path.join(folder, 'index.js.map'), 'utf8'))).toMatchObject({ version: 3 });
    }
    expect(folders('First')).not.toBe(folders('Second'));
  });

  it('builds apart what its options set apart, and a function nobody announced when it is staged', async () => {
    const { app, stack, outdir } = appWith();
    FunctionBundles.of(stack).expect(REPO_ROOT, [{ entry: FIRST, options: PLAIN }]);
    fn(stack, 'First', FIRST, PLAIN);
    fn(stack, 'Second', SECOND, PLAIN);
    fn(stack, 'Defined', SECOND, DEFINED);
    const folders = assets(app, outdir);

    // The first (announced), the second (not announced: built when staged) and the second again, defined.
    expect(buildSync).toHaveBeenCalledTimes(3);
    expect(await run(folders('Second'))).toBe('second plain via shared');
    expect(await run(folders('Defined'))).toBe('second defined via shared');
  });

  it("runs a function's hooks around its bundle, from the project root, the bundle built once", () => {
    const { app, stack, outdir } = appWith();
    const hooks: ICommandHooks = {
      beforeBundling: (input, output) => [`test -f "${input}/package.json"`, `echo before > "${output}/before.txt"`],
      beforeInstall: () => [],
      afterBundling: (_input, output) => [
        `test -f "${output}/index.js"`,
        `cp "${output}/before.txt" "${output}/data.txt"`,
      ],
    };
    fn(stack, 'First', FIRST, PLAIN);
    fn(stack, 'WithData', FIRST, PLAIN, hooks);
    const folders = assets(app, outdir);

    expect(buildSync).toHaveBeenCalledTimes(1);
    expect(readFileSync(path.join(folders('WithData'), 'data.txt'), 'utf8')).toBe('before\n');
    expect(existsSync(path.join(folders('First'), 'data.txt'))).toBe(false);
  });

  it("builds nothing when the stack's bundling is skipped, as NodejsFunction's is not", () => {
    const { app, stack, outdir } = appWith({ 'aws:cdk:bundling-stacks': [] });
    fn(stack, 'First', FIRST, PLAIN);
    assets(app, outdir);
    expect(buildSync).not.toHaveBeenCalled();
  });

  it('carries the tracer a function requires only in Lambda, and loads it only there', () => {
    const { app, stack, outdir } = appWith();
    fn(stack, 'Traced', TRACED, PLAIN);
    const bundle = path.join(assets(app, outdir)('Traced'), 'index.js');
    // In a process of its own, as Lambda runs it: the tracer's X-Ray SDK would hook this worker's every promise.
    const runIn = (env: Record<string, string>) => {
      const script = `require(${JSON.stringify(bundle)}).handler().then((out) => process.stdout.write(out))`;
      const { stdout, stderr } = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...env },
      });
      return stdout || stderr;
    };
    expect(runIn({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe('traced: true');
    expect(runIn({})).toBe('untraced');
  });

  it('fails the synth, naming the file, when a build fails', () => {
    const { stack } = appWith();
    expect(() => fn(stack, 'Missing', 'test/fixtures/bundles/no-such-entry.ts', PLAIN)).toThrow(/no-such-entry/);
  });
});
