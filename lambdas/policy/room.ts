import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { route as getPolicy } from './functions/get-policy/route';
import { PolicyApiEnvSchema, policyApiEnvironment } from './functions/policy-contract';
import { route as setPolicy } from './functions/set-policy/route';
import { POLICY_STEP } from './steps/policy-contract';
import { POLICY_TABLE } from './table-design';

/** The moderation policies (docs/api.md, docs/vision.md): an owner's policy, read and put; every deployment has it. */
export const POLICY_ROOM = {
  routes: [
    {
      room: 'policy',
      route: getPolicy,
      environmentFor: policyApiEnvironment,
      envSchema: PolicyApiEnvSchema,
      uses: [uses.declaredItems(POLICY_TABLE.name, 'GetItem')],
    },
    {
      room: 'policy',
      route: setPolicy,
      environmentFor: policyApiEnvironment,
      envSchema: PolicyApiEnvSchema,
      // The whole policy put, replacing the one before.
      uses: [uses.declaredItems(POLICY_TABLE.name, 'PutItem')],
    },
  ],
  tables: [POLICY_TABLE],
  // The owner's moderation policy, on vision's labels and the provenance, before anything is stored.
  steps: [
    {
      declaration: POLICY_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/policy') as typeof import('./steps/policy')).policyStep,
    },
  ],
} satisfies RoomManifest;
