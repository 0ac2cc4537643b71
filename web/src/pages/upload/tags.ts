import type { UPLOAD_METADATA_LIMITS } from '../../../../lambdas/store/upload-metadata';

/*
 * The tags typed on the upload page, checked as `POST /uploads` checks them (docs/api.md, "Tags and metadata"), so a
 * bad one is said here, before anything is sent. The limits are the API's: typed as its constants, so a change
 * there that is not made here fails `tsc -p web`.
 */

const MAX_TAGS: (typeof UPLOAD_METADATA_LIMITS)['maxTags'] = 20;
const MAX_TAG_CHARS: (typeof UPLOAD_METADATA_LIMITS)['maxTagChars'] = 64;
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

export const TAG_LIMITS = { maxTags: MAX_TAGS, maxTagChars: MAX_TAG_CHARS } as const;

/** The tags of a comma-separated text: trimmed, empty pieces and repeats left out (the API drops repeats too). */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/** What is wrong with these tags, in a sentence, or undefined when the API will take them. */
export function tagsProblem(tags: readonly string[]): string | undefined {
  if (tags.length > MAX_TAGS) return `At most ${MAX_TAGS} tags: there are ${tags.length}.`;
  for (const tag of tags) {
    const chars = [...tag].length;
    const shown = chars > 24 ? `${[...tag].slice(0, 24).join('')}…` : tag;
    if (chars > MAX_TAG_CHARS) {
      return `The tag “${shown}” is too long: ${chars} characters, the most is ${MAX_TAG_CHARS}.`;
    }
    if (CONTROL.test(tag)) return `The tag “${shown}” has a control character.`;
    if (LONE_SURROGATE.test(tag)) return `The tag “${shown}” is not valid Unicode.`;
  }
  return undefined;
}
