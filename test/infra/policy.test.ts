import { POLICY_TABLE, POLICY_TABLE_DESIGN } from '../../lambdas/policy/table-design';
import { identityPolicies } from './support/iam';
import { logicalIdOf, type Synthesized, synth, variablesOf } from './support/synth';

/** The owners' moderation policies (lambdas/policy): their table, and who may do what with it. */
describe('policy table', () => {
  let s: Synthesized;
  let id: string;
  let table: Record<string, unknown>;
  beforeAll(() => {
    s = synth();
    id = logicalIdOf(s.stack.declaredTable(POLICY_TABLE.name).table);
    table = s.json.Resources[id]?.Properties ?? {};
  });

  it('is keyed by owner, a string, as POLICY_TABLE_DESIGN says, with no index and no TTL', () => {
    expect(POLICY_TABLE_DESIGN).toEqual({ partitionKey: 'owner' });
    expect(table.KeySchema).toEqual([{ AttributeName: 'owner', KeyType: 'HASH' }]);
    expect(table.AttributeDefinitions).toEqual([{ AttributeName: 'owner', AttributeType: 'S' }]);
    expect(table).not.toHaveProperty('GlobalSecondaryIndexes');
    expect(table).not.toHaveProperty('TimeToLiveSpecification');
  });

  it('is on-demand, encrypted with the AWS-managed key, with point-in-time recovery, and retained', () => {
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(s.json.Resources[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('is read by the processor and GET /policy, put by PUT /policy, and touched by no other role', () => {
    // Every statement of every policy in the template that names the table, by the roles it is attached to.
    const byRole: Record<string, string[]> = {};
    for (const { document, roles } of identityPolicies(s.json)) {
      for (const statement of document.Statement) {
        if (!JSON.stringify(statement.Resource).includes(`"${id}"`)) continue;
        for (const role of roles) {
          byRole[role] = [...new Set([...(byRole[role] ?? []), ...[statement.Action].flat()])].sort();
        }
      }
    }
    const roleOf = (fn: { role?: { node: { defaultChild?: unknown } } }) =>
      logicalIdOf(fn.role?.node.defaultChild as never);
    const handlers = s.stack.api.handlers.byName;
    expect(byRole).toEqual({
      [roleOf(s.stack.processor.function)]: ['dynamodb:GetItem'],
      [roleOf(handlers['get-policy'] as never)]: ['dynamodb:GetItem'],
      [roleOf(handlers['set-policy'] as never)]: ['dynamodb:PutItem'],
    });
  });

  it('is named to the processor and the policy routes; no threshold unless moderationThreshold gives one', () => {
    const tableRef = { Ref: id };
    expect(variablesOf(s, s.stack.processor.function)).toMatchObject({ POLICY_TABLE: tableRef });
    for (const name of ['get-policy', 'set-policy']) {
      const variables = variablesOf(s, s.stack.api.handlers.byName[name] as never);
      expect(variables).toMatchObject({ POLICY_TABLE: tableRef });
      // Unset: each category's default (lambdas/policy/defaults.ts), not one number for all.
      expect(variables).not.toHaveProperty('MODERATION_THRESHOLD');
    }
  });
});
