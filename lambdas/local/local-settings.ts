import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type DeploymentSettings, parseDeploymentSettings } from '../settings';

/** The settings `cdk deploy` would use: cdk.json's context and any `-c` overrides, parsed by the same schema. */
export function readSettings(projectDir: string, overrides: Record<string, string> = {}): DeploymentSettings {
  const file = path.join(projectDir, 'cdk.json');
  const context = existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: object }).context ?? {})
    : {};
  return parseDeploymentSettings({ ...context, ...overrides } as Record<string, unknown>);
}
