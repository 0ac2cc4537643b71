import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import type { ProcessorConfig } from '../../../../lambdas/ingest/functions/processor/contract';
import type { Decoded, StepContext } from '../../../../lambdas/kit/processor-step';
import type { ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import type { ProcessorStepsConfig, ProcessorWiring } from '../../../../lambdas/manifest/steps';
import { readProvenance } from '../../../../lambdas/provenance/read-provenance';
import { provenanceStep } from '../../../../lambdas/provenance/steps/provenance';
import { PROVENANCE_STEP } from '../../../../lambdas/provenance/steps/provenance-contract';
import { TRUST_ANCHORS_ASSET_PATH } from '../../../../lambdas/provenance/trust-anchors-contract';
import { eagerPresets } from '../../../../lambdas/renditions/steps/eager-renditions';
import { eagerRenditionsStep, renditionsStep } from '../../../../lambdas/renditions/steps/renditions';
import { parseDeploymentSettings } from '../../../../lambdas/settings';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { fixture } from '../../../fixtures';
import { imageItem } from '../../../support/items';
import { credentialFixtures } from '../../../support/provenance';
import { firstPublicRequest } from '../../renditions/functions/render-image/memory-deps';

/**
 * The `provenance` step checks a signer against the deployment's trust anchors (`provenanceTrustAnchors`, read once
 * per container by its `open`), and the eager presets made beside it declare the digital source type it reads only
 * with `renditionsKeepDigitalSourceType`, at the key the render function computes for it.
 */

let fixtures: Awaited<ReturnType<typeof credentialFixtures>>;
let decoded: Decoded;
beforeAll(async () => {
  fixtures = await credentialFixtures(fixture('photos/pier.jpg'));
  const result = await analyzeImage(fixtures.generated, { keepPixels: true });
  if (result.record.status !== 'PROCESSED') throw new Error('the signed photo was not processed');
  decoded = { ...result, record: result.record, original: fixtures.generated };
});

const context = (deps: Partial<ProcessorDeps>) => ({ deps }) as unknown as StepContext<ProcessorDeps>;
const item = () => imageItem({ thumbnails: {}, analysis: decoded.record });

/** A folder standing for the function's root, holding `file` with `text`. */
function rootWith(file: string, text: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'trust-anchors-'));
  writeFileSync(path.join(root, file), text);
  return root;
}
const configNaming = (file: string) =>
  ({ PROVENANCE_TRUST_ANCHORS: file }) as ProcessorStepsConfig & { REGION: string };

describe('the provenance step and its trust anchors', () => {
  it('records a signed image untrusted without trust anchors', async () => {
    const part = await provenanceStep.run(context({}), { item: item(), decoded });
    expect(part.item?.provenance).toMatchObject({ summary: 'ai-generated', credentials: { validation: 'untrusted' } });
  });

  it("records it valid with its signer's root as the deployment's trust anchor", async () => {
    const deps = { provenance: { trustAnchors: fixtures.signer.trustAnchor } };
    const part = await provenanceStep.run(context(deps), { item: item(), decoded });
    expect(part.item?.provenance).toMatchObject({
      summary: 'ai-generated',
      basis: 'c2pa',
      credentials: { validation: 'valid', failures: [] },
    });
  });

  it('opens with the file the config names under the root (the project locally, the asset in AWS)', async () => {
    const root = rootWith('anchors.pem', fixtures.signer.trustAnchor);
    const deps = provenanceStep.open?.(configNaming('anchors.pem'), { root }) ?? {};
    expect(deps.provenance?.trustAnchors).toBe(fixtures.signer.trustAnchor);
    const part = await provenanceStep.run(context(deps), { item: item(), decoded });
    expect(part.item?.provenance?.credentials?.validation).toBe('valid');
  });

  it('opens with no anchors when the config names none', () => {
    expect(provenanceStep.open?.({} as ProcessorConfig & { REGION: string }, {})).toEqual({});
  });

  it('fails its start, naming the setting, on a missing file or one without a certificate', () => {
    const root = rootWith('empty.pem', 'not a certificate\n');
    expect(() => provenanceStep.open?.(configNaming('missing.pem'), { root })).toThrow(
      /provenanceTrustAnchors: cannot read .*missing\.pem/,
    );
    expect(() => provenanceStep.open?.(configNaming('empty.pem'), { root })).toThrow(
      /provenanceTrustAnchors: .*empty\.pem holds no PEM certificate/,
    );
  });

  it('fails on a certificate block that is not X.509', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const root = rootWith('broken.pem', fixtures.signer.trustAnchor + broken);
    expect(() => provenanceStep.open?.(configNaming('broken.pem'), { root })).toThrow(
      /certificate 2 of 2 is not X\.509/,
    );
  });
});

