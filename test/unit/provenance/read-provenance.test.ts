import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readProvenance } from '../../../lambdas/provenance/read-provenance';
import {
  credentialFixtures,
  makeTestSigner,
  signImage,
  sourceType,
  tamper,
  xmpOnlyPng,
} from '../../support/provenance';

const photo = readFileSync(path.join(__dirname, '../../fixtures/photos/pier.jpg'));
let fixtures: Awaited<ReturnType<typeof credentialFixtures>>;

beforeAll(async () => {
  fixtures = await credentialFixtures(photo);
});

describe('Content Credentials, signed here by c2pa-rs under a test certificate', () => {
  it('reads an AI-generated image: its generator, signer and actions, intact but untrusted without trust anchors', async () => {
    const provenance = await readProvenance(fixtures.generated, 'jpeg');
    expect(provenance).toMatchObject({
      summary: 'ai-generated',
      basis: 'c2pa',
      digitalSourceType: 'trainedAlgorithmicMedia',
      generator: 'Imagine 3.1',
      credentials: {
        validation: 'untrusted',
        failures: [{ code: 'signingCredential.untrusted' }],
        claimGenerator: 'Imagine 3.1',
        title: 'generated.jpg',
        signer: { name: 'Imagine Test Signer', organization: 'Imagine Labs' },
        actions: [
          { action: 'c2pa.created', digitalSourceType: 'trainedAlgorithmicMedia', softwareAgent: 'Imagine 3.1' },
        ],
        ingredients: [],
      },
    });
    expect(provenance.credentials?.manifest).toMatch(/^urn:c2pa:/);
  });

  it('is valid when the signer chains to a trust anchor the deployment gives, and untrusted under another one', async () => {
    const trusted = await readProvenance(fixtures.generated, 'jpeg', { trustAnchors: fixtures.signer.trustAnchor });
    expect(trusted.credentials).toMatchObject({ validation: 'valid', failures: [] });
    const other = await makeTestSigner('CN=Other, O=Other', 'CN=Another Root, O=Elsewhere');
    const elsewhere = await readProvenance(fixtures.generated, 'jpeg', { trustAnchors: other.trustAnchor });
    expect(elsewhere.credentials?.validation).toBe('untrusted');
  });

  it("reads a camera's capture as camera, and an edit of it, with the capture as its ingredient, as edited", async () => {
    expect(await readProvenance(fixtures.camera, 'jpeg')).toMatchObject({
      summary: 'camera',
      digitalSourceType: 'digitalCapture',
      generator: 'Leica M11-P 2.0.1',
    });
    const edited = await readProvenance(fixtures.edited, 'jpeg');
    expect(edited).toMatchObject({ summary: 'edited', basis: 'c2pa' });
    expect(edited.credentials?.actions.map(({ action }) => action)).toEqual(['c2pa.opened', 'c2pa.color_adjustments']);
    expect(edited.credentials?.ingredients).toEqual([
      {
        title: 'L1000123.jpg',
        format: 'image/jpeg',
        relationship: 'parentOf',
        summary: 'camera',
        validation: 'untrusted',
      },
    ]);
  });

  it('records a tampered copy invalid with the reason, keeps its claim of AI and drops a claim of a camera', async () => {
    const generated = await readProvenance(fixtures.tampered, 'jpeg', { trustAnchors: fixtures.signer.trustAnchor });
    expect(generated.summary).toBe('ai-generated');
    expect(generated.credentials?.validation).toBe('invalid');
    expect(generated.credentials?.failures.map(({ code }) => code)).toContain('assertion.dataHash.mismatch');
    const camera = await readProvenance(tamper(fixtures.camera), 'jpeg');
    expect(camera).toMatchObject({ summary: 'unknown', basis: 'none', credentials: { validation: 'invalid' } });
  });

  it('calls an edit of an AI-generated picture ai-generated, and one with an AI layer placed in it ai-edited', async () => {
    const cropped = await signImage({
      signer: fixtures.signer,
      bytes: photo,
      generator: { name: 'PhotoFix', version: '2.0' },
      title: 'cropped.jpg',
      actions: [{ action: 'c2pa.opened', parameters: { ingredientIds: ['ingredient'] } }, { action: 'c2pa.cropped' }],
      ingredient: { bytes: fixtures.generated, title: 'generated.jpg', relationship: 'parentOf' },
    });
    expect(await readProvenance(cropped, 'jpeg')).toMatchObject({ summary: 'ai-generated', generator: 'Imagine 3.1' });
    const composite = await signImage({
      signer: fixtures.signer,
      bytes: photo,
      generator: { name: 'PhotoFix', version: '2.0' },
      title: 'composite.jpg',
      actions: [
        { action: 'c2pa.created', digitalSourceType: sourceType('digitalCapture') },
        { action: 'c2pa.placed', parameters: { ingredientIds: ['ingredient'] } },
      ],
      ingredient: { bytes: fixtures.generated, title: 'sky.jpg', relationship: 'componentOf' },
    });
    expect(await readProvenance(composite, 'jpeg')).toMatchObject({ summary: 'ai-edited', basis: 'c2pa' });
  });

  it('reads the generative fill of an edit (an AI source type on an action other than created) as ai-edited', async () => {
    const filled = await signImage({
      signer: fixtures.signer,
      bytes: photo,
      generator: { name: 'PhotoFix', version: '3.0' },
      title: 'filled.jpg',
      actions: [
        { action: 'c2pa.created', digitalSourceType: sourceType('digitalCapture') },
        {
          action: 'c2pa.edited',
          digitalSourceType: sourceType('trainedAlgorithmicMedia'),
          softwareAgent: { name: 'Fill AI', version: '1' },
        },
      ],
    });
    expect(await readProvenance(filled, 'jpeg')).toMatchObject({ summary: 'ai-edited', generator: 'Fill AI 1' });
  });
});

