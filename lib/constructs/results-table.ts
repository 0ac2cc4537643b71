import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ResultsIndexName as IndexName, ResultsItemAction as ItemAction, UseOf } from '../../lambdas/kit/uses';
import type { ListIndexMigrationStep } from '../../lambdas/settings';
import { KEY_ATTRIBUTE_TYPE, TABLE_DESIGN } from '../../lambdas/store/table-design';
import type { UseTarget } from './grant-uses';

export type { IndexName, ItemAction };

/**
 * A step of the migration to the final indexes (docs/architecture.md): each step differs from the one before by
 * one index, the most one CloudFormation update can add or remove.
 */
export type ListIndexMigration = ListIndexMigrationStep;

export interface ResultsTableProps {
  /** @default RemovalPolicy.RETAIN - deleting the stack keeps the records */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * A step of migrating an existing table from retired indexes (`MIGRATION_STEPS`): from the unsharded list
   * indexes (`byCreated`, `byStatus`) in steps 1 to 4, then from `bySha256` to the owners' indexes in steps 5 to
   * 7; step 8 removes `bySha256` (the previous version's final design), and leaving the step out (the final
   * design) adds the timeline's `byOwnerTakenSharded`.
   * @default - the indexes of TABLE_DESIGN only
   */
  readonly listIndexMigration?: ListIndexMigration;
}

const PROJECTIONS = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
} as const;
const ATTRIBUTE_TYPES = { S: AttributeType.STRING } as const;

type IndexDesign = {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: keyof typeof PROJECTIONS;
  readonly nonKeyAttributes?: readonly string[];
};

/**
 * The results table, built from `TABLE_DESIGN` (the local runner builds its table from the same constant):
 * on-demand, point-in-time recovery, encrypted with the AWS-managed key, TTL on abandoned uploads.
 */
export class ResultsTable extends Construct implements UseTarget<UseOf<'results'>> {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: ResultsTableProps = {}) {
    super(scope, id);
    const key = (name: string) => ({ name, type: ATTRIBUTE_TYPES[KEY_ATTRIBUTE_TYPE] });
    const tableProps: TableProps = {
      partitionKey: key(TABLE_DESIGN.partitionKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    this.table = new Table(this, 'Table', tableProps);
    for (const index of indexesAt(props.listIndexMigration)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: PROJECTIONS[index.projection],
        nonKeyAttributes: index.nonKeyAttributes ? [...index.nonKeyAttributes] : undefined,
      });
    }
  }

  /** Item actions on the table itself. */
  grantItems(grantee: IGrantable, ...actions: ItemAction[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: actions.map((action) => `dynamodb:${action}`),
      resourceArns: [this.table.tableArn],
    });
  }

  /**
   * `Query` on the named indexes only. `Table.grant*` would cover `index/*` and add Scan, BatchGetItem and more;
   * the exact index ARNs keep the policy free of wildcards.
   */
  grantQuery(grantee: IGrantable, ...indexes: IndexName[]): Grant {
    const arn = this.table.tableArn;
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: indexes.map((name) => `${arn}/index/${TABLE_DESIGN.indexes[name].indexName}`),
    });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'results'>): void {
    if (use.kind === 'results-items') this.grantItems(grantee, ...use.actions);
    else this.grantQuery(grantee, ...use.indexes);
  }
}

const { byCreatedSharded, byStatusSharded, byOwnerSha256, byOwnerSharded, byOwnerStatusSharded } = TABLE_DESIGN.indexes;
const { byCreated, byStatus, bySha256 } = TABLE_DESIGN.retiredIndexes;
/** The indexes of the previous version's final design: where steps 5 to 7 start. */
const SHARDED = [bySha256, byCreatedSharded, byStatusSharded];

/**
 * The table's indexes after each step. New indexes go after the ones a table has, so none ever changes places;
 * each step adds or removes one, and the last step is one index away from TABLE_DESIGN.
 */
export const MIGRATION_STEPS: Readonly<Record<ListIndexMigration, readonly IndexDesign[]>> = {
  // From the unsharded list indexes to the sharded ones (the previous version's migration).
  1: [byCreated, byStatus, bySha256, byCreatedSharded],
  2: [byCreated, byStatus, bySha256, byCreatedSharded, byStatusSharded],
  3: [byStatus, bySha256, byCreatedSharded, byStatusSharded],
  4: SHARDED,
  // To the owners' indexes; the final design then drops bySha256.
  5: [...SHARDED, byOwnerSha256],
  6: [...SHARDED, byOwnerSha256, byOwnerSharded],
  7: [...SHARDED, byOwnerSha256, byOwnerSharded, byOwnerStatusSharded],
  // The previous version's final design; the final design then adds the timeline's byOwnerTakenSharded.
  8: [byCreatedSharded, byStatusSharded, byOwnerSha256, byOwnerSharded, byOwnerStatusSharded],
};

/** The table's indexes at a migration step, or, without one, exactly those of TABLE_DESIGN. */
export function indexesAt(step: ListIndexMigration | undefined): IndexDesign[] {
  return [...(step === undefined ? Object.values(TABLE_DESIGN.indexes) : MIGRATION_STEPS[step])];
}
