import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type DeploymentSettings, deprecatedSettings, parseDeploymentSettings } from '../settings';

/**
 * The settings `cdk deploy` would use: cdk.json's context and any `-c` overrides, parsed by the same schema. What
 * `cdk synth` would warn of (a deprecated name) goes to `note`, one sentence a call.
 */
export function readSettings(
  projectDir: string,
  overrides: Record<string, string> = {},
  note: (line: string) => void = () => {},
): DeploymentSettings {
  const file = path.join(projectDir, 'cdk.json');
  const context = existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: object }).context ?? {})
    : {};
  const input = { ...context, ...overrides } as Record<string, unknown>;
  const settings = parseDeploymentSettings(input);
  for (const line of deprecatedSettings(input)) note(line);
  return settings;
}
