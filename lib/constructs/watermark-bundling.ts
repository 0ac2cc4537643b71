import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { watermarkAssetPath } from '../../lambdas/renditions/functions/render-image/contract';
import type { DeploymentSettings } from '../../lambdas/settings';
import { sharpBundlingHooks } from '../../layers/sharp/build';
import { REPO_ROOT } from './node-function';

/**
 * After esbuild: copy each configured image watermark into the asset at `watermarkAssetPath` (where the handler
 * reads it), and with no sharp layer, install sharp into the asset too. Bundling the files, rather than uploading
 * them to the bucket, keeps them versioned with the function that reads them, needs no deployment custom resource
 * and no extra permission, and costs no S3 read per render; they are small.
 */
export function watermarkBundlingHooks(
  scope: Construct,
  watermarks: DeploymentSettings['watermarks'],
  withSharp: boolean,
): ICommandHooks | undefined {
  const images = Object.entries(watermarks).flatMap(([name, mark]) =>
    mark.image === undefined
      ? []
      : [{ name, source: path.join(REPO_ROOT, mark.image), target: watermarkAssetPath(name, mark.image) }],
  );
  // Here rather than at bundling, where a missing file would surface as a failed copy command.
  for (const { name, source } of images) {
    if (!existsSync(source)) throw new Error(`${scope.node.path}: watermarks.${name}: no file at ${source}`);
  }
  if (images.length === 0 && !withSharp) return undefined;
  const sharp = withSharp ? sharpBundlingHooks() : undefined;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      ...(sharp?.afterBundling(inputDir, outputDir) ?? []),
      ...images.map(({ source, target }) => copyCommand(source, path.join(outputDir, target))),
    ],
  };
}

/**
 * `hooks`, then, after bundling, a copy of each of `watermarks`' image files into the asset at `watermarkAssetPath`
 * (the processor's eager presets' watermarks: lib/constructs/bundled-data.ts).
 */
export function withWatermarks(
  scope: Construct,
  watermarks: DeploymentSettings['watermarks'],
  hooks: ICommandHooks | undefined,
): ICommandHooks {
  const copies = watermarkBundlingHooks(scope, watermarks, false);
  return {
    beforeBundling: (inputDir, outputDir) => hooks?.beforeBundling(inputDir, outputDir) ?? [],
    beforeInstall: (inputDir, outputDir) => hooks?.beforeInstall(inputDir, outputDir) ?? [],
    afterBundling: (inputDir, outputDir) => [
      ...(hooks?.afterBundling(inputDir, outputDir) ?? []),
      ...(copies?.afterBundling(inputDir, outputDir) ?? []),
    ],
  };
}

/** A copy that runs in NodejsFunction's bundling shell on any platform: node, with the paths as arguments. */
export function copyCommand(source: string, target: string): string {
  const script =
    "const fs=require('fs'),path=require('path');" +
    'fs.mkdirSync(path.dirname(process.argv[2]),{recursive:true});fs.copyFileSync(process.argv[1],process.argv[2])';
  return ['node', '-e', `"${script}"`, `"${source}"`, `"${target}"`].join(' ');
}

/**
 * `hooks`, then, after bundling, a copy of `source` into the asset at `assetPath`: how a function gets a data file
 * it reads beside its bundle (the places data, c2pa-rs's module, the trust anchors).
 */
export function withCopy(hooks: ICommandHooks | undefined, source: string, assetPath: string): ICommandHooks {
  return {
    beforeBundling: (inputDir, outputDir) => hooks?.beforeBundling(inputDir, outputDir) ?? [],
    beforeInstall: (inputDir, outputDir) => hooks?.beforeInstall(inputDir, outputDir) ?? [],
    afterBundling: (inputDir, outputDir) => [
      ...(hooks?.afterBundling(inputDir, outputDir) ?? []),
      copyCommand(source, path.join(outputDir, assetPath)),
    ],
  };
}
