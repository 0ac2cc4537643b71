/*
 * What may differ between two honest runs of one example, and only that. Both the doc's block and the fresh output
 * go through `normalise` before they are compared, so a changed message, field, count, size or order still fails.
 */

const ULID = /\b[0-9A-HJKMNP-TV-Z]{26}\b/g;

/** Replacements that hide what each run makes anew: times, ports, signatures, durations, generated names. */
const VARYING: Array<[RegExp, string]> = [
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>'],
  // `aws s3 ls` dates, in the machine's time zone.
  [/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/gm, '<time>'],
  [/\b\d{8}T\d{6}Z\b/g, '<amz-date>'],
  // Event ids (`eventId`, `webhook-id`) begin with the event's time.
  [/\bmsg_\d{8}T\d{9}Z_[0-9a-f]{20}\b/g, '<event-id>'],
  [/\/\d{8}\/us-east-1\//g, '/<date>/us-east-1/'],
  [/localhost:\d+/g, 'localhost:<port>'],
  [/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>'],
  [/--port \d+/g, '--port <port>'],
  [/\(pid \d+\)/g, '(pid <pid>)'],
  // The moto CI gets is whatever PyPI has then: the runner installs it when python3 lacks it.
  [/moto server \d+(\.\d+)*/g, 'moto server <version>'],
  [/("Policy": ?)"[^"]*"/g, '$1"<policy>"'],
  [/("X-Amz-Signature": ?)"[^"]*"/g, '$1"<signature>"'],
  [/([?&])exp=\d+/g, '$1exp=<exp>'],
  [/([?&])sig=[A-Za-z0-9_-]+/g, '$1sig=<sig>'],
  [/("cursor": ?)"[^"]*"/g, '$1"<cursor>"'],
  [/("durationMs": ?)\d+(\.\d+)?/g, '$1<ms>'],
  // Timings in seconds, with the padding their width takes (the smoke's and the backfill's columns).
  [/ +\d+\.\d s\b/g, ' <t> s'],
  // The smoke's probe: a random image, rule, queue and label per run.
  [/image-intel-smoke-[0-9a-f]{8}/g, 'image-intel-smoke-<run>'],
  [/\bsmoke[0-9a-f]{10}\b/g, 'smoke<run>'],
  [/a PNG of \d+ bytes/g, 'a PNG of <n> bytes'],
  [/(card: 200 image\/webp,) \d+ bytes/g, '$1 <n> bytes'],
];

/**
 * The backfill's progress lines come as often as the processor's pace allows, so they are not compared; its last
 * line, `backfill finished in ...`, has every count.
 */
const PROGRESS = /^ *(<t> s|\d+\.\d s) {2}[A-Z_]+: \d+ listed/;

/**
 * A block's text with what varies between runs replaced by placeholders. Image ids become `<id1>`, `<id2>`... in
 * order of first appearance, so which lines share an id is still compared.
 */
export function normalise(text: string): string {
  let result = text;
  for (const [pattern, replacement] of VARYING) result = result.replace(pattern, replacement);
  const ids = new Map<string, string>();
  result = result.replace(ULID, (id) => {
    if (!ids.has(id)) ids.set(id, `<id${ids.size + 1}>`);
    return ids.get(id) as string;
  });
  return result
    .split('\n')
    .filter((line) => !PROGRESS.test(line))
    .join('\n');
}

/** The image ids of a text, in order (to carry a doc's ids over to the ones a fresh run made). */
export function idsOf(text: string): string[] {
  return text.match(ULID) ?? [];
}

/**
 * The cut every example applies to presigned S3 URLs: the query string is `...`, but for
 * `response-content-disposition`, which is what a download URL is about.
 */
export function cutPresignedQueries(text: string): string {
  return text.replace(
    /(https?:\/\/[^\s"?]+)\?([^\s"]*X-Amz-Algorithm[^\s"]*)/g,
    (_url, base: string, query: string) => {
      const disposition = /response-content-disposition=[^&\s"]*/.exec(query)?.[0];
      return disposition ? `${base}?...&${disposition}&...` : `${base}?...`;
    },
  );
}
