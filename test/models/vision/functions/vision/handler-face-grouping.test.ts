import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { FACE_DESCRIPTOR_LENGTH } from '../../../../../lambdas/core/faces';
import { DEFAULT_SETTINGS } from '../../../../../lambdas/settings';
import { environmentFor, VisionResponseSchema } from '../../../../../lambdas/vision/functions/vision/contract';
import { fixture } from '../../../../fixtures';

// What the stack wires with faceGrouping on, set before the handler loads and parses it.
Object.assign(process.env, environmentFor({ settings: { ...DEFAULT_SETTINGS, faceGrouping: true } }), {
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'ImageIntelTest',
});
const { handler } =
  require('../../../../../lambdas/vision/functions/vision/handler') as typeof import('../../../../../lambdas/vision/functions/vision/handler');

const s3 = mockClient(S3Client);
const context = { functionName: 'vision', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as Context;

describe('vision Lambda handler with FACE_GROUPING=true', () => {
  it('answers each face big enough described, by its index in vision.faces, beside the vision result', async () => {
    const thumbnail = await sharp(fixture('vision/person-astronaut.jpg')).webp({ quality: 80 }).toBuffer();
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([thumbnail])) });
    const response = await handler({ imageId: '01J', bucket: 'b', key: 'k' }, context, {
      signal: new AbortController().signal,
    });
    expect(VisionResponseSchema.parse(response)).toEqual(response);
    expect(response?.faces).toHaveLength(1);
    expect(response?.faceDescriptions?.skipped).toEqual({ tooSmall: 0, overCap: 0 });
    const [described] = response?.faceDescriptions?.faces ?? [];
    expect(described?.face).toBe(0);
    expect(described?.box).toEqual(response?.faces[0]?.box);
    expect(described?.descriptor).toHaveLength(FACE_DESCRIPTOR_LENGTH);
    expect(Object.keys(response?.inference.models ?? {})).toContain('dlib-face-recognition-resnet');
  });

  it('answers an empty description for a photo without faces', async () => {
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([fixture('photos/boats.jpg')])) });
    const response = await handler({ imageId: '01K', bucket: 'b', key: 'k' }, context, {
      signal: new AbortController().signal,
    });
    expect(response?.faceDescriptions).toEqual({ faces: [], skipped: { tooSmall: 0, overCap: 0 } });
  });
});
