import { canonicalQuery, specFromQuery } from '../../../lambdas/renditions/query';
import { DEFAULT_SETTINGS, parseDeploymentSettings, renditionLimitsOf } from '../../../lambdas/settings';
import { AppError } from '../../../lambdas/shared/errors';

/*
 * The two blocks of docs/renditions.md that show what library functions answer: each line's first column is the
 * input, the rest is made here from the code, at the column the doc lines its answers up at.
 */

/** The query of each line, and the column its answer starts at (at least two spaces after the longest query). */
function columns(lines: string[]): { queries: string[]; column: number } {
  const queries = lines.map((line) => line.split(/\s+/)[0] as string);
  const docColumn = /^\S+\s+/.exec(lines[0] ?? '')?.[0].length ?? 0;
  return { queries, column: Math.max(docColumn, ...queries.map((query) => query.length + 2)) };
}

/** The `known: ...` list of an unknown parameter, cut to its first nine names as the doc shows it. */
function cutKnown(message: string): string {
  return message.replace(
    /\(known: ([^)]*)\)/,
    (_all, names: string) => `(known: ${names.split(', ').slice(0, 9).join(', ')}, ...)`,
  );
}

/** `specFromQuery(<query>, renditionLimitsOf(settings), settings.renditionPresets)`: each query's error. */
export function specErrors(lines: string[]): string[] {
  const settings = parseDeploymentSettings({ watermarks: { logo: { image: 'assets/logo.png' } } });
  const { queries, column } = columns(lines);
  return queries.map((query) => {
    let answer: string;
    try {
      answer = `accepted: ${canonicalQuery(specFromQuery(query, renditionLimitsOf(settings), settings.renditionPresets))}`;
    } catch (error) {
      answer = error instanceof AppError ? `${error.statusCode} ${cutKnown(error.message)}` : String(error);
    }
    return `${query.padEnd(column)}${answer}`;
  });
}

/** `canonicalQuery(specFromQuery(<query>, ...))` with the default settings. */
export function canonicalForms(lines: string[]): string[] {
  const { queries, column } = columns(lines);
  return queries.map((query) => {
    const spec = specFromQuery(query, renditionLimitsOf(DEFAULT_SETTINGS), DEFAULT_SETTINGS.renditionPresets);
    return `${query.padEnd(column)}-> ${canonicalQuery(spec)}`;
  });
}
