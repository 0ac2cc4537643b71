import { logicalIdOf, synth } from './support/synth';

/**
 * CloudFormation takes at most 500 resources in a stack, and a route adds five (its function, role, policy and
 * method, and API Gateway's permission to invoke it; a new path a resource and a preflight). The deployment with the
 * most of them, every optional feature on, keeps room for the next few rooms' routes: a change that eats it fails here,
 * naming the count, before `cdk deploy` refuses it.
 */
const CLOUDFORMATION_LIMIT = 500;
const HEADROOM = 40;

const LARGEST = {
  auth: 'cognito',
  inference: 'rekognition',
  faceGrouping: 'true',
  searchByMeaning: 'titan',
  alarmEmail: 'ops@example.com',
  sourceBuckets: 'old-photos=studio',
  watchSourceBuckets: 'true',
};

it(`the largest deployment keeps ${HEADROOM} of CloudFormation's ${CLOUDFORMATION_LIMIT} resources free`, () => {
  const count = Object.keys(synth(LARGEST).json.Resources).length;
  expect(CLOUDFORMATION_LIMIT - count).toBeGreaterThanOrEqual(HEADROOM);
});

it('every API function logs to the one group of the API functions', () => {
  const { stack, json } = synth();
  const group = stack.api.handlers.logGroup;
  const configs = Object.values(stack.api.handlers.byName).map(
    (fn) => json.Resources[logicalIdOf(fn)]?.Properties?.LoggingConfig,
  );
  expect(configs.length).toBeGreaterThan(40);
  for (const config of configs) expect(config).toEqual({ LogGroup: { Ref: logicalIdOf(group) } });
  expect(json.Resources[logicalIdOf(group)]?.Properties?.RetentionInDays).toBe(30);
});
