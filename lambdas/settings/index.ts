import type { z } from 'zod';
import { ApiSettingsSchema, authProblems } from './api';
import { BackfillSettingsSchema, backfillProblems, ownedSources } from './backfill';
import { LockedSettingsSchema } from './locked';
import { MeaningSettingsSchema, meaningProblems, RENAMED_MEANING_SETTINGS } from './meaning';
import { ProcessingSettingsSchema, processingProblems } from './processing';
import { ProvenanceSettingsSchema } from './provenance';
import { RenditionSettingsSchema, renditionSettingsProblems, wafProblems } from './renditions';
import { StackSettingsSchema } from './stack';
import { TrashSettingsSchema } from './trash';
import { UploadSettingsSchema } from './uploads';
import { describeIssues } from './values';
import { deprecatedVisionSettings, VisionSettingsSchema } from './vision';
import { WebSettingsSchema, webAppProblems } from './web';
import { WebhookSettingsSchema } from './webhooks';

/**
 * Deployment choices, read from CDK context by `bin/app.ts` and handed to the functions as environment
 * variables. One schema, composed here from one module per concern, so the stack, the handlers and the local
 * runner agree on names and defaults. A module of this folder imports no function, store, search or rendition
 * code (the floors in .dependency-cruiser.cjs), so everything can read the settings.
 */

export const DeploymentSettingsSchema = StackSettingsSchema.extend({
  ...VisionSettingsSchema.shape,
  ...ApiSettingsSchema.shape,
  ...UploadSettingsSchema.shape,
  ...RenditionSettingsSchema.shape,
  ...ProcessingSettingsSchema.shape,
  ...ProvenanceSettingsSchema.shape,
  ...WebSettingsSchema.shape,
  ...BackfillSettingsSchema.shape,
  ...MeaningSettingsSchema.shape,
  ...WebhookSettingsSchema.shape,
  ...TrashSettingsSchema.shape,
  ...LockedSettingsSchema.shape,
});

export type DeploymentSettings = z.output<typeof DeploymentSettingsSchema>;

/** Every default in one place: what a deployment with no context gets, and what the CLI and the core assume. */
export const DEFAULT_SETTINGS: DeploymentSettings = DeploymentSettingsSchema.parse({});

/**
 * Settings given a new name, old name to new: a deployment's cdk.json or `-c` may still say the old one, which is read
 * as the new (`parseDeploymentSettings`) with a deprecation note (`deprecatedSettings`).
 */
export const RENAMED_SETTINGS: Readonly<Record<string, keyof DeploymentSettings>> = { ...RENAMED_MEANING_SETTINGS };

/** What the input says in a way that still works but should change, one sentence each (shown by `cdk synth`). */
export function deprecatedSettings(input: Record<string, unknown>): string[] {
  const renamed = Object.entries(RENAMED_SETTINGS)
    .filter(([old]) => input[old] !== undefined)
    .map(([old, current]) => `${old}=${input[old]} is deprecated: use ${current}=${input[old]} (same behaviour)`);
  return [...deprecatedVisionSettings(input), ...renamed];
}

/** The input with each old name read as its new one; both given and different is refused, naming both. */
function withCurrentNames(input: Record<string, unknown>): Record<string, unknown> {
  const current = { ...input };
  const conflicts: string[] = [];
  for (const [old, name] of Object.entries(RENAMED_SETTINGS)) {
    if (input[old] === undefined) continue;
    delete current[old];
    if (input[name] === undefined) current[name] = input[old];
    else if (String(input[name]) !== String(input[old])) {
      conflicts.push(
        `${old}=${input[old]} and ${name}=${input[name]} disagree: ${old} is the old name of ${name}; give ${name} alone`,
      );
    }
  }
  if (conflicts.length > 0) throw new Error(`invalid deployment settings: ${conflicts.join('; ')}`);
  return current;
}

/** Parse settings from any source (CDK context, environment), naming every bad key in one error. */
export function parseDeploymentSettings(given: Record<string, unknown>): DeploymentSettings {
  const input = withCurrentNames(given);
  const parsed = DeploymentSettingsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid deployment settings: ${describeIssues(parsed.error)}`);
  const problems = [
    ...processingProblems(parsed.data),
    ...authProblems(input, parsed.data),
    ...webAppProblems(parsed.data),
    ...renditionSettingsProblems(parsed.data),
    ...wafProblems(parsed.data),
    ...backfillProblems(parsed.data),
    ...meaningProblems(parsed.data),
  ];
  if (problems.length > 0) throw new Error(`invalid deployment settings: ${problems.join('; ')}`);
  return { ...parsed.data, sourceBuckets: ownedSources(parsed.data.sourceBuckets, parsed.data.auth) };
}

export * from './api';
export * from './backfill';
export * from './meaning';
export * from './processing';
export * from './provenance';
export * from './renditions';
export * from './stack';
export * from './trash';
export * from './uploads';
export { describeIssues } from './values';
export * from './vision';
export * from './web';
export * from './webhooks';
