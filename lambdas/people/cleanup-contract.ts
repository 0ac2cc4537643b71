import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import type { DeploymentSettings } from '../settings';
import { checkFaceGroupingEnv, FaceGroupingEnvSchema, faceGroupingEnvironment, type PeopleWiring } from './wiring';

interface PeopleCleanupWiring {
  readonly settings: Pick<DeploymentSettings, 'faceGrouping' | 'inference'>;
  /** The people table and (with Rekognition) the face collection, with `faceGrouping`. */
  readonly people?: PeopleWiring;
}

/**
 * With face grouping on, the image's faces go with it: from the people table, and with Rekognition from its
 * collection (FACE_COLLECTION_ID is set only then); a person left with none goes too.
 */
export const PEOPLE_CLEANUP = {
  name: 'people',
  envShape: FaceGroupingEnvSchema.shape,
  checkEnv: (env, context) => checkFaceGroupingEnv(env, undefined, context),
  environmentFor: (wiring: PeopleCleanupWiring) => faceGroupingEnvironment(wiring.settings, wiring.people),
  uses: [uses.people('remove-image')],
} as const satisfies ImageCleanupContract<PeopleCleanupWiring>;
