import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * What the runner itself makes at random and a library must keep to go on working after a restart: the API key it
 * chose for `--auth apikey` (callers keep using it), and the key pair it signs `--auth jwt` tokens with (tokens it
 * issued stay valid until they expire). Everything else (the rendition signing secret, share links, webhook secrets)
 * lives in the emulator and is kept with it (moto-snapshots.ts). Kept in `<data folder>/runner-secrets.json`,
 * readable by its owner only.
 */
const RunnerSecretsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  /** The jwt signing key pair, as a private JWK (it holds the public half). */
  jwtPrivateKey: z.record(z.string(), z.unknown()).optional(),
});
export type RunnerSecrets = z.infer<typeof RunnerSecretsSchema>;

const FILE = 'runner-secrets.json';

/** The folder's secrets ({} when there are none yet); a file that is not ours stops the runner, naming it. */
export function readRunnerSecrets(dir: string): RunnerSecrets {
  const file = path.join(dir, FILE);
  if (!existsSync(file)) return {};
  const parsed = RunnerSecretsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not the runner's secrets file: ${parsed.error.message}`);
  return parsed.data;
}

/** Add to the folder's secrets, whole or not at all (a kill mid-write leaves the previous file). */
export function saveRunnerSecrets(dir: string, secrets: RunnerSecrets): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, FILE);
  writeFileSync(`${file}.partial`, JSON.stringify({ ...readRunnerSecrets(dir), ...secrets }, null, 2), {
    mode: 0o600,
  });
  renameSync(`${file}.partial`, file);
}

/** `--auth apikey` without a key: the folder's, or a new random one kept there. */
export function keptApiKey(dir: string | undefined): string {
  const kept = dir ? readRunnerSecrets(dir).apiKey : undefined;
  if (kept) return kept;
  const key = randomBytes(16).toString('hex');
  if (dir) saveRunnerSecrets(dir, { apiKey: key });
  return key;
}
