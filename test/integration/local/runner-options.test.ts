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

describe('--host', () => {
  it('refuses to serve the network with --auth none, before anything starts', async () => {
    const { code, stderr } = await runner('--host', '0.0.0.0');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: --host 0.0.0.0 serves the network, and with --auth none anyone who reaches it reads, changes and ' +
        'deletes every image: add --auth apikey (or --auth jwt), or leave --host out to serve this machine only\n',
    );
  });

  it('refuses what is no address', async () => {
    const { code, stderr } = await runner('--host', 'example.com', '--auth', 'jwt');
    expect(code).toBe(1);
    expect(stderr).toBe('error: --host example.com: expected an IP address of this machine, 0.0.0.0 or 127.0.0.1\n');
  });
});

describe('the data folder options', () => {
  it('refuses --in-memory beside --data-dir', async () => {
    const { code, stderr } = await runner('--in-memory', '--data-dir', '/tmp/somewhere');
    expect(code).toBe(1);
    expect(stderr).toBe('error: --in-memory and --data-dir disagree: give one\n');
  });

  it('documents both in the help', async () => {
    const { stdout } = await runner('--help');
    expect(stdout).toContain('--data-dir <dir>');
    expect(stdout).toContain('--in-memory');
    expect(stdout).toContain('--host <address>');
  });
});
