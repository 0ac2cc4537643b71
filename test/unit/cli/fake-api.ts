import type { ImageApiClient } from '../../../lambdas/cli/api-client';

/**
 * A fake API for a command's unit tests: each call recorded in `calls`, answered by `answer`; `io` gives a command
 * the fake and collects what it prints in `out` and `err`.
 */
export function fakeApi(answer: (method: string, path: string, body?: unknown) => unknown) {
  const calls: [string, string, unknown][] = [];
  const client: Pick<ImageApiClient, 'call'> = {
    call: async (method, path, body) => {
      calls.push([method, path, body]);
      return answer(method, path, body);
    },
  };
  const out: string[] = [];
  const err: string[] = [];
  return { calls, out, err, io: { client, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}
