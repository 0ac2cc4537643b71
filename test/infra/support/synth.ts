import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import type { NodeFunction } from '../../../lib/constructs/node-function';
import { ImagePipelineStack } from '../../../lib/image-pipeline-stack';
import { flattenedTemplate } from './flatten';
import { storedTemplate, storeTemplate } from './stored-templates';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A tiny stand-in for `web/dist`, so the infra tests need no app build: a page, a hashed asset, a public file. */
export const WEB_FIXTURE = path.join(__dirname, '../fixtures/web-dist');

/** The feature flags `cdk synth` runs with, so the tests see the template a deployment would. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * Where this test file's apps write their assemblies. An App given no `outdir` makes its own `cdk.out*` under the
 * system's temporary directory and never removes it: at about 22 MB a synth, a few CI runs filled the disk.
 */
const OUTDIRS = mkdtempSync(path.join(tmpdir(), 'image-intel-synth-'));
const removeOutdirs = () => rmSync(OUTDIRS, { recursive: true, force: true });
// A test file removes them after its last test; the e2e teardown, which is no test file, when it exits.
if (typeof afterAll === 'function') afterAll(removeOutdirs);
else process.once('exit', removeOutdirs);

/**
 * An app like `bin/app.ts` makes, with asset bundling (esbuild, npm) and aws-cdk-lib's built-in CloudFormation
 * validation skipped. That validation starts a WebAssembly rule engine in each test file (about 1.2 s) and checks
 * each template (about 0.3 s): a quarter of a synth here, for a report these assertions never read. The two real
 * synths (`cdk synth` and bin/app.ts, test/integration/infra/) keep it and assert that its report is empty.
 */
export function testApp(): App {
  return new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    outdir: mkdtempSync(path.join(OUTDIRS, 'cdk.out-')),
    builtinCloudFormationValidation: false,
    // tree.json, the construct tree for the console and `cdk` tools: no assertion reads it, and writing it was
    // about a tenth of a synth here.
    treeMetadata: false,
  });
}

/**
 * A synth of the stack for some context, made as far as a test reads it. `json` and `template` come from a file
 * stored by an earlier synth of the same context and sources (stored-templates.ts) where there is one; `stack` is
 * the construct tree (the logical ids, the constructs' own properties), built when first read; `app` is that stack's
 * app, synthesized, as cdk-nag and the staged assets need it.
 */
export interface Synthesized {
  readonly app: App;
  readonly stack: ImagePipelineStack;
  readonly template: Template;
  /** The template as plain JSON: the root's, the rooms' nested stacks flattened into it (flatten.ts). */
  readonly json: TemplateJson;
}

export interface TemplateJson {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  Outputs?: Record<string, unknown>;
}

const cache = new Map<string, Synthesized>();

/** The stack for these context values (as `-c key=value` would give them), made once per test file. */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const key = JSON.stringify(context);
  const cached = cache.get(key);
  if (cached) return cached;
  // Now, not when first read: a context the settings refuse fails the call, as a synth fails at once.
  const settings = parseDeploymentSettings(context);
  let built: { app: App; stack: ImagePipelineStack; synthesized: boolean } | undefined;
  let json: TemplateJson | undefined;
  let template: Template | undefined;
  const build = () => {
    if (!built) {
      const app = testApp();
      const stack = new ImagePipelineStack(app, 'Test', {
        settings,
        webAppDirectory: WEB_FIXTURE,
      });
      built = { app, stack, synthesized: false };
      // Synthesized now if the template is not stored, before a test can change the stack: the template is the
      // stack's as it was made, as every file sees it.
      json ??= storedTemplate(context);
      if (!json) {
        json = flattenedTemplate(stack);
        built.synthesized = true;
        storeTemplate(context, json);
      }
    }
    return built;
  };
  const result: Synthesized = {
    get app() {
      const made = build();
      if (!made.synthesized) {
        made.app.synth();
        made.synthesized = true;
      }
      return made.app;
    },
    get stack() {
      return build().stack;
    },
    get json() {
      json ??= storedTemplate(context);
      if (!json) build();
      return json as TemplateJson;
    },
    get template() {
      template ??= Template.fromJSON(result.json);
      return template;
    },
  };
  cache.set(key, result);
  return result;
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId) as string;
}

export const INFERENCE_MODES = ['rekognition', 'offline', 'none'] as const;
export const AUTH_MODES = ['cognito', 'apikey', 'none'] as const;

/** A function's environment variables in the template. */
export function environmentOf(s: Synthesized, fn: IConstruct): Record<string, unknown> {
  const environment = s.json.Resources[logicalIdOf(fn)]?.Properties?.Environment as
    | { Variables: Record<string, unknown> }
    | undefined;
  if (!environment) throw new Error(`${fn.node.path} has no environment`);
  return environment.Variables;
}

/**
 * The variables a function reads: its environment in the template, plus those the stack compiles into its code
 * (`COMPILED_VARIABLES`), which the template does not show.
 */
export function variablesOf(s: Synthesized, fn: NodeFunction): Record<string, unknown> {
  return { ...environmentOf(s, fn), ...fn.compiledEnvironment };
}
