import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { CfnIndex, CfnVectorBucket } from 'aws-cdk-lib/aws-s3vectors';
import { Construct } from 'constructs';
import type { MeaningAccess } from '../../lambdas/functions/uses';
import { type MeaningWiring, modelIdOf } from '../../lambdas/search/meaning/contract';
import type { MeaningSettings, SemanticModel } from '../../lambdas/settings/meaning';

export interface SemanticSearchProps {
  readonly settings: MeaningSettings & { semanticSearch: SemanticModel };
  /** Of the vector bucket and index: RETAIN keeps the vectors after the stack is deleted. @default RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Search by meaning's storage (`semanticSearch`, docs/search.md): an S3 Vectors bucket (SSE-S3, the service's
 * default) with one cosine index of the model's vectors, shared by every owner and kept apart by the owner filter
 * each query pins (search/meaning/vector-index.ts). The index's id names its space: a change of model or dimension
 * makes a new index beside the old rather than replacing it in place, and `backfill --reembed` fills it.
 */
export class SemanticSearch extends Construct {
  public readonly bucket: CfnVectorBucket;
  public readonly index: CfnIndex;
  /** The Bedrock model the vectors are made with, by its ARN in this stack's Region. */
  public readonly modelArn: string;
  public readonly wiring: MeaningWiring;

  constructor(scope: Construct, id: string, props: SemanticSearchProps) {
    super(scope, id);
    const { semanticSearch: model, semanticDimension: dimension, semanticMaxDistance } = props.settings;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Named here (the functions call S3 Vectors by names): lower-case, unique in the account and Region per stack.
    const bucketName = Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase();
    const indexName = `images-${model}-${dimension}`;
    this.bucket = new CfnVectorBucket(this, 'Bucket', { vectorBucketName: bucketName });
    this.bucket.applyRemovalPolicy(removalPolicy);
    this.index = new CfnIndex(this, `Index${model}${dimension}`, {
      vectorBucketArn: this.bucket.attrVectorBucketArn,
      indexName,
      dataType: 'float32',
      dimension,
      distanceMetric: 'cosine',
    });
    this.index.applyRemovalPolicy(removalPolicy);
    const stack = Stack.of(this);
    this.modelArn = stack.formatArn({
      service: 'bedrock',
      account: '',
      resource: 'foundation-model',
      resourceName: modelIdOf(model),
    });
    this.wiring = {
      vectorBucketName: bucketName,
      indexName,
      provider: model,
      dimension,
      maxDistance: semanticMaxDistance,
    };
  }

  /**
   * - `embed-images`: the processor: the model invoked, vectors put (and an earlier version's deleted);
   * - `query`: `GET /images`: the model invoked for the query's text, the index queried (QueryVectors with a filter
   *   needs GetVectors too);
   * - `remove`: `DELETE /images/{id}`: the image's vector deleted.
   * Each on the model's and the index's ARNs alone.
   */
  grant(grantee: IGrantable, access: MeaningAccess): void {
    const index = [this.index.attrIndexArn];
    const invoke = () =>
      Grant.addToPrincipal({ grantee, actions: ['bedrock:InvokeModel'], resourceArns: [this.modelArn] });
    const vectors = (...actions: string[]) =>
      Grant.addToPrincipal({ grantee, actions: actions.map((action) => `s3vectors:${action}`), resourceArns: index });
    if (access === 'embed-images') {
      invoke();
      vectors('PutVectors', 'DeleteVectors');
    } else if (access === 'query') {
      invoke();
      vectors('QueryVectors', 'GetVectors');
    } else {
      vectors('DeleteVectors');
    }
  }
}
