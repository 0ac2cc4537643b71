import { execFile } from 'node:child_process';
import path from 'node:path';

/*
 * The runner's command line before anything starts: `npm start -- --help`, and an option refused at parse time. Run
 * from the source (tsx), so it needs no build; neither starts an emulator.
 */

const ROOT = path.join(__dirname, '../../..');

function runner(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'lambdas/local/main.ts'), ...args],
      { env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("search by meaning's runner option", () => {
  it('is --meaning in the help, and its old name --embeddings is not', async () => {
    const { code, stdout } = await runner('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--meaning <bedrock|folder>');
    expect(stdout).not.toContain('--embeddings');
  });

  it('still takes --embeddings, saying it is deprecated, and refuses it beside a different --meaning, naming both', async () => {
    const { code, stderr } = await runner('--embeddings', 'bedrock', '--meaning', '/models/clip');
    expect(code).toBe(1);
    expect(stderr).toBe(
      '--embeddings is deprecated: use --meaning (same behaviour)\n' +
        'error: --embeddings bedrock and --meaning /models/clip disagree: give --meaning alone\n',
    );
  });
});
