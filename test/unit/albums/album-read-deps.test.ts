import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createAlbumReadDeps } from '../../../lambdas/albums/functions/album-read-deps';
import { AlbumReadEnvSchema } from '../../../lambdas/albums/functions/albums-contract';
import { createPowertools } from '../../../lambdas/shared/powertools';
import { ImageStore } from '../../../lambdas/store/image-store';
import { useApiEnv } from '../../support/api-events';

/*
 * One making of an album read's deps for GET /albums/{id} and GET /shared/{token}: each function says only how it
 * links tiles and covers; the albums, the records and a smart album's search (GET /images's) are the same.
 */

function made(env: Record<string, string> = {}) {
  useApiEnv();
  const config = AlbumReadEnvSchema.parse({ ...process.env, ALBUMS_TABLE: 'albums', ...env });
  const tools = createPowertools(config);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const images = new ImageStore(client, config.TABLE_NAME);
  const links = { sign: async () => ({}), keysOf: () => ({}) };
  const coverUrl = async () => '';
  return {
    deps: createAlbumReadDeps(config, tools, client, images, { links, coverUrl }),
    tools,
    images,
    links,
    coverUrl,
  };
}

describe("an album read's deps", () => {
  it("link a manual album's tiles and a smart album's alike, as the function says, and read the records given", () => {
    const { deps, images, links, coverUrl } = made();
    expect(deps.links).toBe(links);
    expect(deps.list.links).toBe(links);
    expect(deps.coverUrl).toBe(coverUrl);
    expect(deps.images).toBe(images);
    expect(deps.list.store).toBe(images);
  });

  it("search a smart album's people only in a deployment that groups faces", () => {
    expect(made().deps.list.people).toBeUndefined();
    expect(made({ PEOPLE_TABLE: 'people' }).deps.list.people).toBeDefined();
  });

  it('log and count a failed search by meaning, the page answered by its words', () => {
    const { deps, tools } = made();
    const logged = jest.spyOn(tools.logger, 'error').mockImplementation(() => undefined);
    const counted = jest.spyOn(tools.metrics, 'addMetric');
    deps.list.meaningFailed?.(new Error('vectors down'));
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/by words alone/), expect.any(Error));
    expect(counted).toHaveBeenCalledWith('MeaningSearchErrors', 'Count', 1);
  });
});
