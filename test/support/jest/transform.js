const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const tsJest = require('ts-jest').default;

/**
 * ts-jest, its output shared by every jest project. Jest keeps a transform cache per project (its directory is named
 * by the project's config), so on a fresh clone each of the nine projects compiled the same lambdas/ files again:
 * about 7,000 compilations where there are 1,500 files. This keeps one more cache beside jest's, keyed by what the
 * output depends on (ts-jest's options and version, TypeScript's version, tsconfig.json, the file's path and text),
 * so the first project to compile a file compiles it for all. `--no-cache` bypasses it as it does jest's own.
 */

const ROOT = path.join(__dirname, '../../..');
const sha1 = (...parts) => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
};
const version = (name) => require(`${name}/package.json`).version;

function createTransformer(options) {
  const inner = tsJest.createTransformer(options);
  const salt = sha1(
    JSON.stringify(options ?? {}),
    version('ts-jest'),
    version('typescript'),
    readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'),
    // This file's own text: what it does to a source before ts-jest (withoutImportMeta) is part of the output.
    readFileSync(__filename, 'utf8'),
  );
  const keyOf = (source, file, { instrument = false, supportsStaticESM = false }) =>
    sha1(salt, file, source, String(instrument), String(supportsStaticESM));

  return {
    canInstrument: false,
    getCacheKey: keyOf,
    process(original, file, transformOptions) {
      const source = withoutImportMeta(original, file);
      const { cache, cacheDirectory } = transformOptions.config;
      if (!cache) return inner.process(source, file, transformOptions);
      const dir = path.join(cacheDirectory, 'image-intel-shared-transform');
      const stored = path.join(dir, `${keyOf(source, file, transformOptions)}.json`);
      try {
        return JSON.parse(readFileSync(stored, 'utf8'));
      } catch {
        // Not compiled yet (or half-written by a worker that died): compile it.
      }
      const result = inner.process(source, file, transformOptions);
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed, so another worker reads the whole of it or nothing.
      const partial = `${stored}.${process.pid}`;
      writeFileSync(partial, JSON.stringify(typeof result === 'string' ? { code: result } : result));
      renameSync(partial, stored);
      return result;
    },
  };
}

/**
 * @jsquash/jxl's Emscripten glue is ESM and reads `import.meta.url` (where its WASM would be fetched from: the core
 * gives it the module, lambdas/core/analysis/jxl.ts): CommonJS has no `import.meta`, so the file's own URL stands in.
 */
function withoutImportMeta(source, file) {
  if (!file.includes(`${path.sep}@jsquash${path.sep}`)) return source;
  return source.replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");
}

module.exports = { createTransformer };
