import { synth } from './synth';

/**
 * The deployments whose templates must keep every logical id across a refactor: a changed id makes
 * CloudFormation replace the resource (a new bucket, table or queue, the data left behind). Each switch that adds
 * or removes resources is on in one of them.
 */
export const LOGICAL_ID_DEPLOYMENTS: Record<string, Record<string, unknown>> = {
  default: {},
  offline: { inference: 'offline', alarmEmail: 'ops@example.com' },
  open: { inference: 'none', auth: 'none', webApp: false, sharpPackaging: 'bundle' },
  apikey: { auth: 'apikey', apiClients: '[{"name":"default"},{"name":"batch-jobs","admin":true}]' },
  existingPool: {
    userPoolId: 'eu-west-1_abc123',
    webAuthDomain: 'https://example.auth.eu-west-1.amazoncognito.com',
  },
};

/** `Type LogicalId`, sorted, for each deployment above. */
export function logicalIdsByDeployment(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(LOGICAL_ID_DEPLOYMENTS).map(([name, context]) => {
      const { Resources } = synth(context).json;
      return [
        name,
        Object.entries(Resources)
          .map(([id, resource]) => `${resource.Type} ${id}`)
          .sort(),
      ];
    }),
  );
}
