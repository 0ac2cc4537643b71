import { startErrorMessage } from '../../../lambdas/local/start-errors';

describe('what npm start says when it cannot start', () => {
  it('names a busy port and what to do, in one line', () => {
    const busy = Object.assign(new Error('listen EADDRINUSE: address already in use :::3000'), { code: 'EADDRINUSE' });
    const line = startErrorMessage(busy, { port: 3000, verbose: false });
    expect(line).toBe(
      'could not start: port 3000 is in use; stop what listens there, or pass another ' +
        '(npm start -- --port N; 0 takes any free port)',
    );
  });

  it("gives a bad setting's message without a stack, and says how to get one", () => {
    const bad = new Error('invalid deployment settings: maxUploadBytes: expected number');
    const line = startErrorMessage(bad, { port: 3000, verbose: false });
    expect(line).toBe(
      'could not start: invalid deployment settings: maxUploadBytes: expected number (npm start -- --verbose for the stack)',
    );
    expect(line.split('\n')).toHaveLength(1);
  });

  it('gives the stack with --verbose', () => {
    const bad = new Error('invalid deployment settings');
    expect(startErrorMessage(bad, { port: 3000, verbose: true })).toBe(`could not start: ${bad.stack}`);
  });
});
