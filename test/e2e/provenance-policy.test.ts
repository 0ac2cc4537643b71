import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type ImageView as ClientView, ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { credentialFixtures } from '../support/provenance';
import { fileUser, type ProfileName, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { eventually } from './support';

/**
 * Provenance in the moderation policy (issue 62, docs/vision.md "Moderation"): an owner's rule on `AI Generated`
 * rejects or flags a C2PA-signed AI-generated JPEG, the default policy flags a tampered copy, and a plain photo is
 * not flagged, each as `GET /images/{id}` and `flagged=` say. On two shared runners: `jwt`, which runs with inference
 * none (no vision: provenance's categories decide alone), and `offline-faces` (the offline models' recorded answers,
 * vision's categories beside them). The credentials are made here (test/support/provenance.ts), each profile's with a
 * signer of its own. The tampered copy's pixels differ from every recorded photo's, so it is sent on `jwt` only (on
 * `offline-faces` it would load the models); the unit tests check it beside vision.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

/** The fields of GET /images/{id} this suite reads. */
type ImageView = ClientView & {
  vision?: { moderation: { checked: boolean; flagged: boolean } };
  moderationPolicy?: { source: string; triggered: Array<{ category: string; action: string; confidence: number }> };
  provenance?: { summary: string; credentials?: { validation: string } };
  rejection?: { code: string; message: string };
};

const ROLES = ['rejects', 'flags', 'default'] as const;
type Role = (typeof ROLES)[number];

describe.each<ProfileName>(['jwt', 'offline-faces'])('provenance in the policy, on the %s runner', (profile) => {
  let runner: SharedRunner;
  const clients = {} as Record<Role, ImageApiClient>;
  let signed: Awaited<ReturnType<typeof credentialFixtures>>;
  const images = {} as Record<'rejected' | 'flagged' | 'generated' | 'tampered' | 'plain', ImageView>;

  async function processed(role: Role, bytes: Buffer, filename: string): Promise<ImageView> {
    const imageId = await clients[role].upload(bytes, { filename });
    return (await clients[role].waitForFinal(imageId, WAIT)) as ImageView;
  }

  /** The ids `flagged=true` finds among the owner's images. */
  async function flagged(role: Role): Promise<string[]> {
    return (await clients[role].list({ flagged: 'true' })).items.map((item) => item.imageId);
  }

  beforeAll(async () => {
    runner = await profileRunner(profile);
    for (const role of ROLES) {
      const token = await runner.token({ user: fileUser(`${profile}-${role}`) });
      clients[role] = new ImageApiClient(runner.ready.apiUrl, { bearerToken: token });
    }
    const photo = fixture('photos/cups.jpg');
    signed = await credentialFixtures(photo);
    await clients.rejects.call('PUT', '/policy', {
      rules: [{ category: 'AI Generated', threshold: 1, action: 'reject' }],
    });
    await clients.flags.call('PUT', '/policy', {
      rules: [{ category: 'AI Generated', threshold: 0.5, action: 'flag' }],
    });
    [images.rejected, images.flagged, images.generated, images.plain] = await Promise.all([
      processed('rejects', signed.generated, 'generated.jpg'),
      processed('flags', signed.generated, 'generated.jpg'),
      processed('default', signed.generated, 'generated.jpg'),
      processed('default', photo, 'cups.jpg'),
    ]);
    if (profile === 'jwt') images.tampered = await processed('default', signed.tampered, 'tampered.jpg');
    // A record reads PROCESSED before its postings are written (processor/steps.ts): `flagged=` finds it once its
    // eventPending is gone, which is after its postings and its event.
    const records = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: runner.ready.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );
    for (const { imageId } of Object.values(images)) {
      await eventually(`${imageId}'s postings`, WAIT, async () => {
        const key = { imageId };
        const { Item } = await records.send(new GetCommand({ TableName: runner.ready.table, Key: key }));
        return Item && Item.status !== 'PENDING' && !Item.eventPending ? true : undefined;
      });
    }
    records.destroy();
  }, WAIT * 2);

  it('reads the signed JPEG as ai-generated, and the policy sees it with and without vision alike', () => {
    expect(images.generated.provenance?.summary).toBe('ai-generated');
    expect(images.generated.vision === undefined).toBe(profile === 'jwt');
  });

  it('rejects it for an owner whose policy rejects AI Generated, naming the category', () => {
    expect(images.rejected.status).toBe('REJECTED');
    expect(images.rejected.rejection?.code).toBe('MODERATION_POLICY');
    expect(images.rejected.rejection?.message).toMatch(/AI Generated 1 >= 1/);
    expect(images.rejected.moderationPolicy).toMatchObject({
      source: 'owner',
      triggered: [{ category: 'AI Generated', action: 'reject', confidence: 1 }],
    });
  });

  it('leaves it PROCESSED and flagged for an owner whose policy flags it, found by flagged=true', async () => {
    expect(images.flagged.status).toBe('PROCESSED');
    expect(images.flagged.moderationPolicy).toMatchObject({
      source: 'owner',
      triggered: [{ category: 'AI Generated', action: 'flag', confidence: 1 }],
    });
    // Beside vision its flag says so too; with none, the policy's outcome alone.
    expect(images.flagged.vision?.moderation.flagged).toBe(profile === 'jwt' ? undefined : true);
    expect(await flagged('flags')).toEqual([images.flagged.imageId]);
  });

  it('does not flag it, nor a plain photo, under the default policy', async () => {
    for (const image of [images.generated, images.plain]) {
      expect({ file: image.filename, status: image.status }).toEqual({ file: image.filename, status: 'PROCESSED' });
      expect({ file: image.filename, triggered: image.moderationPolicy?.triggered ?? [] }).toEqual({
        file: image.filename,
        triggered: [],
      });
      expect({ file: image.filename, flagged: image.vision?.moderation.flagged }).toEqual({
        file: image.filename,
        flagged: profile === 'jwt' ? undefined : false,
      });
    }
    expect(images.plain.provenance?.summary).toBe('unknown');
    const found = await flagged('default');
    expect(found).not.toContain(images.generated.imageId);
    expect(found).not.toContain(images.plain.imageId);
  });

  if (profile === 'jwt') {
    it('flags a tampered copy under the default policy, never trusting it, and flagged=true finds it', async () => {
      const { tampered } = images;
      expect(tampered.status).toBe('PROCESSED');
      expect(tampered.provenance?.credentials?.validation).toBe('invalid');
      expect(tampered.moderationPolicy).toMatchObject({
        source: 'default',
        triggered: [{ category: 'Tampered Credentials', action: 'flag', confidence: 1 }],
      });
      expect(await flagged('default')).toEqual([tampered.imageId]);
    });
  }
});
