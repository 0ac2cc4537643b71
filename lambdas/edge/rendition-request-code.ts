import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The viewer-request function's source, as it sits in the repository. */
export const RENDITION_REQUEST_FILE = path.join(__dirname, 'rendition-request.js');

/** Formats the edge may pick for `format=auto` from the Accept header, best first; anything else is the fallback. */
const NEGOTIABLE = ['avif', 'webp'] as const;

export interface RenditionRequestOptions {
  /** The URL grammar's parameter names in canonical order (`RENDITION_QUERY_NAMES`); the edge admits only these. */
  readonly queryNames: readonly string[];
  /** The formats a rendition may have (`renditionFormats`): AVIF and WebP are negotiated only if listed here. */
  readonly formats: readonly string[];
  /**
   * The files public presets are served at (`publicRenditionFiles`); the edge lets no other public path through.
   * @default - none: every public path is a 404
   */
  readonly publicFiles?: readonly string[];
}

/**
 * The function's code with this deployment's lists written in: one list of names for the edge, the cache key and
 * the parser, one list of formats for the edge and the origin, one of public presets' files. Throws if a name could not be a query name, or if the
 * file lost a statement the lists go into, rather than deploy a function that admits stale lists.
 */
export function renditionRequestCode(options: RenditionRequestOptions, file = RENDITION_REQUEST_FILE): string {
  const { queryNames } = options;
  const invalid = queryNames.filter((name) => !/^[a-z][a-z0-9]*$/.test(name));
  if (queryNames.length === 0 || invalid.length > 0) {
    throw new Error(`rendition query names must be lower-case words, got ${JSON.stringify(invalid)}`);
  }
  const publicFiles = options.publicFiles ?? [];
  const badFile = publicFiles.find((name) => !/^[a-z][a-z0-9-]*\.[a-z]+$/.test(name));
  if (badFile !== undefined) throw new Error(`public rendition files must be <preset>.<ext>, got ${badFile}`);
  const negotiable = NEGOTIABLE.filter((format) => options.formats.includes(format));
  let source = withoutCommentLines(readFileSync(file, 'utf8'));
  source = replaceList(source, 'SPEC_NAMES', queryNames, file);
  source = replaceList(source, 'PUBLIC_FILES', publicFiles, file);
  return replaceList(source, 'NEGOTIABLE_FORMATS', negotiable, file);
}

/**
 * The source without its whole-line comments (`//` lines and the lines of `/** ... *\/` blocks): CloudFront
 * Functions take at most 10 KB of code, and the comments, half the file, are for its readers in the repository.
 */
function withoutCommentLines(source: string): string {
  return source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*\*|\*)/.test(line))
    .join('\n');
}

/** `const NAME = [...];` (over one or more lines) with `values` in place of the list. */
function replaceList(source: string, name: string, values: readonly string[], file: string): string {
  const statement = new RegExp(`^const ${name} = \\[[^\\]]*\\];$`, 'm');
  if (!statement.test(source))
    throw new Error(`${file} has no "const ${name} = [...];" statement for the list to replace`);
  return source.replace(statement, `const ${name} = ${JSON.stringify(values)};`);
}

/** The event CloudFront Functions passes a viewer-request function, as much of it as this function reads. */
export interface ViewerRequestEvent {
  readonly request: {
    uri: string;
    querystring: Record<string, { value: string; multiValue?: { value: string }[] }> | string;
    /** The query as the viewer wrote it, without `?` (a helper method of runtime 2.0; '' in the console's tests). */
    rawQueryString?: () => string | undefined;
    headers: Record<string, { value: string; multiValue?: { value: string }[] }>;
  };
}

/** What a viewer-request function returns: the request to go on with, or a response from the edge. */
export type ViewerRequestResult =
  | ViewerRequestEvent['request']
  | {
      statusCode: number;
      statusDescription: string;
      headers: Record<string, { value: string }>;
      body: { encoding: 'text'; data: string };
    };

/**
 * Run `code` as CloudFront would: a script in a context of its own whose global `handler` is called with the event.
 * `now` fixes the context's clock, for expiry checks. For the unit tests and the local runner, which can put the
 * same function in front of the render function as the distribution does.
 */
export function loadViewerRequestFunction(
  code: string,
  now: () => number = Date.now,
): (event: ViewerRequestEvent) => ViewerRequestResult {
  const context = vm.createContext({ __now: now });
  vm.runInContext('Date.now = () => __now();', context);
  vm.runInContext(code, context, { filename: RENDITION_REQUEST_FILE });
  const handler = vm.runInContext('handler', context) as unknown;
  if (typeof handler !== 'function') throw new Error('the viewer-request code defines no handler function');
  return handler as (event: ViewerRequestEvent) => ViewerRequestResult;
}
