import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { uploadRequestSchema } from '../../../../../lambdas/images/functions/create-upload/route';
import { CONTENT_TYPE_EXTENSIONS, UploadSettingsSchema } from '../../../../../lambdas/settings/uploads';
import { type ApiHandler, createUploadEvent, invoke, useApiEnv } from '../../../../support/api-events';

const MIB = 1024 * 1024;
useApiEnv({
  ALLOWED_TYPES: 'image/jpeg,image/x-adobe-dng,image/x-nikon-nef,image/x-canon-cr3',
  MAX_UPLOAD_BYTES: String(25 * MIB),
  MAX_RAW_UPLOAD_BYTES: String(150 * MIB),
});
const { handler } = require('../../../../../lambdas/images/functions/create-upload/handler') as {
  handler: ApiHandler;
};
const dynamo = mockClient(DynamoDBDocumentClient);

interface UploadBody {
  imageId: string;
  upload: { url: string; fields: Record<string, string> };
}

function conditionsOf(body: UploadBody): unknown[] {
  return JSON.parse(Buffer.from(body.upload.fields.Policy as string, 'base64').toString('utf8')).conditions;
}

describe('camera RAW uploads', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(PutCommand).resolves({});
  });

  it('gives each RAW type its extension', () => {
    expect(CONTENT_TYPE_EXTENSIONS).toMatchObject({
      'image/x-adobe-dng': 'dng',
      'image/x-canon-cr2': 'cr2',
      'image/x-canon-cr3': 'cr3',
      'image/x-nikon-nef': 'nef',
      'image/x-sony-arw': 'arw',
      'image/x-fuji-raf': 'raf',
      'image/x-olympus-orf': 'orf',
    });
  });

  it('allows RAWs of 150 MiB by default, apart from the 25 MiB of other types', () => {
    expect(UploadSettingsSchema.parse({})).toMatchObject({ maxUploadBytes: 25 * MIB, maxRawUploadBytes: 150 * MIB });
  });

  it('presigns an 80 MB NEF under its key with a policy pinning its type and exact size', async () => {
    const size = 80_000_000;
    const response = await invoke(handler, createUploadEvent({ contentType: 'image/x-nikon-nef', size }));
    expect(response.statusCode).toBe(201);
    const body = response.json as UploadBody;
    expect(body.upload.fields).toMatchObject({
      key: `uploads/${body.imageId}.nef`,
      'Content-Type': 'image/x-nikon-nef',
    });
    const conditions = conditionsOf(body);
    expect(conditions).toContainEqual(['content-length-range', size, size]);
    expect(conditions).toContainEqual({ 'Content-Type': 'image/x-nikon-nef' });
  });

  it('refuses a RAW over maxRawUploadBytes, and a JPEG of a RAW size', async () => {
    const raw = await invoke(handler, createUploadEvent({ contentType: 'image/x-adobe-dng', size: 150 * MIB + 1 }));
    expect(raw.statusCode).toBe(400);
    expect(JSON.stringify(raw.json)).toContain(`at most ${150 * MIB} bytes`);
    const jpeg = await invoke(handler, createUploadEvent({ contentType: 'image/jpeg', size: 80_000_000 }));
    expect(jpeg.statusCode).toBe(400);
    expect(JSON.stringify(jpeg.json)).toContain(`must be at most ${25 * MIB} bytes for image/jpeg`);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('checks the size against its type case-insensitively, as the type itself', () => {
    const schema = uploadRequestSchema({
      allowedTypes: ['image/x-canon-cr3', 'image/png'],
      maxUploadBytes: 100,
      maxRawUploadBytes: 1000,
    });
    expect(schema.safeParse({ contentType: 'IMAGE/X-CANON-CR3', size: 1000 }).success).toBe(true);
    expect(schema.safeParse({ contentType: 'image/png', size: 101 }).success).toBe(false);
  });
});
