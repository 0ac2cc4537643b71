import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TRUST_ANCHORS_ASSET_PATH } from '../../lambdas/provenance/trust-anchors-contract';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from '../../lambdas/provenance/wasm-contract';
import { parseDeploymentSettings } from '../../lambdas/settings';
import * as provenanceBundling from '../../lib/constructs/provenance-bundling';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { environmentOf, synth, testApp, variablesOf } from './support/synth';

/**
 * The provenance settings in the stack: `provenanceTrustAnchors` copied into the processor's asset and named by its
 * environment, refused at synth when the file is missing or holds no certificate; `renditionsKeepDigitalSourceType`
 * in the settings the render function and the processor's eager presets read.
 */

const ANCHORS = 'test/fixtures/provenance/trust-anchors.pem';

describe('provenanceTrustAnchors', () => {
  it("names the copy in the processor's asset when set, and nothing by default", () => {
    const anchored = synth({ inference: 'none', provenanceTrustAnchors: ANCHORS });
    expect(environmentOf(anchored, anchored.stack.processor.function)).toMatchObject({
      PROVENANCE_TRUST_ANCHORS: TRUST_ANCHORS_ASSET_PATH,
    });
    const plain = synth({ inference: 'none' });
    expect(environmentOf(plain, plain.stack.processor.function)).not.toHaveProperty('PROVENANCE_TRUST_ANCHORS');
  });

  it('is read by the processor alone: no other function is given it', () => {
    const anchored = synth({ inference: 'none', provenanceTrustAnchors: ANCHORS });
    const functions = Object.entries(anchored.json.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const naming = functions.filter(([, r]) =>
      JSON.stringify(r.Properties?.Environment ?? {}).includes('PROVENANCE_TRUST_ANCHORS'),
    );
    expect(naming).toHaveLength(1);
  });

  it("copies the file into the processor's asset, after the other hooks, where the provenance step reads it", () => {
    const spy = jest.spyOn(provenanceBundling, 'withTrustAnchors');
    try {
      const stack = new ImagePipelineStack(testApp(), 'Anchored', {
        settings: parseDeploymentSettings({ inference: 'none', provenanceTrustAnchors: ANCHORS }),
      });
      expect(stack.processor.function).toBeDefined();
      expect(spy).toHaveBeenCalledTimes(1);
      const hooks = spy.mock.results[0]?.value as ReturnType<typeof provenanceBundling.withTrustAnchors>;
      const commands = hooks.afterBundling('/repo', '/out/asset');
      const copy = commands.at(-1) ?? '';
      expect(copy).toContain(`"${path.resolve(ANCHORS)}"`);
      expect(copy).toContain(`"${path.join('/out/asset', TRUST_ANCHORS_ASSET_PATH)}"`);
      // c2pa-rs's module is still copied before it.
      expect(commands.some((command) => command.includes('c2pa_bg.wasm'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves the hooks as they were without the setting', () => {
    const hooks = { beforeBundling: () => [], beforeInstall: () => [], afterBundling: () => ['echo other'] };
    expect(provenanceBundling.withTrustAnchors(testApp(), undefined, hooks)).toBe(hooks);
  });

  it.each([
    [
      'a missing file',
      'certs/missing.pem',
      /Missing\/IngestProcessorRoom\/Processor: provenanceTrustAnchors: no file at .*certs\/missing\.pem/,
    ],
    [
      'a file with no certificate',
      'test/fixtures/README.md',
      /Missing\/IngestProcessorRoom\/Processor: provenanceTrustAnchors: .*README\.md holds no PEM certificate/,
    ],
  ])('fails the synth, naming the setting, for %s', (_, file, message) => {
    // The path's own rule (a .pem, .crt or .cer) is the settings' check; this is the stack's, on the file.
    const settings = { ...parseDeploymentSettings({ inference: 'none' }), provenanceTrustAnchors: file };
    expect(() => new ImagePipelineStack(testApp(), 'Missing', { settings })).toThrow(message);
  });

  it('refuses a path outside the project or of another kind, before any file is read', () => {
    for (const file of ['/etc/ssl/certs/ca.pem', '../anchors.pem', 'certs/anchors.txt']) {
      expect(() => parseDeploymentSettings({ provenanceTrustAnchors: file })).toThrow(
        /provenanceTrustAnchors: must be a \.pem, \.crt or \.cer path relative to the project/,
      );
    }
  });

  it('is a committed fixture the tests can synth with: one certificate, public only', () => {
    const pem = readFileSync(ANCHORS, 'utf8');
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(pem).not.toMatch(/PRIVATE KEY/);
  });
});

describe("the C2PA reader's files in the processor's asset", () => {
  it("bundles the reader's worker thread's script beside c2pa-rs's module, after the other hooks", () => {
    const spy = jest.spyOn(provenanceBundling, 'withC2paModule');
    try {
      const stack = new ImagePipelineStack(testApp(), 'Reader', {
        settings: parseDeploymentSettings({ inference: 'none' }),
      });
      expect(stack.processor.function).toBeDefined();
      expect(spy).toHaveBeenCalledTimes(1);
      const hooks = spy.mock.results[0]?.value as ReturnType<typeof provenanceBundling.withC2paModule>;
      const commands = hooks.afterBundling('/repo', '/out/asset');
      expect(commands.slice(-2)).toEqual([
        expect.stringContaining(`"${path.join('/out/asset', C2PA_WASM_ASSET_PATH)}"`),
        provenanceBundling.workerBundleCommand(path.join('/out/asset', C2PA_WORKER_ASSET_PATH)),
      ]);
      // esbuild bundles the thread's own script, from the sources, into the asset.
      expect(commands.at(-1)).toContain(`"${provenanceBundling.C2PA_WORKER_ENTRY}"`);
      expect(provenanceBundling.C2PA_WORKER_ENTRY).toMatch(/lambdas\/provenance\/c2pa-worker\.ts$/);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('renditionsKeepDigitalSourceType', () => {
  it.each([
    ['off by default', {}, false],
    ['on when set', { renditionsKeepDigitalSourceType: 'true' }, true],
  ])('is in the render function and the processor settings, %s', (_, context, expected) => {
    const s = synth({ inference: 'none', ...context });
    for (const fn of [s.stack.renditions.renderFunction, s.stack.processor.function]) {
      const variables = variablesOf(s, fn);
      expect(JSON.parse(variables.RENDITION_SETTINGS as string).renditionsKeepDigitalSourceType).toBe(expected);
    }
  });
});