describe('the XMP digital source type, where there is no manifest', () => {
  it('reads a PNG whose XMP says trainedAlgorithmicMedia as ai-generated, and a composite as ai-edited', async () => {
    expect(await readProvenance(await xmpOnlyPng(photo), 'png')).toEqual({
      summary: 'ai-generated',
      basis: 'xmp',
      digitalSourceType: 'trainedAlgorithmicMedia',
    });
    const composite = await xmpOnlyPng(photo, 'compositeWithTrainedAlgorithmicMedia');
    expect((await readProvenance(composite, 'png')).summary).toBe('ai-edited');
    const unlisted = await xmpOnlyPng(photo, 'someFutureCode');
    expect(await readProvenance(unlisted, 'png')).toEqual({ summary: 'unknown', basis: 'none' });
  });
});

describe('what says nothing', () => {
  it('reads a plain photo, bytes that are no image, and a format c2pa-rs does not read as unknown, never throwing', async () => {
    expect(await readProvenance(photo, 'jpeg')).toEqual({ summary: 'unknown', basis: 'none' });
    expect(await readProvenance(Buffer.from('not an image'), 'jpeg')).toEqual({ summary: 'unknown', basis: 'none' });
    expect(await readProvenance(Buffer.alloc(0), 'png')).toEqual({ summary: 'unknown', basis: 'none' });
    expect(await readProvenance(Buffer.from('<svg/>'), 'svg')).toEqual({ summary: 'unknown', basis: 'none' });
  });

  it('records a manifest that is there but cannot be read as invalid, with what c2pa-rs said', async () => {
    // The manifest's JUMBF cut short: the APP11 segments are there, their content is not.
    const at = fixtures.generated.indexOf(Buffer.from('c2pa'));
    const broken = Buffer.concat([fixtures.generated.subarray(0, at + 64), Buffer.alloc(512), photo.subarray(2)]);
    const provenance = await readProvenance(broken, 'jpeg');
    expect(provenance.summary).toBe('unknown');
    expect(provenance.credentials?.validation).toBe('invalid');
  });
});
