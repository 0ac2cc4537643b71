import { blocksOf } from '../../docs/examples/blocks';
import { cutArrays } from '../../docs/examples/cuts';
import { cutPresignedQueries, normalise } from '../../docs/examples/normalise';

/** The docs examples check hides only what varies between runs: anything else that changes must fail it. */
describe('normalise', () => {
  it('hides ids, times, ports, signatures and durations', () => {
    const a =
      '{"imageId":"01M81708WMEJSWDDCKRMGNVSM9","at":"2026-11-22T08:47:13.300Z","url":"http://localhost:3222/01M81708WMEJSWDDCKRMGNVSM9?w=400&exp=1795363500&kid=initial&sig=yD8S4TJEoYO9zCkc9oelf2UX5os4G5kN_TsB2TimttQ","durationMs":8.9}';
    const b =
      '{"imageId":"01M84Z8KDK0AZBXSX10HXAJ2MG","at":"2026-11-23T21:02:00.001Z","url":"http://localhost:41000/01M84Z8KDK0AZBXSX10HXAJ2MG?w=400&exp=1795400000&kid=initial&sig=Ab_-cdefghijklmnopqrstuvwxyz0123456789ABCDE","durationMs":265.1}';
    expect(normalise(a)).toBe(normalise(b));
  });

  it('keeps every number, name and message that is not one of those', () => {
    expect(normalise('200 image/webp 15548')).not.toBe(normalise('200 image/webp 14664'));
    expect(normalise('{"size":[1280,800]}')).not.toBe(normalise('{"size":[1280,801]}'));
    expect(normalise('{"message":"image 01M81708WMEJSWDDCKRMGNVSM9 not found"}')).not.toBe(
      normalise('{"message":"no image 01M81708WMEJSWDDCKRMGNVSM9"}'),
    );
  });

  it('numbers ids by first appearance, so which lines share an id is still compared', () => {
    const same = '01M81708WMEJSWDDCKRMGNVSM9\n01M81708WMEJSWDDCKRMGNVSM9';
    const two = '01M81708WMEJSWDDCKRMGNVSM9\n01M84Z8KDK0AZBXSX10HXAJ2MG';
    expect(normalise(same)).toBe('<id1>\n<id1>');
    expect(normalise(two)).toBe('<id1>\n<id2>');
  });

  it('drops the backfill progress lines but keeps its last line', () => {
    const run = (processed: number) =>
      ` 24.7 s  SUCCEEDED: 21 listed, 21 queued, 14 processed\nbackfill finished in 31.2 s: 21 listed, ${processed} processed`;
    expect(normalise(run(20))).toBe('backfill finished in <t> s: 21 listed, 20 processed');
    expect(normalise(run(20))).not.toBe(normalise(run(19)));
  });
});

describe('the cuts', () => {
  it('cut a presigned query to ... and keep a download name', () => {
    expect(cutPresignedQueries('"http://127.0.0.1:1/b/k.webp?X-Amz-Algorithm=AWS4&X-Amz-Signature=ab"')).toBe(
      '"http://127.0.0.1:1/b/k.webp?..."',
    );
    expect(
      cutPresignedQueries(
        'http://h/b/k.jpg?X-Amz-Algorithm=A&response-content-disposition=attachment%3B&x-id=GetObject',
      ),
    ).toBe('http://h/b/k.jpg?...&response-content-disposition=attachment%3B&...');
  });

  it('cut arrays under the named keys to their first entries and a ... line', () => {
    const output = JSON.stringify(
      { palette: [{ hex: '#000' }, { hex: '#111' }, { hex: '#222' }], tags: ['a', 'b'] },
      null,
      2,
    );
    expect(cutArrays(output, { palette: 1 })).toBe(
      '{\n  "palette": [\n    {\n      "hex": "#000"\n    },\n    ...\n  ],\n  "tags": [\n    "a",\n    "b"\n  ]\n}',
    );
  });
});

describe('blocksOf', () => {
  it('reads a block: its id, the line of its comment, its commands and their output', () => {
    const markdown = 'text\n<!-- output of: the command [example one] -->\n```console\n$ echo a\na\n$ true\n```\n';
    const [block] = blocksOf('x.md', markdown);
    expect(block).toMatchObject({ id: 'one', line: 2, bodyStart: 3 });
    expect(block?.commands).toEqual([
      { text: 'echo a', output: ['a'] },
      { text: 'true', output: [] },
    ]);
  });

  it('refuses a comment without an id, naming the file and line', () => {
    expect(() => blocksOf('x.md', '\n<!-- output of: something -->\n```console\n```')).toThrow(
      /x\.md:2: .*no \[example ID\]/,
    );
  });
});
