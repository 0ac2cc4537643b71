import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The sharp layer: `nodejs/node_modules/sharp` with the prebuilt libvips binaries for Lambda's arm64 (Graviton)
 * Linux, glibc (Amazon Linux 2023), installed by npm at synth time on whatever machine runs `cdk synth`, without
 * docker. npm's `--os/--cpu/--libc` pick sharp's optional `@img/*` packages for the target, not the host.
 * The same install, into a function's own asset instead of a layer, is `sharpBundlingHooks`.
 */

const REPO_ROOT = path.resolve(__dirname, '../..');

/** The packages the layer must hold for linux-arm64 glibc; any other `@img/sharp-*` is a wrong-platform binary. */
export const REQUIRED_PLATFORM_PACKAGES = ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64'] as const;

/** The sharp version the repository is tested with: the one in the root lock file, so the layer cannot drift. */
export function lockedSharpVersion(lockFile = path.join(REPO_ROOT, 'package-lock.json')): string {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, { version?: string }> };
  const version = lock.packages?.['node_modules/sharp']?.version;
  if (!version) throw new Error(`sharp is not in ${lockFile}; run npm install first`);
  return version;
}

/** `npm install` arguments that put sharp and its linux-arm64 binaries under `<prefix>/node_modules`. */
export function npmInstallArgs(version: string, prefix: string): string[] {
  return [
    'install',
    '--no-save',
    '--no-package-lock',
    // sharp's install script only checks for (or compiles) a binary for the machine running npm, not the target.
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    `--prefix=${prefix}`,
    '--os=linux',
    '--cpu=arm64',
    '--libc=glibc',
    `sharp@${version}`,
  ];
}

/**
 * Throws unless `modulesDir` (a `node_modules`) holds exactly sharp `version` and the linux-arm64 binaries, and no
 * other platform's. `what` names the build in the message.
 */
export function verifySharpModules(modulesDir: string, version: string, what = 'sharp'): void {
  const sharpPackage = path.join(modulesDir, 'sharp', 'package.json');
  if (!existsSync(sharpPackage)) throw new Error(`${what}: ${sharpPackage} is missing`);
  const installed = (JSON.parse(readFileSync(sharpPackage, 'utf8')) as { version: string }).version;
  if (installed !== version) throw new Error(`${what}: installed sharp ${installed}, expected ${version}`);
  const missing = REQUIRED_PLATFORM_PACKAGES.filter((name) => !existsSync(path.join(modulesDir, name, 'package.json')));
  if (missing.length > 0) throw new Error(`${what}: missing ${missing.join(', ')} (npm ignored --cpu/--os?)`);
  const foreign = readdirSync(path.join(modulesDir, '@img'))
    .map((name) => `@img/${name}`)
    .filter((name) => name.startsWith('@img/sharp-'))
    .filter((name) => !(REQUIRED_PLATFORM_PACKAGES as readonly string[]).includes(name));
  if (foreign.length > 0) throw new Error(`${what}: binaries for another platform: ${foreign.join(', ')}`);
}

/** Throws unless `<layerDir>/nodejs/node_modules` holds exactly sharp `version` and the linux-arm64 binaries. */
export function verifySharpLayer(layerDir: string, version: string): void {
  verifySharpModules(path.join(layerDir, 'nodejs', 'node_modules'), version, 'sharp layer');
}

/** Installs with the npm on this machine; falls back to docker only when there is no npm at all. */
class LocalNpmInstall implements ILocalBundling {
  constructor(private readonly version: string) {}

  tryBundle(outputDir: string): boolean {
    const prefix = path.join(outputDir, 'nodejs');
    mkdirSync(prefix, { recursive: true });
    const result = spawnSync('npm', npmInstallArgs(this.version, prefix), {
      cwd: outputDir,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return false;
    if (result.error || result.status !== 0) {
      const detail = result.error?.message ?? `exit ${result.status}: ${result.stderr.trim()}`;
      throw new Error(`sharp layer: npm install sharp@${this.version} for linux-arm64 failed (${detail})`);
    }
    verifySharpLayer(outputDir, this.version);
    return true;
  }
}

/**
 * The layer's code asset. Its hash covers this directory and the bundling options, which name the version, so a
 * new sharp in the lock file or a change here builds a new layer; otherwise `cdk synth` reuses the staged one.
 */
export function sharpLayerCode(version = lockedSharpVersion()): Code {
  return Code.fromAsset(__dirname, {
    bundling: {
      local: new LocalNpmInstall(version),
      // Only for a machine without npm: the same install inside the SAM build image for arm64.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x:latest'),
      platform: 'linux/arm64',
      environment: { npm_config_cache: '/tmp/.npm' },
      command: ['bash', '-c', ['npm', ...npmInstallArgs(version, '/asset-output/nodejs')].join(' ')],
    },
  });
}

/** A word for the bundling shell: bare when plain, else double-quoted (bash and cmd both read that as one word). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word}"`;
}

/**
 * For a function that carries sharp in its own asset instead of taking the layer (`sharpPackaging=bundle`, for
 * LocalStack's free image, which applies no layers): NodejsFunction command hooks that, after esbuild, run the
 * layer's npm install with the asset as the prefix, so `<asset>/node_modules` gets the locked sharp and its
 * linux-arm64 binaries, then check that directory as the layer is checked. sharp must stay external to esbuild so
 * that `require('sharp')` in the bundle finds this copy. The commands run in NodejsFunction's bundling shell, in
 * the project root (`inputDir`).
 */
export function sharpBundlingHooks(version = lockedSharpVersion()): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      [
        ['npm', ...npmInstallArgs(version, outputDir)],
        [
          path.join(inputDir, 'node_modules', '.bin', 'tsx'),
          path.join(inputDir, 'layers', 'sharp', 'build.ts'),
          '--verify',
          path.join(outputDir, 'node_modules'),
          version,
        ],
      ].map((command) => command.map(shellWord).join(' ')),
  };
}

/**
 * `npx tsx layers/sharp/build.ts <dir>`: build the layer into a directory to look at it.
 * `... build.ts --verify <node_modules> <version>`: the check `sharpBundlingHooks` runs on a function's asset.
 */
if (require.main === module) {
  const [first, modulesDir, expected] = process.argv.slice(2);
  try {
    if (first === '--verify') {
      if (!modulesDir || !expected) throw new Error('usage: build.ts --verify <node_modules dir> <sharp version>');
      verifySharpModules(path.resolve(modulesDir), expected, 'sharp in the function asset');
    } else {
      const outputDir = path.resolve(first ?? 'sharp-layer');
      const version = lockedSharpVersion();
      if (!new LocalNpmInstall(version).tryBundle(outputDir)) throw new Error('npm is not on the PATH');
      console.log(`sharp ${version} for linux-arm64 (glibc) in ${path.join(outputDir, 'nodejs')}`);
    }
  } catch (error) {
    // The reason, not a stack: this runs inside `cdk synth`'s bundling output.
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
