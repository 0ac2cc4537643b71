import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INGEST_QUEUE_DESIGN } from '../ingest/functions/processor/contract';
import { type DeploymentSettings, parseDeploymentSettings } from '../settings';

/** The settings `cdk deploy` would use: cdk.json's context and any `-c` overrides, parsed by the same schema. */
export function readSettings(projectDir: string, overrides: Record<string, string> = {}): DeploymentSettings {
  const file = path.join(projectDir, 'cdk.json');
  const context = existsSync(file)
    ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: object }).context ?? {})
    : {};
  return parseDeploymentSettings({ ...context, ...overrides } as Record<string, unknown>);
}

/**
 * The ingest queue's visibility timeout as the stack sets it (ingest-queue.ts): a message is never delivered again
 * while a batch that holds it may still run.
 */
export function ingestVisibilityTimeout(settings: DeploymentSettings): number {
  return (
    INGEST_QUEUE_DESIGN.visibilityTimeoutFactor * settings.processorTimeoutSeconds +
    settings.processorBatchWindowSeconds
  );
}
