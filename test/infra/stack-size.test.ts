import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MAX_ALARM_EMAILS } from '../../lambdas/settings/stack';
import { logicalIdOf, synth } from './support/synth';

/**
 * CloudFormation takes 500 resources a stack. Every deployment the settings accept keeps each of its templates, the
 * root's and every room's, at 400 at most: the largest of each kind of sign-in, every feature on and every list at the
 * length the settings allow, is synthesized here. A change that passes 400 fails here, naming the template and its
 * count, before `cdk deploy` refuses it. (The root keeps the API's methods and the API clients' keys of earlier
 * releases; a room's stack takes its functions and its new routes: lib/constructs/room-stacks.ts.)
 */
const BUDGET = 400;

const EVERY_FEATURE = {
  inference: 'rekognition',
  faceGrouping: 'true',
  searchByMeaning: 'titan',
  webhooks: 'true',
  destroyOnRemove: 'true',
  alarmEmail: Array.from({ length: MAX_ALARM_EMAILS }, (_, index) => `ops${index}@example.com`).join(','),
  // The settings' 10 source buckets, each watched (a rule each).
  sourceBuckets: Array.from({ length: 10 }, (_, index) => `old-photos-${index}=studio`).join(','),
  watchSourceBuckets: 'true',
};

const API_CLIENTS = JSON.stringify(
  Array.from({ length: 50 }, (_, index) => (index === 0 ? { name: 'default' } : { name: `client-${index}` })),
);

const LARGEST: Record<string, Record<string, unknown>> = {
  default: {},
  'cognito, every feature': { auth: 'cognito', ...EVERY_FEATURE },
  'cognito, every feature, offline models': { auth: 'cognito', ...EVERY_FEATURE, inference: 'offline' },
  'apikey with 50 clients, every feature': { auth: 'apikey', apiClients: API_CLIENTS, ...EVERY_FEATURE },
};

describe.each(Object.entries(LARGEST))('the %s deployment', (_, context) => {
  it(`keeps every template at ${BUDGET} resources at most`, () => {
    const { stack } = synth(context);
    const templates = [stack, ...stack.node.findAll().filter((one) => NestedStack.isNestedStack(one))];
    const counts = Object.fromEntries(
      templates.map((one) => [
        one.node.path,
        Object.keys((Template.fromStack(one).toJSON() as { Resources: object }).Resources).length,
      ]),
    );
    expect(Object.entries(counts).filter(([, count]) => count > BUDGET)).toEqual([]);
    // A room's stack holds something: every function of the rooms is in one.
    expect(Object.keys(counts).length).toBeGreaterThan(5);
  });
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
