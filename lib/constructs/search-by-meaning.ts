import { Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { CfnIndex, CfnVectorBucket } from 'aws-cdk-lib/aws-s3vectors';
import { Construct } from 'constructs';
import type { MeaningAccess, UseOf } from '../../lambdas/kit/uses';
import { type MeaningWiring, modelIdOf } from '../../lambdas/search/meaning/contract';
import { type EmbeddingModel, type MeaningSettings, previousSpace } from '../../lambdas/settings/meaning';
import type { UseTarget } from './grant-uses';

export interface SearchByMeaningProps {
  readonly settings: MeaningSettings & { searchByMeaning: EmbeddingModel };
  /** Of the vector bucket and index: RETAIN keeps the vectors after the stack is deleted. @default RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Search by meaning's storage (`searchByMeaning`, docs/search.md): an S3 Vectors bucket (SSE-S3, the service's
 * default) with one cosine index of the model's vectors, shared by every owner and kept apart by the owner filter
 * each query pins (search/meaning/vector-index.ts). The index's id names its space: a change of model or dimension
 * makes a new index beside the old rather than replacing it in place, and `backfill --reembed` fills it; with
 * `meaningPrevious` the old one is kept and searched until then.
 */
export class SearchByMeaning extends Construct implements UseTarget<UseOf<'meaning'>> {
  public readonly bucket: CfnVectorBucket;
  public readonly index: CfnIndex;
  /** The previous model's index, kept while a library moves to the current one (`meaningPrevious`). */
  public readonly previousIndex?: CfnIndex;
  /** The Bedrock model the vectors are made with, by its ARN in this stack's Region. */
  public readonly modelArn: string;
  /** The previous model's, queried while a library moves. */
  public readonly previousModelArn?: string;
  public readonly wiring: MeaningWiring;

  constructor(scope: Construct, id: string, props: SearchByMeaningProps) {
    super(scope, id);
    const { searchByMeaning: model, meaningDimension: dimension, meaningMaxDistance } = props.settings;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Named here (the functions call S3 Vectors by names): lower-case, unique in the account and Region per stack.
    const bucketName = Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase();
    this.bucket = new CfnVectorBucket(this, 'Bucket', { vectorBucketName: bucketName });
    this.bucket.applyRemovalPolicy(removalPolicy);
    // The construct id names the space, so an index keeps its logical id whether it is the current or the previous.
    const index = (space: { model: EmbeddingModel; dimension: number }) => {
      const made = new CfnIndex(this, `Index${space.model}${space.dimension}`, {
        vectorBucketArn: this.bucket.attrVectorBucketArn,
        indexName: `images-${space.model}-${space.dimension}`,
        dataType: 'float32',
        dimension: space.dimension,
        distanceMetric: 'cosine',
      });
      made.applyRemovalPolicy(removalPolicy);
      return made;
    };
    const stack = Stack.of(this);
    const arnOf = (space: { model: EmbeddingModel }) =>
      stack.formatArn({
        service: 'bedrock',
        account: '',
        resource: 'foundation-model',
        resourceName: modelIdOf(space.model),
      });
    this.index = index({ model, dimension });
    this.modelArn = arnOf({ model });
    const previous = previousSpace(props.settings);
    if (previous) {
      this.previousIndex = index(previous);
      this.previousModelArn = arnOf(previous);
    }
    this.wiring = {
      vectorBucketName: bucketName,
      indexName: `images-${model}-${dimension}`,
      provider: model,
      dimension,
      maxDistance: meaningMaxDistance,
      ...(previous && {
        previous: {
          indexName: `images-${previous.model}-${previous.dimension}`,
          provider: previous.model,
          dimension: previous.dimension,
        },
      }),
    };
  }

  /**
   * - `embed-images`: the processor: the model invoked, vectors put (and an earlier version's deleted);
   * - `query`: `GET /images`: the model invoked for the query's text, the index queried (QueryVectors with a filter
   *   needs GetVectors too);
   * - `remove`: `DELETE /images/{id}`: the image's vector deleted;
   * - `lookalikes`: the processor's near-duplicates: the current index queried with an image's vector (QueryVectors
   *   with its owner filter, so GetVectors too), no model.
   * Each on the model's and the index's ARNs alone.
   */
  grant(grantee: IGrantable, access: MeaningAccess): void {
    // The processor embeds with the current model only and asks its index only; a query and a delete reach the
    // previous index too.
    const current = access === 'embed-images' || access === 'lookalikes';
    const models = current
      ? [this.modelArn]
      : [this.modelArn, ...(this.previousModelArn ? [this.previousModelArn] : [])];
    const indexes = [this.index, ...(!current && this.previousIndex ? [this.previousIndex] : [])].map(
      (index) => index.attrIndexArn,
    );
    const invoke = () => Grant.addToPrincipal({ grantee, actions: ['bedrock:InvokeModel'], resourceArns: models });
    const vectors = (...actions: string[]) =>
      Grant.addToPrincipal({ grantee, actions: actions.map((action) => `s3vectors:${action}`), resourceArns: indexes });
    if (access === 'embed-images') {
      invoke();
      vectors('PutVectors', 'DeleteVectors');
    } else if (access === 'query') {
      invoke();
      vectors('QueryVectors', 'GetVectors');
    } else if (access === 'lookalikes') {
      vectors('QueryVectors', 'GetVectors');
    } else {
      vectors('DeleteVectors');
    }
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'meaning'>): void {
    this.grant(grantee, use.access);
  }
}
