import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import committed from './fixtures/logical-ids.json';
import { LOGICAL_ID_DEPLOYMENTS, logicalIdsByDeployment } from './support/logical-ids';

/**
 * A deployed stack updates in place only while every resource keeps its logical id: a moved construct or a renamed
 * id makes CloudFormation create a new resource and delete the old (a bucket or table with its data). The
 * committed list was synthesized before the modules were regrouped; a change that adds resources may extend it
 * (`UPDATE_LOGICAL_IDS=1 npx jest test/infra/logical-ids.test.ts`), one that drops or renames an id must say why.
 */
const FIXTURE = path.join(__dirname, 'fixtures/logical-ids.json');
const current = logicalIdsByDeployment();
if (process.env.UPDATE_LOGICAL_IDS === '1') writeFileSync(FIXTURE, `${JSON.stringify(current, null, 1)}\n`);

/**
 * An API Gateway deployment's id ends in a hash of the API's routes and models, on purpose: a changed API gets a new
 * deployment and the stage moves to it, which holds no data. Compared without the hash.
 */
const API_DEPLOYMENT = /^(AWS::ApiGateway::Deployment \w+Deployment[A-F0-9]{8})[a-f0-9]{32}$/;
const withoutDeploymentHash = (id: string) => id.replace(API_DEPLOYMENT, '$1');

describe.each(Object.keys(LOGICAL_ID_DEPLOYMENTS))('the %s deployment', (name) => {
  it('keeps every logical id of the committed template', () => {
    const before = (committed as Record<string, string[]>)[name];
    expect(before).toBeDefined();
    const now = new Set(current[name]?.map(withoutDeploymentHash));
    expect((before ?? []).map(withoutDeploymentHash).filter((id) => !now.has(id))).toEqual([]);
  });
});
