import { s3Api } from '../../test/resilience/support/fault-proxy';
import { coveredMs } from './measure';

describe('counting calls for the capacity model', () => {
  it('names S3 calls by method, path and query (path style)', () => {
    const call = (method: string, url: string, headers: Record<string, string> = {}) => s3Api({ method, url, headers });
    expect(call('POST', '/images', { 'content-type': 'multipart/form-data; boundary=x' })).toBe('PostObject');
    expect(call('PUT', '/images/thumbnails/01J/128.webp?x-id=PutObject')).toBe('PutObject');
    expect(call('GET', '/images/uploads/01J.jpg?x-id=GetObject')).toBe('GetObject');
    expect(call('GET', '/images/uploads/01J.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab')).toBe(
      'GetObject',
    );
    expect(call('PUT', '/images/copy.jpg', { 'x-amz-copy-source': '/images/a.jpg' })).toBe('CopyObject');
    expect(call('GET', '/images?list-type=2')).toBe('ListObjects');
    expect(call('PUT', '/images?notification')).toBe('PUT ?notification');
    expect(call('POST', '/images?delete')).toBe('DeleteObjects');
  });

  it('counts the time covered by overlapping calls once', () => {
    expect(
      coveredMs([
        { startedAt: 0, endedAt: 10 },
        { startedAt: 5, endedAt: 15 },
        { startedAt: 20, endedAt: 25 },
        { startedAt: 21, endedAt: 22 },
      ]),
    ).toBe(20);
    expect(coveredMs([])).toBe(0);
  });
});
