import { FileCounter, FormError, FormHeadReader, formBoundary } from '../../../lambdas/local/s3-form';

const BOUNDARY = '----form7MA4YWxk';
const part = (name: string, value: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const FILE = Buffer.from([0x0d, 0x0a, 0x2d, 0x2d, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const body = Buffer.concat([
  Buffer.from(
    part('key', 'uploads/a.jpg') +
      part('Policy', 'eyJ4IjoxfQ==') +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  ),
  FILE,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);

/** The body in pieces of `size` bytes, as a slow network would deliver it. */
const pieces = (size: number) =>
  Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));

describe('formBoundary', () => {
  it("reads a form's boundary, quoted or not, and nothing from another type", () => {
    expect(formBoundary(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(formBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(formBoundary('application/x-www-form-urlencoded')).toBeUndefined();
    expect(formBoundary(undefined)).toBeUndefined();
  });
});

describe('FormHeadReader and FileCounter', () => {
  it.each([1, 7, 64, body.length])('read the fields and count the file exactly in pieces of %i bytes', (size) => {
    const reader = new FormHeadReader(BOUNDARY);
    const counter = new FileCounter(BOUNDARY);
    let head: ReturnType<FormHeadReader['push']>;
    for (const piece of pieces(size)) {
      if (head) counter.push(piece);
      else {
        head = reader.push(piece);
        if (head) counter.push(head.bytes.subarray(head.fileStart));
      }
    }
    expect(head?.fields).toEqual({ key: 'uploads/a.jpg', Policy: 'eyJ4IjoxfQ==' });
    expect(counter.size).toBe(FILE.length);
  });

  it('counts what the file surely has before its end is seen', () => {
    const counter = new FileCounter(BOUNDARY);
    counter.push(Buffer.alloc(100, 1));
    expect(counter.size).toBeUndefined();
    expect(counter.atLeast).toBe(100 - (BOUNDARY.length + 4 - 1));
  });

  it('refuses a form that ends with no file part', () => {
    const reader = new FormHeadReader(BOUNDARY);
    expect(() => reader.push(Buffer.from(`${part('key', 'k')}--${BOUNDARY}--\r\n`))).toThrow(FormError);
  });

  it('refuses a form whose fields go on past what any form needs', () => {
    const reader = new FormHeadReader(BOUNDARY);
    expect(() => reader.push(Buffer.from(part('x-ignore-pad', 'a'.repeat(70_000))))).toThrow(
      /no file part in the form's first 65536 bytes/,
    );
  });
});
