/**
 * How esbuild bundles every function's code for Lambda, the zip functions' (lib/constructs/function-bundles.ts) and
 * the inference image's (lambdas/vision/functions/vision/bundle.ts): one file of CommonJS for Node 22, minified,
 * with a source map whose sources are named, not copied (`NODE_OPTIONS=--enable-source-maps` maps stack traces).
 */
export const LAMBDA_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
} as const;
