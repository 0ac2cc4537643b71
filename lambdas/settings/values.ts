import { z } from 'zod';

/*
 * How a setting's value is read, whatever its source: `-c key=value` on the command line arrives as a string,
 * cdk.json values arrive typed, a function's environment holds strings. Every concern's settings use these.
 */

/** A list: a JSON array from cdk.json, or comma-separated text from `-c`; `array` bounds it (its length). */
export const list = <T extends z.ZodType>(item: T, array = (items: z.ZodArray<T>) => items) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : value,
    array(z.array(item)),
  );
export const int = () => z.coerce.number().int();
/**
 * A switch: a boolean, or from `-c key=...` the text `true` or `false`. Any other text is refused rather than read as
 * false, so `-c webhooks=on` or `=yes` cannot turn a feature off unnoticed.
 */
export const flag = (byDefault = false) =>
  z
    .preprocess(
      (value) => (value === 'true' ? true : value === 'false' ? false : value),
      z.boolean({ error: 'must be true or false' }),
    )
    .default(byDefault);
/** A structured value: from cdk.json it arrives typed, from `-c key='[...]'` as JSON text. */
export const json = <T extends z.ZodType>(schema: T, example: string) =>
  z.preprocess((value, context) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', input: value, message: `must be JSON, such as ${example}` });
      return z.NEVER;
    }
  }, schema);
export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
/** Seconds a URL may stay usable: 1 s to 7 days (SigV4's limit). */
export const urlLifetime = () =>
  int()
    .min(1)
    .max(7 * 24 * 3600);

/** Every issue of a failed parse, each with the setting or variable it is about, in one line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
