import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { UseOf } from '../../lambdas/manifest/uses';
import { SEARCH_TABLE_DESIGN } from '../../lambdas/search/postings-design';
import { KEY_ATTRIBUTE_TYPE } from '../../lambdas/store/table-design';
import type { UseTarget } from './grant-uses';

export interface SearchTableProps {
  /** @default RemovalPolicy.RETAIN - deleting the stack keeps the index (rebuilding it means re-reading every record) */
  readonly removalPolicy?: RemovalPolicy;
}

const ATTRIBUTE_TYPES = { S: AttributeType.STRING } as const;

/**
 * The search index, built from `SEARCH_TABLE_DESIGN` (the local runner builds its table from the same constant):
 * one posting per term of each final image, on-demand, point-in-time recovery, encrypted with the AWS-managed key.
 * It has no secondary index: every access pattern is a Query on the table's own key.
 */
export class SearchTable extends Construct implements UseTarget<UseOf<'search'>> {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: SearchTableProps = {}) {
    super(scope, id);
    const key = (name: string) => ({ name, type: ATTRIBUTE_TYPES[KEY_ATTRIBUTE_TYPE] });
    this.table = new Table(this, 'Table', {
      partitionKey: key(SEARCH_TABLE_DESIGN.partitionKey),
      sortKey: key(SEARCH_TABLE_DESIGN.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /**
   * `BatchWriteItem` on the table: postings are put and deleted in batches (search/index-table.ts); and the
   * `PutItem`, `DeleteItem` and `UpdateItem` of a transaction, which writes a place path's posting with its counter
   * (search/place-counts.ts). `Table.grantWriteData` would add more, none of which the writers use.
   */
  grantWrite(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.table.tableArn],
    });
  }

  /**
   * `Query` on the table. `Table.grantReadData` would add Scan, GetItem, BatchGetItem and `index/*`; a term's
   * postings are only ever queried.
   */
  grantQuery(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [this.table.tableArn],
    });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/manifest/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'search'>): void {
    if (use.access === 'query') this.grantQuery(grantee);
    else this.grantWrite(grantee);
  }
}
