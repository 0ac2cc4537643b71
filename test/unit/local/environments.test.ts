import { GetBackfillEnvSchema } from '../../../lambdas/backfill/functions/get-backfill/route';
import { StartBackfillEnvSchema } from '../../../lambdas/backfill/functions/start-backfill/route';
import { CorrectLabelsEnvSchema } from '../../../lambdas/images/functions/correct-labels/route';
import { GetImageEnvSchema } from '../../../lambdas/images/functions/get-image/route';
import { functionEnvironments, mergeEnvironments } from '../../../lambdas/local/environments';
import { cleanupEnvSchema } from '../../../lambdas/manifest/cleanups';
import { PROCESSOR } from '../../../lambdas/manifest/steps';
import { CreateRenditionEnvSchema } from '../../../lambdas/renditions/functions/create-rendition/route';
import { RenderImageEnvSchema } from '../../../lambdas/renditions/functions/render-image/contract';
import { SimilarImagesEnvSchema } from '../../../lambdas/search/functions/similar-images/route';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { parseEnv } from '../../../lambdas/settings/env';
import { DeleteImageEnvSchema } from '../../../lambdas/trash/functions/delete-image/route';
import { localResources, localServices } from '../../support/local-resources';

/** As provision() makes them (webhooks on, face grouping off: the defaults). */
const RESOURCES = localResources('run', parseDeploymentSettings({}));
const RENDITIONS = localServices('run');

describe('functionEnvironments', () => {
  const environment = functionEnvironments(RESOURCES, RENDITIONS, parseDeploymentSettings({}));

  it('names the search table the runner created', () => {
    expect(environment.SEARCH_TABLE_NAME).toBe('run-search');
    expect(environment.TABLE_NAME).toBe('run-images');
  });

  it('gives the processor, delete-image, similar-images and correct-labels an environment their schemas parse', () => {
    expect(PROCESSOR.parse(environment)).toMatchObject({ SEARCH_TABLE_NAME: 'run-search', INFERENCE: 'none' });
    const deleteImage = DeleteImageEnvSchema.and(cleanupEnvSchema('purge', 'trash'));
    expect(parseEnv(deleteImage, environment, 'delete-image').SEARCH_TABLE_NAME).toBe('run-search');
    expect(parseEnv(SimilarImagesEnvSchema, environment, 'similar-images').SEARCH_TABLE_NAME).toBe('run-search');
    expect(parseEnv(CorrectLabelsEnvSchema, environment, 'correct-labels')).toMatchObject({
      SEARCH_TABLE_NAME: 'run-search',
      EVENT_BUS_NAME: 'run-events',
    });
  });
});

describe('functionEnvironments for backfills', () => {
  const settings = parseDeploymentSettings({ sourceBuckets: 'old-photos,archive/2019/=alice' });
  const environment = functionEnvironments(RESOURCES, RENDITIONS, settings);

  it('gives the backfill routes the state machine, the bucket and the sources as the settings name them', () => {
    expect(parseEnv(StartBackfillEnvSchema, environment, 'start-backfill')).toMatchObject({
      BACKFILL_STATE_MACHINE_ARN: RENDITIONS.backfillStateMachineArn,
      BUCKET_NAME: 'run-images',
      SOURCE_BUCKETS: settings.sourceBuckets,
    });
    expect(parseEnv(GetBackfillEnvSchema, environment, 'get-backfill').TABLE_NAME).toBe('run-images');
  });
});

describe('functionEnvironments for renditions', () => {
  const settings = parseDeploymentSettings({
    watermarks: '{"logo":{"image":"test/fixtures/formats/alpha.png"},"credit":{"text":"© Example"}}',
    renditionUrlTtlSeconds: '600',
  });
  const environment = functionEnvironments(RESOURCES, RENDITIONS, settings);

  it('gives the signers and the render function one secret and one set of rendition settings', () => {
    const render = parseEnv(RenderImageEnvSchema, environment, 'render-image');
    const create = parseEnv(CreateRenditionEnvSchema, environment, 'create-rendition');
    const get = parseEnv(GetImageEnvSchema, environment, 'get-image');
    for (const signer of [create, get]) {
      expect(signer.SIGNING_SECRET_ARN).toBe(render.SIGNING_SECRET_ARN);
      expect(signer.RENDITION_SETTINGS).toEqual(render.RENDITION_SETTINGS);
    }
    expect(render.SIGNING_SECRET_ARN).toBe(RENDITIONS.signingSecretArn);
    expect(render.RENDITION_SETTINGS.renditionUrlTtlSeconds).toBe(600);
  });

  it('points rendition URLs at the runner itself', () => {
    expect(parseEnv(CreateRenditionEnvSchema, environment, 'create-rendition').RENDITIONS_URL).toBe(
      'http://localhost:3000',
    );
  });

  it('lets the render function read image watermarks from the project, where the settings name them', () => {
    const render = parseEnv(RenderImageEnvSchema, environment, 'render-image');
    expect(render.RENDITION_SETTINGS.watermarks).toEqual({
      logo: { image: 'test/fixtures/formats/alpha.png' },
      credit: { text: '© Example' },
    });
  });
});

describe('mergeEnvironments', () => {
  it('refuses two functions that disagree on a variable, naming both', () => {
    expect(() =>
      mergeEnvironments({ processor: { SEARCH_TABLE_NAME: 'a' }, 'similar-images': { SEARCH_TABLE_NAME: 'b' } }),
    ).toThrow("processor and similar-images disagree on SEARCH_TABLE_NAME: 'a' vs 'b'");
  });
});
