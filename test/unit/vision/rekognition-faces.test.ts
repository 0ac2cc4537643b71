import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  IndexFacesCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { VisionSchema } from '../../../lambdas/core/vision-schema';
import type { FaceDescriptions } from '../../../lambdas/people/contract';
import { RekognitionProvider } from '../../../lambdas/vision/rekognition';
import { fixture } from '../../fixtures';

/**
 * The image-quality figures of DetectLabels' IMAGE_PROPERTIES, and IndexFaces in place of DetectFaces when faces are
 * grouped, on response bodies shaped as the API reference documents them (test/fixtures/rekognition).
 */
const recorded = (name: string) => JSON.parse(fixture(`rekognition/${name}.json`).toString('utf8'));
const photo = fixture('photos/kite.jpg');
const IMAGE_ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const input = (imageId: string | undefined = IMAGE_ID) => ({
  bytes: photo,
  format: 'jpeg',
  downscaledJpeg: async () => Buffer.from('downscaled jpeg'),
  imageId,
});
const COLLECTION = { collectionId: 'image-intel-faces', maxFaces: 50 };

describe('RekognitionProvider image quality', () => {
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const rekognition = mockClient(client);
  beforeEach(() => {
    rekognition.reset();
    rekognition.on(DetectLabelsCommand).resolves(recorded('detect-labels-image-properties'));
  });
  const labelsOnly = { labels: true, text: false, faces: false, moderation: false };

  it('asks DetectLabels for its image properties with the labels, in one call', async () => {
    await new RekognitionProvider(client, { features: labelsOnly }).analyze(input());
    expect(rekognition).toHaveReceivedCommandTimes(DetectLabelsCommand, 1);
    expect(rekognition).toHaveReceivedCommandWith(DetectLabelsCommand, {
      Features: ['GENERAL_LABELS', 'IMAGE_PROPERTIES'],
    });
  });

  it("keeps Rekognition's brightness, sharpness and contrast (0-100) in imageQuality, apart from the rest", async () => {
    const vision = await new RekognitionProvider(client, { features: labelsOnly }).analyze(input());
    expect(VisionSchema.parse(vision)).toEqual(vision);
    expect(vision.imageQuality).toEqual({
      source: 'rekognition',
      brightness: 40.05,
      sharpness: 96.25,
      contrast: 24.49,
    });
    expect(vision.labels.map((label) => label.name)).toEqual(['Cat']);
  });

  it('bills the image properties apart from the labels ($0.001 + $0.00075)', async () => {
    const vision = await new RekognitionProvider(client, { features: labelsOnly }).analyze(input());
    expect(vision.inference.costUsd).toBe(0.00175);
  });

  it('asks for the image properties alone when labels are off, billing only them', async () => {
    const vision = await new RekognitionProvider(client, {
      features: { ...labelsOnly, labels: false },
    }).analyze(input());
    expect(rekognition).toHaveReceivedCommandWith(DetectLabelsCommand, { Features: ['IMAGE_PROPERTIES'] });
    expect(vision.inference.costUsd).toBe(0.00075);
    expect(vision.imageQuality?.sharpness).toBe(96.25);
  });

  it('has no imageQuality when the answer has no image properties', async () => {
    rekognition.on(DetectLabelsCommand).resolves(recorded('detect-labels'));
    const vision = await new RekognitionProvider(client, { features: labelsOnly }).analyze(input());
    expect(vision).not.toHaveProperty('imageQuality');
  });
});

