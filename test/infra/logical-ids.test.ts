import { Template } from 'aws-cdk-lib/assertions';
import committed from './fixtures/stateful-ids-cfc2b547.json';
import { STATEFUL_DEPLOYMENTS, statefulIds } from './support/stateful-ids';
import { synth, type TemplateJson } from './support/synth';

/**
 * An upgrade replaces nothing that holds data or whose id someone holds: each such resource of the release at
 * cfc2b547 keeps its logical id in the root stack. A moved construct or a renamed id makes CloudFormation create a new
 * resource and delete the old (a table with its data, an API key its callers hold, a method API Gateway refuses to
 * make twice). The fixture was synthesized at cfc2b547 (`git worktree add /tmp/r cfc2b547`, then there:
 * `statefulIds(synth(context).json)` for each deployment of test/infra/support/stateful-ids.ts); the rooms' functions,
 * roles and permissions, which hold nothing, have moved since to the rooms' nested stacks (docs/architecture.md).
 */
describe.each(Object.keys(STATEFUL_DEPLOYMENTS))('the %s deployment', (name) => {
  it('keeps every stateful logical id of cfc2b547 in the root stack', () => {
    const before = (committed as Record<string, string[]>)[name];
    expect(before).toBeDefined();
    // The root's own template: an id in a nested stack is another resource to CloudFormation.
    const root = Template.fromStack(synth(STATEFUL_DEPLOYMENTS[name]).stack).toJSON() as TemplateJson;
    const now = new Set(statefulIds(root));
    expect((before ?? []).filter((id) => !now.has(id))).toEqual([]);
  });

  it("adds no API method or path to the root stack: a route since cfc2b547 has them in its room's", () => {
    const before = new Set((committed as Record<string, string[]>)[name]);
    const root = Template.fromStack(synth(STATEFUL_DEPLOYMENTS[name]).stack).toJSON() as TemplateJson;
    const api = statefulIds(root).filter((id) => /^AWS::ApiGateway::(Method|Resource) /.test(id));
    expect(api.filter((id) => !before.has(id))).toEqual([]);
  });
});
