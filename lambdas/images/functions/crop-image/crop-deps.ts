import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { eventSinks } from '../../../events/sinks';
import { createDocumentClient, createSqsClient } from '../../../shared/aws-clients';
import type { Powertools } from '../../../shared/powertools';
import { ImageStore } from '../../../store/image-store';
import type { IReanalysisQueue } from '../rotate-image/rotate-image';
import type { CropImageDeps } from './crop-image';
import type { CropImageEnv } from './route';

/** The adapters of `PUT` and `DELETE /images/{id}/crop`, made once per container: a rotation's. */
export function cropDeps(config: CropImageEnv, tools: Powertools): CropImageDeps {
  const sqs = createSqsClient(tools.tracer);
  // Counted as sent: a repeat answers REANALYSING while the one message is on its way, and sends nothing.
  const queue: IReanalysisQueue = {
    send: async (message) => {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: config.INGEST_QUEUE_URL, MessageBody: JSON.stringify(message) }),
      );
      tools.logger.info('image sent to be analysed again, cropped');
      tools.metrics.addMetric('ImagesCropped', MetricUnit.Count, 1);
    },
  };
  return {
    store: new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME),
    publisher: eventSinks({ env: config, tracer: tools.tracer }),
    queue,
  };
}