describe('RekognitionProvider with a face collection', () => {
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const rekognition = mockClient(client);
  beforeEach(() => {
    rekognition.reset();
    rekognition.on(DetectLabelsCommand).resolves(recorded('detect-labels'));
    rekognition.on(DetectTextCommand).resolves(recorded('detect-text'));
    rekognition.on(DetectFacesCommand).resolves(recorded('detect-faces'));
    rekognition.on(DetectModerationLabelsCommand).resolves(recorded('detect-moderation-labels'));
    rekognition.on(IndexFacesCommand).resolves(recorded('index-faces'));
  });
  const grouping = () => new RekognitionProvider(client, { faceCollection: COLLECTION });

  it('calls IndexFaces into the collection instead of DetectFaces, the image id as ExternalImageId', async () => {
    await grouping().analyze(input());
    expect(rekognition).not.toHaveReceivedCommand(DetectFacesCommand);
    expect(rekognition).toHaveReceivedCommandTimes(IndexFacesCommand, 1);
    expect(rekognition).toHaveReceivedCommandWith(IndexFacesCommand, {
      CollectionId: 'image-intel-faces',
      ExternalImageId: IMAGE_ID,
      MaxFaces: 50,
      QualityFilter: 'AUTO',
      DetectionAttributes: ['DEFAULT'],
      Image: { Bytes: photo },
    });
  });

  it('maps the indexed faces into vision.faces and describes each by its collection face id', async () => {
    const vision = await grouping().analyze(input());
    expect(VisionSchema.parse(vision)).toEqual(expect.objectContaining({ faces: vision.faces }));
    expect(vision.faces).toEqual([
      { confidence: 1, box: { left: 0.5033, top: 0.2123, width: 0.1767, height: 0.2221 } },
      { confidence: 1, box: { left: 0.4022, top: 0.3394, width: 0.1756, height: 0.2207 } },
    ]);
    expect(vision.faceDescriptions).toEqual({
      faces: [
        { face: 0, box: vision.faces[0]?.box, rekognitionFaceId: '11111111-2222-3333-4444-555555555555' },
        { face: 1, box: vision.faces[1]?.box, rekognitionFaceId: '11111111-2222-3333-4444-555555555555' },
      ],
      skipped: { tooSmall: 0, overCap: 0 },
      searchPriceUsd: 0.001,
    });
    expect(vision.inference.models.IndexFaces).toBe('2.0');
    expect(vision.inference.models).not.toHaveProperty('DetectFaces');
  });

  it('hands over the face descriptions in the people contract shape', async () => {
    const vision = await grouping().analyze(input());
    // Compiles only while the vision floor's IndexedFaces stays assignable to the contract's FaceDescriptions.
    const descriptions: FaceDescriptions | undefined = vision.faceDescriptions;
    expect(descriptions?.faces.map((face) => face.face)).toEqual([0, 1]);
  });

  it('counts unindexed faces as skipped: over the cap, or refused by the quality filter', async () => {
    rekognition.on(IndexFacesCommand).resolves(recorded('index-faces-unindexed'));
    const vision = await grouping().analyze(input());
    // The indexed face first, then the unindexed ones over the minimum confidence (0.6): the 41.5 % one is dropped.
    expect(vision.faces.map((face) => face.confidence)).toEqual([0.9999, 0.9987, 0.9102]);
    expect(vision.faceDescriptions?.faces).toEqual([
      expect.objectContaining({ face: 0, rekognitionFaceId: '3e2b6f9c-1a4d-4c8e-9f0a-7b5d2c1e8a34' }),
    ]);
    expect(vision.faceDescriptions?.skipped).toEqual({ overCap: 1, tooSmall: 1 });
  });

  it("bills IndexFaces besides the Detect APIs, and hands the grouping SearchFaces' price for the searches it makes", async () => {
    const vision = await grouping().analyze(input());
    // Group 2: labels, text, moderation (3 x $0.001); image properties $0.00075; IndexFaces at $0.001.
    expect(vision.inference.costUsd).toBe(0.00475);
    expect(vision.faceDescriptions?.searchPriceUsd).toBe(0.001);
  });

  it('refuses to index faces without the image id they are stored under', async () => {
    await expect(grouping().analyze(input(''))).rejects.toThrow(/needs the image id/);
    expect(rekognition).not.toHaveReceivedCommand(IndexFacesCommand);
  });

  it('has no face descriptions without a collection', async () => {
    const vision = await new RekognitionProvider(client).analyze(input());
    expect(rekognition).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
    expect(vision).not.toHaveProperty('faceDescriptions');
  });
});
