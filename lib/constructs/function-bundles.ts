import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AssetHashType, AssetStaging, DockerImage, Stage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { LAMBDA_BUNDLE } from '../../lambdas/core/lambda-bundle';

/**
 * The functions' bundles, made by one esbuild build per set of build options rather than one per function.
 *
 * NodejsFunction runs esbuild once per function: each run parses every module the function reaches again (the AWS
 * SDK, Powertools, the manifest), so an app of about seventy functions parsed the same modules seventy times, about
 * 130 CPU-s of a `cdk synth`'s builds. One build with every function as an entry point parses each module once and
 * still writes one bundle per entry (no chunks shared between them: splitting is off), with NodejsFunction's
 * options: node22, CommonJS, minified, source maps without sources, `module` before `main`. The functions a
 * construct is about to make are announced first (`expect`), and the first of them to be staged builds them all; a
 * function nobody announced is built when it is staged, with whatever else of its set is still unbuilt.
 *
 * What lands in an asset is what NodejsFunction's own bundling put there: `index.js` and `index.js.map`, then what
 * the function's hooks copy beside them (a data file), run by the shell as NodejsFunction runs them.
 */

/** The build options functions share a build by: each set is its own build. */
export interface BundleOptions {
  /** Packages left out of the bundle (a layer provides them). */
  readonly externalModules: readonly string[];
  /** esbuild's `define`: identifiers replaced by these expressions. */
  readonly define?: Readonly<Record<string, string>>;
}

interface BundleSet {
  readonly options: BundleOptions;
  /** The entries (paths from the project root) to build with the next build. */
  readonly pending: Set<string>;
  /** Each built entry's folder, holding its index.js and index.js.map. */
  readonly built: Map<string, string>;
}

const ofApp = new WeakMap<Construct, FunctionBundles>();

export class FunctionBundles {
  /** The app's bundles: one registry for every stack of the app (nested ones included). */
  static of(scope: Construct): FunctionBundles {
    const root = scope.node.root;
    let bundles = ofApp.get(root);
    if (!bundles) {
      bundles = new FunctionBundles(root);
      ofApp.set(root, bundles);
    }
    return bundles;
  }

  private readonly sets = new Map<string, BundleSet>();
  private outdir: string | undefined;
  private builds = 0;

  private constructor(private readonly root: Construct) {}

  /** Announce functions about to be made, so the first of them staged builds them all. */
  expect(projectRoot: string, functions: readonly { entry: string; options: BundleOptions }[]): void {
    for (const { entry, options } of functions) {
      const set = this.setOf(options);
      const file = relative(projectRoot, entry);
      if (!set.built.has(file)) set.pending.add(file);
    }
  }

  /**
   * The code of a function whose handler (`handler`) is exported by `entry` (absolute), bundled by its set's build
   * when the asset is staged (never when the stack's bundling is skipped, as NodejsFunction's is not).
   */
  code(projectRoot: string, entry: string, options: BundleOptions, hooks?: ICommandHooks): Code {
    const file = relative(projectRoot, entry);
    return Code.fromAsset(projectRoot, {
      // The asset is named by what the build wrote, as NodejsFunction's: a change that bundles the same is no change.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the local bundling below always bundles, or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
        // What tells this asset from another's in CDK's staging cache, which keys on the bundling options: the entry,
        // the build's options and the hooks' commands (as NodejsFunction's docker command names them).
        command: ['esbuild', file, JSON.stringify(options), ...hookCommands(hooks)],
        local: {
          tryBundle: (outputDir) => {
            this.bundle(projectRoot, file, options, outputDir, hooks);
            return true;
          },
        },
      },
    });
  }

  private bundle(
    projectRoot: string,
    file: string,
    options: BundleOptions,
    outputDir: string,
    hooks: ICommandHooks | undefined,
  ): void {
    const set = this.setOf(options);
    if (!set.built.has(file)) this.build(projectRoot, set, file);
    const folder = set.built.get(file) as string;
    shell(hooks?.beforeBundling(projectRoot, outputDir) ?? [], projectRoot);
    for (const name of ['index.js', 'index.js.map']) copyFileSync(path.join(folder, name), path.join(outputDir, name));
    shell(hooks?.afterBundling(projectRoot, outputDir) ?? [], projectRoot);
  }

  private build(projectRoot: string, set: BundleSet, file: string): void {
    const entries = [...new Set([file, ...set.pending])];
    // Inside the assembly's folder, as NodejsFunction's bundling folders are: a map's sources are relative to it.
    const assembly = Stage.isStage(this.root) ? this.root.assetOutdir : tmpdir();
    this.outdir ??= removedOnExit(mkdtempSync(path.join(assembly, 'bundling-shared-')));
    const outdir = path.join(this.outdir, String(this.builds++));
    buildSync({
      absWorkingDir: projectRoot,
      entryPoints: entries.map((entry) => ({ in: path.join(projectRoot, entry), out: `${entry}/index` })),
      outdir,
      ...LAMBDA_BUNDLE,
      // The ES modules of packages that ship both (the AWS SDK's clients, Smithy, Powertools): esbuild can drop what a
      // function never calls only from those, never from CommonJS, so a function bundled every client a shared
      // module named (get-image carried Rekognition and SSM): 27 % less code to load (docs/architecture.md).
      mainFields: ['module', 'main'],
      external: [...set.options.externalModules],
      define: { ...set.options.define },
      logLevel: 'warning',
    });
    for (const entry of entries) {
      set.built.set(entry, path.join(outdir, entry));
      set.pending.delete(entry);
    }
  }

  private setOf(options: BundleOptions): BundleSet {
    const key = JSON.stringify([[...options.externalModules].sort(), Object.entries(options.define ?? {}).sort()]);
    let set = this.sets.get(key);
    if (!set) {
      set = { options, pending: new Set(), built: new Map() };
      this.sets.set(key, set);
    }
    return set;
  }
}

function hookCommands(hooks: ICommandHooks | undefined): string[] {
  const [input, output] = [AssetStaging.BUNDLING_INPUT_DIR, AssetStaging.BUNDLING_OUTPUT_DIR];
  return hooks ? [...hooks.beforeBundling(input, output), ...hooks.afterBundling(input, output)] : [];
}

function relative(projectRoot: string, entry: string): string {
  return path.relative(projectRoot, path.resolve(projectRoot, entry)).split(path.sep).join('/');
}

/** Run a hook's commands as NodejsFunction does: chained with `&&`, by the shell, from the project root. */
function shell(commands: string[], cwd: string): void {
  if (commands.length === 0) return;
  execFileSync('bash', ['-c', commands.join(' && ')], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

function removedOnExit(dir: string): string {
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
