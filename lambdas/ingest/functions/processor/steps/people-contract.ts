import { uses } from '../../../../manifest/uses';
import { checkFaceGroupingEnv, FaceGroupingEnvSchema, faceGroupingEnvironment } from '../../../../people/wiring';
import { InferenceModeSchema } from '../../../../settings';
import type { StepContract } from '../step-contract';

/** The face-grouping variables, and the inference mode (vision's), which says whether a face collection is needed. */
const PeopleEnvShape = { ...FaceGroupingEnvSchema.shape, INFERENCE: InferenceModeSchema };

/** `people`: with `faceGrouping`, the faces vision described, grouped into the owner's people. */
export const PEOPLE_STEP = {
  steps: ['people'],
  env: PeopleEnvShape,
  check: (env, context) => checkFaceGroupingEnv(env, env.INFERENCE, context),
  environment: ({ settings, people }) => faceGroupingEnvironment(settings, people),
  uses: [uses.people('group-faces')],
} satisfies StepContract<typeof PeopleEnvShape>;
