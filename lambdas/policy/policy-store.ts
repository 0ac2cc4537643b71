import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { OwnerSchema } from '../store/owner';
import { ModerationRulesSchema } from './contract';
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
  /**
   * Put the whole policy. `asOwner`: the owner's own put, which does not replace a policy an admin set for them
   * (false then, nothing written).
   */
  put(policy: StoredPolicy, options?: { asOwner?: boolean }): Promise<boolean>;
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

  /**
   * The whole policy, replacing the one before: the last write wins, as for any settings page, but for an owner's
   * own put over a policy an admin set for them, which the condition refuses (in the write, so no admin's put
   * between a read and it is lost).
   */
  async put(policy: StoredPolicy, { asOwner = false }: { asOwner?: boolean } = {}): Promise<boolean> {
    const key = POLICY_TABLE_DESIGN.partitionKey;
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: StoredPolicySchema.parse(policy),
          ...(asOwner && {
            ConditionExpression: 'attribute_not_exists(#owner) OR updatedBy = #owner',
            ExpressionAttributeNames: { '#owner': key },
          }),
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
