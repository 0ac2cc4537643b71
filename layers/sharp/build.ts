import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';

/**
 * The sharp layer: `nodejs/node_modules/sharp` with the prebuilt libvips binaries for Lambda's arm64 (Graviton)
 * Linux, glibc (Amazon Linux 2023), installed by npm at synth time on whatever machine runs `cdk synth`, without
 * docker. npm's `--os/--cpu/--libc` pick sharp's optional `@img/*` packages for the target, not the host.
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

/** Throws unless `<layerDir>/nodejs/node_modules` holds exactly sharp `version` and the linux-arm64 binaries. */
export function verifySharpLayer(layerDir: string, version: string): void {
  const modules = path.join(layerDir, 'nodejs', 'node_modules');
  const sharpPackage = path.join(modules, 'sharp', 'package.json');
  if (!existsSync(sharpPackage)) throw new Error(`sharp layer: ${sharpPackage} is missing`);
  const installed = (JSON.parse(readFileSync(sharpPackage, 'utf8')) as { version: string }).version;
  if (installed !== version) throw new Error(`sharp layer: installed sharp ${installed}, expected ${version}`);
  const missing = REQUIRED_PLATFORM_PACKAGES.filter((name) => !existsSync(path.join(modules, name, 'package.json')));
  if (missing.length > 0) throw new Error(`sharp layer: missing ${missing.join(', ')} (npm ignored --cpu/--os?)`);
  const imgDir = path.join(modules, '@img');
  const foreign = readdirSync(imgDir)
    .map((name) => `@img/${name}`)
    .filter((name) => name.startsWith('@img/sharp-'))
    .filter((name) => !(REQUIRED_PLATFORM_PACKAGES as readonly string[]).includes(name));
  if (foreign.length > 0) throw new Error(`sharp layer: binaries for another platform: ${foreign.join(', ')}`);
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

/** `npx tsx layers/sharp/build.ts <dir>`: build the layer into a directory to look at it. */
if (require.main === module) {
  const outputDir = path.resolve(process.argv[2] ?? 'sharp-layer');
  const version = lockedSharpVersion();
  if (!new LocalNpmInstall(version).tryBundle(outputDir)) throw new Error('npm is not on the PATH');
  console.log(`sharp ${version} for linux-arm64 (glibc) in ${path.join(outputDir, 'nodejs')}`);
}
