import { TagsRequestSchema } from '../../../../../lambdas/store/upload-metadata';
import { splitTags, tagsProblem } from '../../../../../web/src/pages/upload/tags';

/** What `POST /uploads` makes of the same tags: its message, or undefined when it takes them. */
const apiProblem = (tags: string[]) => {
  const parsed = TagsRequestSchema.safeParse(tags);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
};

describe('the upload page tags', () => {
  it('splits at commas, trims, and leaves out empty pieces and repeats', () => {
    expect(splitTags(' holiday, beach ,holiday,, ')).toEqual(['holiday', 'beach']);
    expect(splitTags('')).toEqual([]);
    expect(splitTags('Sea, sea')).toEqual(['Sea', 'sea']);
  });

  it('takes what the API takes: 20 tags of 64 characters, emoji counted as one character each', () => {
    const tags = Array.from({ length: 20 }, (_, index) => `${String(index).padStart(3, '0')}${'é'.repeat(60)}🙂`);
    const astral = '🙂'.repeat(64);
    for (const sent of [tags, [astral], ['kite', 'sky']]) {
      expect({ sent, here: tagsProblem(sent), api: apiProblem(sent) }).toEqual({
        sent,
        here: undefined,
        api: undefined,
      });
    }
  });

  it('refuses what the API refuses, naming the problem', () => {
    const cases: Array<[string[], RegExp]> = [
      [Array.from({ length: 21 }, (_, index) => `t${index}`), /^At most 20 tags: there are 21\.$/],
      [['sky', 'a'.repeat(65)], /^The tag “a{24}…” is too long: 65 characters, the most is 64\.$/],
      [['🙂'.repeat(65)], /too long: 65 characters/],
      [['tab\there'], /has a control character/],
      [['\ud800x'], /is not valid Unicode/],
    ];
    for (const [sent, message] of cases) {
      expect(apiProblem(sent)).toBeDefined();
      expect(tagsProblem(sent)).toMatch(message);
    }
  });
});
