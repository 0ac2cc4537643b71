#!/usr/bin/env node
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  DeploymentSettingsSchema,
  deprecatedSettings,
  parseDeploymentSettings,
  RENAMED_SETTINGS,
} from '../lambdas/settings';
import { createStacks, type ImageIntelStacks } from '../lib/image-intel-app';

// The deployment choices come from CDK context (`-c inference=offline` or cdk.json), parsed once, here; a setting's
// old name (RENAMED_SETTINGS) is read too, as its new one.
const app = new App();
const context = Object.fromEntries(
  [...Object.keys(DeploymentSettingsSchema.shape), ...Object.keys(RENAMED_SETTINGS)]
    .map((key) => [key, app.node.tryGetContext(key)] as const)
    .filter(([, value]) => value !== undefined),
);
let stacks: ImageIntelStacks;
try {
  const settings = parseDeploymentSettings(context);
  // The CLI's account and Region: the pipeline deploys where it did when it named no environment.
  stacks = createStacks(app, settings, {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

for (const message of deprecatedSettings(context)) {
  Annotations.of(stacks.pipeline).addWarningV2('image-intel:deprecated-setting', message);
}
// cdk-nag 3 is a policy-validation plugin: its findings fail the synth unless acknowledged per resource.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
