import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { PolicyStore, type StoredPolicy } from '../../../lambdas/policy/policy-store';
import { POLICY_TABLE } from '../../../lambdas/policy/table-design';
import { testEndpoint } from '../../support/shared-moto';

/*
 * Whose policy wins, against the run's moto: an owner sets and changes their own; a policy an admin set for them
 * stands over the owner's own put (the condition is in the write), and an admin may always change it.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const raw = new DynamoDBClient(config);
const table = `policies-${randomUUID().slice(0, 8)}`;
const store = new PolicyStore(DynamoDBDocumentClient.from(raw), table);

beforeAll(() => createDeclaredTable(raw, table, POLICY_TABLE.design));

const policy = (owner: string, updatedBy: string, threshold: number): StoredPolicy => ({
  owner,
  rules: [{ category: 'Suggestive', threshold, action: 'blur' }],
  updatedAt: new Date().toISOString(),
  updatedBy,
});

describe('putting a policy', () => {
  it('an owner sets their own policy, and changes it', async () => {
    expect(await store.put(policy('dana', 'dana', 0.3), { asOwner: true })).toBe(true);
    expect(await store.put(policy('dana', 'dana', 0.4), { asOwner: true })).toBe(true);
    expect((await store.get('dana'))?.rules[0]?.threshold).toBe(0.4);
  });

  it("an owner's put does not replace the policy an admin set for them; an admin's does", async () => {
    expect(await store.put(policy('erik', 'erik', 0.3), { asOwner: true })).toBe(true);
    expect(await store.put(policy('erik', 'root', 0.9))).toBe(true);
    expect(await store.put(policy('erik', 'erik', 0.1), { asOwner: true })).toBe(false);
    expect(await store.get('erik')).toMatchObject({ updatedBy: 'root', rules: [{ threshold: 0.9 }] });
    expect(await store.put(policy('erik', 'root2', 0.8))).toBe(true);
    expect(await store.get('erik')).toMatchObject({ updatedBy: 'root2', rules: [{ threshold: 0.8 }] });
  });
});
