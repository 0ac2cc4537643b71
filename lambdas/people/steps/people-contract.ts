import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import type { DeploymentSettings } from '../../settings';
import { InferenceModeSchema } from '../../settings';
import { checkFaceGroupingEnv, FaceGroupingEnvSchema, faceGroupingEnvironment, type PeopleWiring } from '../wiring';

/** The face-grouping variables, and the inference mode (vision's), which says whether a face collection is needed. */
export const PeopleEnvShape = { ...FaceGroupingEnvSchema.shape, INFERENCE: InferenceModeSchema };

/** `people`: with `faceGrouping`, the faces vision described, grouped into the owner's people. */
const PEOPLE_CONTRACT = {
  env: PeopleEnvShape,
  check: (env, context) => checkFaceGroupingEnv(env, env.INFERENCE, context),
  environment: ({ settings, people }: PeopleStepWiring) => faceGroupingEnvironment(settings, people),
  uses: [uses.people('group-faces')],
} satisfies StepContract<typeof PeopleEnvShape>;

/** Where faces and people are kept, with `faceGrouping` (`faceCollectionId` with `inference=rekognition` only). */
interface PeopleStepWiring extends StepWiring {
  readonly people?: PeopleWiring;
  readonly settings: StepWiring['settings'] & Pick<DeploymentSettings, 'faceGrouping'>;
}

export const PEOPLE_STEP = {
  name: 'people',
  phase: 'derive',
  contract: PEOPLE_CONTRACT,
} as const satisfies StepDeclaration;

/** The merged people's images re-pointed, with the people table `people` reads (its grant covers the re-pointing). */
export const FOLLOW_MERGES_STEP = {
  name: 'follow-merges',
  phase: 'settled',
  contract: PEOPLE_CONTRACT,
} as const satisfies StepDeclaration;
