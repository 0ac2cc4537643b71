import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { OwnerSchema } from '../store/owner';
import { ModerationRulesSchema } from './policy';
import { POLICY_TABLE_DESIGN } from './table-design';

/** An owner's own policy as the table keeps it. */
export const StoredPolicySchema = z.object({
  owner: OwnerSchema,
  rules: ModerationRulesSchema,
  updatedAt: z.iso.datetime(),
  /** Who set it: the owner, or an admin for them. */
  updatedBy: z.string(),
});
export type StoredPolicy = z.output<typeof StoredPolicySchema>;

/** Where owners' policies are read (the processor, `GET /policy`) and put (`PUT /policy`). */
export interface IPolicyStore {
  get(owner: string): Promise<StoredPolicy | undefined>;
  put(policy: StoredPolicy): Promise<void>;
}

/** The policies table (table-design.ts). */
export class PolicyStore implements IPolicyStore {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(owner: string): Promise<StoredPolicy | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: { [POLICY_TABLE_DESIGN.partitionKey]: owner } }),
    );
    return Item ? StoredPolicySchema.parse(Item) : undefined;
  }

  /** The whole policy, replacing the one before: the last write wins, as for any settings page. */
  async put(policy: StoredPolicy): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.tableName, Item: StoredPolicySchema.parse(policy) }));
  }
}
