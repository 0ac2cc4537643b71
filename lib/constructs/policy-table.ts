import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { PolicyItemAction, UseOf } from '../../lambdas/manifest/uses';
import { POLICY_TABLE_DESIGN } from '../../lambdas/policy/table-design';
import type { UseTarget } from './grant-uses';

export interface PolicyTableProps {
  /** @default RemovalPolicy.RETAIN - deleting the stack keeps the owners' policies */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The owners' moderation policies, built from `POLICY_TABLE_DESIGN` (the local runner builds its table from the same
 * constant): one item per owner, on-demand, point-in-time recovery, encrypted with the AWS-managed key, no index.
 */
export class PolicyTable extends Construct implements UseTarget<UseOf<'policies'>> {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: PolicyTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: POLICY_TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /** Exactly these item actions on the table (`grantReadData` would add Query, Scan and BatchGetItem, never used). */
  grantItems(grantee: IGrantable, ...actions: PolicyItemAction[]): Grant {
    return this.table.grant(grantee, ...actions.map((action) => `dynamodb:${action}`));
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/manifest/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'policies'>): void {
    this.grantItems(grantee, ...use.actions);
  }
}
