import { Names, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { CfnCollection } from 'aws-cdk-lib/aws-rekognition';
import { Construct } from 'constructs';
import { PEOPLE_TABLE_DESIGN } from '../../lambdas/people/table-design';
import type { PeopleWiring } from '../../lambdas/people/wiring';
import { KEY_ATTRIBUTE_TYPE } from '../../lambdas/store/table-design';

export interface PeopleProps {
  /**
   * Of the table and the collection. RETAIN keeps the faces (descriptors in the table, vectors in the collection)
   * after the stack is deleted: they are biometric data, to be deleted by hand then (docs/people.md).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Make the Rekognition collection IndexFaces stores faces in (`inference=rekognition`). @default false */
  readonly rekognition?: boolean;
}

const ATTRIBUTE_TYPES = { S: AttributeType.STRING } as const;

/**
 * Item actions on the people table (not its index). TransactWriteItems is authorized as each of its items' own
 * action: the grouping's, the removal's and the merge's transactions hold Puts, Updates and Deletes, and no
 * ConditionCheck, so no function is granted `dynamodb:ConditionCheckItem`.
 */
import type { PeopleItemAction, UseOf } from '../../lambdas/kit/uses';
import type { UseTarget } from './grant-uses';

export type { PeopleItemAction };

/**
 * What removing an image's faces sends (face-removal.ts): its faces queried, each face's person read, then
 * transactions deleting the faces and updating (or, left with none, deleting) their people.
 */
const REMOVAL_ACTIONS: PeopleItemAction[] = ['GetItem', 'Query', 'UpdateItem', 'DeleteItem'];

/** The Rekognition actions on the face collection, by who calls them. */
export type FaceAction = 'IndexFaces' | 'SearchFaces' | 'DeleteFaces';

/**
 * Face grouping's storage (`faceGrouping`, docs/people.md): the people table, built from `PEOPLE_TABLE_DESIGN`
 * (on-demand, point-in-time recovery, AWS-managed encryption, like the results table), and with Rekognition the face
 * collection. Made only when grouping is on: off, a deployment holds no face data at all.
 */
export class People extends Construct implements UseTarget<UseOf<'people'>> {
  public readonly table: Table;
  /** The Rekognition collection; only with `rekognition`. */
  public readonly collection?: CfnCollection;

  constructor(scope: Construct, id: string, props: PeopleProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const key = (name: string) => ({ name, type: ATTRIBUTE_TYPES[KEY_ATTRIBUTE_TYPE] });
    const design = PEOPLE_TABLE_DESIGN;
    this.table = new Table(this, 'Table', {
      partitionKey: key(design.partitionKey),
      sortKey: key(design.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    const index = design.indexes.byOwnerPeople;
    this.table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: key(index.partitionKey),
      sortKey: key(index.sortKey),
      projectionType: ProjectionType[index.projection],
      nonKeyAttributes: [...index.nonKeyAttributes],
    });

    if (props.rekognition) {
      this.collection = new CfnCollection(this, 'FaceCollection', {
        // A name of the allowed characters ([a-zA-Z0-9_.-]), unique per stack and stable across deployments.
        collectionId: Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }),
      });
      this.collection.applyRemovalPolicy(removalPolicy);
    }
  }

  /** What the processor and delete-image are wired with (their PEOPLE_TABLE and FACE_COLLECTION_ID). */
  get wiring(): PeopleWiring {
    return { tableName: this.table.tableName, faceCollectionId: this.collection?.ref };
  }

  /** These item actions on the table (not its index): each function is granted the ones it sends. */
  grantItems(grantee: IGrantable, ...actions: PeopleItemAction[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: actions.map((action) => `dynamodb:${action}`),
      resourceArns: [this.table.tableArn],
    });
  }

  /** `Query` on `byOwnerPeople`, by its exact ARN: `GET /people`. */
  grantListing(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.table.tableArn}/index/${PEOPLE_TABLE_DESIGN.indexes.byOwnerPeople.indexName}`],
    });
  }

  /**
   * Rekognition actions on the collection, by its ARN alone. There is no grant for Rekognition in the CDK; unlike
   * the Detect APIs, the collection APIs have a resource, so no `*`. Nothing without a collection (offline).
   */
  grantFaces(grantee: IGrantable, ...actions: FaceAction[]): Grant | undefined {
    if (!this.collection) return undefined;
    return Grant.addToPrincipal({
      grantee,
      actions: actions.map((action) => `rekognition:${action}`),
      resourceArns: [this.collection.attrArn],
    });
  }

  /**
   * The processor: groups each image's faces (grouping.ts: the face read, the LSH's buckets queried, the face and
   * its person put, or the person it joins updated; a regroup first removes the image's faces). With Rekognition it
   * indexes and searches them, reads the faces its matches stand for (BatchGetItem of their refs), and deletes the
   * vectors a retried or re-analysed image indexed again while its face items keep the first ones.
   */
  grantProcessor(grantee: IGrantable): void {
    this.grantItems(grantee, ...REMOVAL_ACTIONS, 'PutItem', ...(this.collection ? (['BatchGetItem'] as const) : []));
    this.grantFaces(grantee, 'IndexFaces', 'SearchFaces', 'DeleteFaces');
  }

  /** delete-image: removes the image's faces, the person left with none, and the faces' vectors. */
  grantDeleteImage(grantee: IGrantable): void {
    this.grantItems(grantee, ...REMOVAL_ACTIONS);
    this.grantFaces(grantee, 'DeleteFaces');
  }

  /**
   * `DELETE /people/{id}/images/{imageId}` ("not this person"): what removing a face takes, and the correction put
   * that keeps it unassigned (face-corrections.ts); with Rekognition, the face's vector deleted.
   */
  grantCorrectFaces(grantee: IGrantable): void {
    this.grantItems(grantee, ...REMOVAL_ACTIONS, 'PutItem');
    this.grantFaces(grantee, 'DeleteFaces');
  }

  /**
   * `GET /people/suggestions` (suggestions.ts), reads only: a page of the people listing, people and cover faces by
   * key, the face index's buckets queried (offline), or SearchFaces and the refs of its matches (Rekognition).
   */
  grantSuggest(grantee: IGrantable): void {
    this.grantListing(grantee);
    this.grantItems(grantee, 'GetItem', 'Query', ...(this.collection ? (['BatchGetItem'] as const) : []));
    this.grantFaces(grantee, 'SearchFaces');
  }

  /** `GET /images` (`person=`) and `GET /images/{id}` (the people's names): a person read by key, nothing else. */
  grantRead(grantee: IGrantable): Grant {
    return this.grantItems(grantee, 'GetItem');
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'people'>): void {
    const { access } = use;
    if (access === 'group-faces') this.grantProcessor(grantee);
    else if (access === 'read') this.grantRead(grantee);
    else if (access === 'listing') this.grantListing(grantee);
    else if (access === 'remove-image') this.grantDeleteImage(grantee);
    else if (access === 'correct-faces') this.grantCorrectFaces(grantee);
    else if (access === 'suggest') this.grantSuggest(grantee);
    else this.grantItems(grantee, ...access.items);
  }
}
