import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TemplateJson } from './synth';

/**
 * The flattened templates of the synths already made, on disk, shared by every test file and jest worker: about a
 * hundred of the infra tests' synths are of a context another file synthesized too (the default, `inference=none`,
 * each auth mode...), and a file that reads only the template needs no synth at all then.
 *
 * A template is stored under a key of its context and of everything a synth reads: the stack's code (lib/, and
 * lambdas/, whose manifest, settings and vision folder go into it), the layers, the web fixture, cdk.json, the
 * locked packages (aws-cdk-lib's version) and these helpers. Any change to those makes new keys, so a stale template
 * is never read; the old ones are left for `rm -rf node_modules/.cache`.
 */
const REPO_ROOT = path.resolve(__dirname, '../../..');
const STORE = path.join(REPO_ROOT, 'node_modules/.cache/image-intel/synth-templates');
const INPUT_FOLDERS = ['lib', 'lambdas', 'layers', 'bin', 'test/infra/support', 'test/infra/fixtures/web-dist'];
const INPUT_FILES = ['cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

let sources: string | undefined;
/** A digest of every input file's path and bytes (about 700 files, 30 MB: a few tenths of a second, once a file). */
function sourcesDigest(): string {
  if (sources) return sources;
  const hash = createHash('sha256');
  const files = INPUT_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(REPO_ROOT, folder), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && !entry.parentPath.includes(`${path.sep}node_modules`))
      .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name))),
  );
  for (const file of [...files.sort(), ...INPUT_FILES]) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(REPO_ROOT, file)))
      .update('\0');
  }
  sources = hash.digest('hex');
  return sources;
}

function fileOf(context: Record<string, unknown>): string {
  const key = createHash('sha256')
    .update(sourcesDigest())
    // The infra project's setup sets it (cdk-context.js); other projects' files synthesize without it.
    .update(process.env.CDK_CONTEXT_JSON ?? '')
    .update(JSON.stringify(context))
    .digest('hex');
  return path.join(STORE, `${key}.json`);
}

/** The template stored for this context, or undefined if no file has synthesized it from these sources yet. */
export function storedTemplate(context: Record<string, unknown>): TemplateJson | undefined {
  try {
    return JSON.parse(readFileSync(fileOf(context), 'utf8')) as TemplateJson;
  } catch {
    return undefined;
  }
}

/** Store a template just synthesized for this context (written aside and renamed: a reader sees all of it or none). */
export function storeTemplate(context: Record<string, unknown>, json: TemplateJson): void {
  const file = fileOf(context);
  mkdirSync(STORE, { recursive: true });
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(json));
  renameSync(partial, file);
}
