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
import { KEY_ATTRIBUTE_TYPE, TABLE_DESIGN } from '../../lambdas/shared/table-design';

export type IndexName = keyof typeof TABLE_DESIGN.indexes;

/** The item-level actions the handlers use; nothing here can scan, batch or change the table. */
export type ItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

export interface ResultsTableProps {
  /** @default RemovalPolicy.RETAIN - deleting the stack keeps the records */
  readonly removalPolicy?: RemovalPolicy;
}

const PROJECTIONS = { ALL: ProjectionType.ALL, KEYS_ONLY: ProjectionType.KEYS_ONLY } as const;
const ATTRIBUTE_TYPES = { S: AttributeType.STRING } as const;

/**
 * The results table, built from `TABLE_DESIGN` (the local runner builds its table from the same constant):
 * on-demand, point-in-time recovery, encrypted with the AWS-managed key, TTL on abandoned uploads.
 */
export class ResultsTable extends Construct {
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
    for (const index of Object.values(TABLE_DESIGN.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: PROJECTIONS[index.projection],
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
}
