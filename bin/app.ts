#!/usr/bin/env node
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeploymentSettingsSchema, deprecatedSettings, parseDeploymentSettings } from '../lambdas/settings';
import { ImagePipelineStack } from '../lib/image-pipeline-stack';

// The deployment choices come from CDK context (`-c inference=offline` or cdk.json), parsed once, here.
const app = new App();
const context = Object.fromEntries(
  Object.keys(DeploymentSettingsSchema.shape)
    .map((key) => [key, app.node.tryGetContext(key)] as const)
    .filter(([, value]) => value !== undefined),
);
let settings: ReturnType<typeof parseDeploymentSettings>;
try {
  settings = parseDeploymentSettings(context);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const stack = new ImagePipelineStack(app, settings.stackName, { settings });
for (const message of deprecatedSettings(context)) {
  Annotations.of(stack).addWarningV2('image-intel:deprecated-setting', message);
}
// cdk-nag 3 is a policy-validation plugin: its findings fail the synth unless acknowledged per resource.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
