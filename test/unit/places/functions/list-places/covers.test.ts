import type { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { coverDetails, coverSize } from '../../../../../lambdas/places/functions/list-places/covers';

const A = '01JD0000000000000000000001';
const B = '01JD0000000000000000000002';

/** A table that answers each BatchGetItem with these records, and leaves `unprocessed` keys for a later round. */
function table(records: Record<string, unknown>[], unprocessed: string[] = []) {
  const sent: BatchGetCommand[] = [];
  let left = [...unprocessed];
  const client = {
    send: async (command: BatchGetCommand) => {
      sent.push(command);
      const keys = (command.input.RequestItems?.results?.Keys ?? []) as { imageId: string }[];
      const now = keys.filter((key) => !left.includes(key.imageId));
      const later = keys.filter((key) => left.includes(key.imageId));
      left = [];
      return {
        Responses: { results: records.filter((record) => now.some((key) => key.imageId === record.imageId)) },
        ...(later.length > 0 && { UnprocessedKeys: { results: { Keys: later } } }),
      };
    },
  };
  return { client, sent };
}

const links = (client: { send: (command: BatchGetCommand) => Promise<unknown> }) => ({
  client: client as never,
  tableName: 'results',
  presigner: {
    presignDownload: async (bucket: string, key: string, ttl: number) => `https://${bucket}/${key}?ttl=${ttl}`,
  },
  bucket: 'images',
  thumbnailSizes: [128, 512, 1024],
  ttlSeconds: 300,
});

describe("a place's cover as GET /places answers it", () => {
  it('links the thumbnail a card shows, the smallest of at least 512 pixels, else the largest', () => {
    expect(coverSize([128, 512, 1024])).toBe(512);
    expect(coverSize([1024, 640])).toBe(640);
    expect(coverSize([128, 256])).toBe(256);
  });

  it("gives each cover its presigned thumbnail and its record's position, read projected to it", async () => {
    const { client, sent } = table([{ imageId: A, position: { latitude: 47.56, longitude: 7.59 } }, { imageId: B }]);
    const details = await coverDetails([A, B], links(client));
    expect(details.get(A)).toEqual({
      thumbnailUrl: `https://images/thumbnails/${A}/512.webp?ttl=300`,
      position: { latitude: 47.56, longitude: 7.59 },
    });
    expect(details.get(B)).toEqual({ thumbnailUrl: `https://images/thumbnails/${B}/512.webp?ttl=300` });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.input.RequestItems?.results?.ProjectionExpression).toBe(
      'imageId, #position, #place.#source, #status, #locked, #owner, #archived',
    );
  });

  it('leaves out the position of a photo whose place its owner named by hand: its GPS may be elsewhere', async () => {
    const { client } = table([
      { imageId: A, position: { latitude: 40.7, longitude: -74 }, place: { source: 'owner' } },
      { imageId: B, position: { latitude: 47.56, longitude: 7.59 }, place: { source: 'position' } },
    ]);
    const details = await coverDetails([A, B], links(client));
    expect(details.get(A)?.position).toBeUndefined();
    expect(details.get(B)?.position).toEqual({ latitude: 47.56, longitude: 7.59 });
  });

  it('gives no details of a cover in the locked folder or the trash: the place is answered without it', async () => {
    const { client } = table([
      { imageId: A, position: { latitude: 47.56, longitude: 7.59 }, status: 'PROCESSED', locked: true },
      { imageId: B, position: { latitude: 47.56, longitude: 7.59 }, status: 'TRASHED' },
    ]);
    const details = await coverDetails([A, B], links(client));
    expect([...details.keys()]).toEqual([]);
  });

  it("gives a partner only the grantor's covers they may see: not archived, not another's, not unread", async () => {
    const C = '01JD0000000000000000000003';
    const D = '01JD0000000000000000000004';
    const at = { latitude: 47.56, longitude: 7.59 };
    const { client } = table([
      { imageId: A, position: at, status: 'PROCESSED', owner: 'alice' },
      { imageId: B, position: at, status: 'PROCESSED', owner: 'alice', archived: true },
      { imageId: C, position: at, status: 'PROCESSED', owner: 'carol' },
    ]);
    const details = await coverDetails([A, B, C, D], links(client), 'alice');
    expect([...details.keys()]).toEqual([A]);
    // The owner's own page keeps their archived cover (archived photos stay in places) and one not read back.
    const own = await coverDetails([A, B, D], links(table([{ imageId: B, archived: true, owner: 'alice' }]).client));
    expect([...own.keys()]).toEqual([A, B, D]);
  });

  it('asks again for the keys DynamoDB left unprocessed, and reads 100 keys a request', async () => {
    const { client, sent } = table([{ imageId: B, position: { latitude: 1, longitude: 2 } }], [B]);
    expect((await coverDetails([A, B], links(client))).get(B)?.position).toEqual({ latitude: 1, longitude: 2 });
    expect(sent).toHaveLength(2);
    const many = Array.from({ length: 150 }, (_, index) => `01JD${String(index).padStart(22, '0')}`);
    const big = table([]);
    await coverDetails(many, links(big.client));
    expect(big.sent.map((command) => command.input.RequestItems?.results?.Keys?.length)).toEqual([100, 50]);
  });
});
