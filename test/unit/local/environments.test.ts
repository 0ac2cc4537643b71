import { CorrectLabelsEnvSchema } from '../../../lambdas/functions/correct-labels/contract';
import { DeleteImageEnvSchema } from '../../../lambdas/functions/delete-image/contract';
import { parseProcessorConfig } from '../../../lambdas/functions/processor/contract';
import { SimilarImagesEnvSchema } from '../../../lambdas/functions/similar-images/contract';
import { functionEnvironments, mergeEnvironments } from '../../../lambdas/local/environments';
import type { PipelineResources } from '../../../lambdas/local/resources';
import { parseEnv } from '../../../lambdas/shared/config';
import { parseDeploymentSettings } from '../../../lambdas/shared/settings';

const RESOURCES: PipelineResources = {
  bucket: 'run-images',
  table: 'run-images',
  searchTable: 'run-search',
  queueUrl: 'http://localhost:5000/000000000000/run-ingest',
  queueArn: 'arn:aws:sqs:us-east-1:000000000000:run-ingest',
  dlqUrl: 'http://localhost:5000/000000000000/run-ingest-dlq',
  eventBus: 'run-events',
  archive: 'run-archive',
  subscriberQueueUrl: 'http://localhost:5000/000000000000/run-subscriber',
  subscriberRule: 'run-all-events',
};

describe('functionEnvironments', () => {
  const environment = functionEnvironments(RESOURCES, parseDeploymentSettings({}));

  it('names the search table the runner created', () => {
    expect(environment.SEARCH_TABLE_NAME).toBe('run-search');
    expect(environment.TABLE_NAME).toBe('run-images');
  });

  it('gives the processor, delete-image, similar-images and correct-labels an environment their schemas parse', () => {
    expect(parseProcessorConfig(environment)).toMatchObject({ SEARCH_TABLE_NAME: 'run-search', INFERENCE: 'none' });
    expect(parseEnv(DeleteImageEnvSchema, environment, 'delete-image').SEARCH_TABLE_NAME).toBe('run-search');
    expect(parseEnv(SimilarImagesEnvSchema, environment, 'similar-images').SEARCH_TABLE_NAME).toBe('run-search');
    expect(parseEnv(CorrectLabelsEnvSchema, environment, 'correct-labels')).toMatchObject({
      SEARCH_TABLE_NAME: 'run-search',
      EVENT_BUS_NAME: 'run-events',
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