describe("the processor's environment for the trust anchors", () => {
  const settings = parseDeploymentSettings({ provenanceTrustAnchors: 'certs/anchors.pem' });
  const wiring = (watermarkFiles: 'project' | 'bundle' | undefined) =>
    ({ settings, watermarkFiles }) as unknown as ProcessorWiring;

  it("names the project's file for the runner, and the asset's copy for the stack", () => {
    expect(PROVENANCE_STEP.contract.environment(wiring('project'))).toEqual({
      PROVENANCE_TRUST_ANCHORS: 'certs/anchors.pem',
    });
    expect(PROVENANCE_STEP.contract.environment(wiring(undefined))).toEqual({
      PROVENANCE_TRUST_ANCHORS: 'certs/anchors.pem',
    });
    expect(PROVENANCE_STEP.contract.environment(wiring('bundle'))).toEqual({
      PROVENANCE_TRUST_ANCHORS: TRUST_ANCHORS_ASSET_PATH,
    });
  });

  it('sets nothing without the setting', () => {
    const none = { settings: parseDeploymentSettings({}), watermarkFiles: 'bundle' } as unknown as ProcessorWiring;
    expect(PROVENANCE_STEP.contract.environment(none)).toEqual({});
  });
});

describe('the eager presets of a signed AI image', () => {
  const PRESETS = JSON.stringify({
    card: { w: 400, h: 300, format: 'webp', eager: true, public: true },
    print: { w: 1200, format: 'jpeg', eager: true },
    poster: { w: 600, format: 'png', eager: true },
    tile: { w: 600, h: 400, format: 'avif', eager: true },
  });

  async function eager(keep: boolean) {
    const settings = parseDeploymentSettings({
      renditionPresets: PRESETS,
      renditionsKeepDigitalSourceType: String(keep),
    });
    const written = new Map<string, Buffer>();
    const deps = {
      objects: { write: async (_bucket: string, key: string, data: Buffer) => void written.set(key, data) },
      renditions: {
        presets: eagerPresets(settings),
        maxSide: settings.renditionMaxSide,
        maxPixels: settings.maxPixels,
        watermark: async () => ({ kind: 'text', text: '' }),
        keepGps: false,
        keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
      },
    } as unknown as ProcessorDeps;
    const start = item();
    // As in a run: the two steps side by side, the provenance read begun as their group starts and passed to both,
    // then the eager renditions stored.
    const begun = { ...provenanceStep.begin?.(context(deps), { item: start, decoded }), item: start, decoded };
    const [rendered, read] = await Promise.all([
      renditionsStep.run(context(deps), begun),
      provenanceStep.run(context(deps), begun),
    ]);
    const part = await eagerRenditionsStep.run(context(deps), {
      item: start,
      decoded,
      renditions: rendered.renditions,
    });
    const stored = { ...start, ...read.item, ...part.item } as ImageItem;
    return { settings, written, stored };
  }

  it('declare nothing by default: no manifest, no source type', async () => {
    const { written, stored } = await eager(false);
    expect(Object.keys(stored.eagerRenditions ?? {}).sort()).toEqual(['card', 'poster', 'print', 'tile']);
    for (const [name, key] of Object.entries(stored.eagerRenditions ?? {})) {
      const found = await readProvenance(written.get(key) as Buffer, 'jpeg');
      expect({ name, found }).toEqual({ name, found: { summary: 'unknown', basis: 'none' } });
    }
  });

  it('declare its source type with renditionsKeepDigitalSourceType, each read back as ai-generated', async () => {
    const { written, stored } = await eager(true);
    expect(stored.provenance?.digitalSourceType).toBe('trainedAlgorithmicMedia');
    const formats = { card: 'webp', print: 'jpeg', poster: 'png', tile: 'avif' } as const;
    for (const [name, key] of Object.entries(stored.eagerRenditions ?? {})) {
      const found = await readProvenance(written.get(key) as Buffer, formats[name as keyof typeof formats]);
      expect({ name, found }).toEqual({
        name,
        found: { summary: 'ai-generated', basis: 'xmp', digitalSourceType: 'trainedAlgorithmicMedia' },
      });
    }
  });

  it("are stored at the key the render function computes: the public preset's first request is the stored one", async () => {
    const { settings, written, stored } = await eager(true);
    const result = await firstPublicRequest(stored, 'card', written, settings);
    expect(result.rendered).toBe(false);
    expect(result.body).toBe(written.get(stored.eagerRenditions?.card as string));
  });
});
