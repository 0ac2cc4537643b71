import { Aspects, CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { INGEST_QUEUE } from '../lambdas/ingest/functions/processor/contract';
import { usesOf } from '../lambdas/manifest/manifest';
import { type Declared, type DeclaredWiring, declaredFor } from '../lambdas/manifest/resources';
import { PEOPLE_TABLE } from '../lambdas/people/table-design';
import { POLICY_TABLE } from '../lambdas/policy/table-design';
import { SEARCH_TABLE } from '../lambdas/search/postings-design';
import { DEFAULT_API_CLIENT, type DeploymentSettings } from '../lambdas/settings';
import { formatSources } from '../lambdas/settings/backfill';
import { mergeWiring } from '../lambdas/settings/resources';
import { SHARES_TABLE } from '../lambdas/shares/table-design';
import { RESULTS_TABLE } from '../lambdas/store/table-design';
import { TRASH_QUEUE } from '../lambdas/trash/functions/purge-trash/contract';
import { AlarmNotifications } from './constructs/alarm-notifications';
import { constructIdOf } from './constructs/api-handlers';
import { Backfill } from './constructs/backfill';
import { DeclaredQueue, DeclaredTable, declaredTargets } from './constructs/declared';
import { grantUses, type UseTargets } from './constructs/grant-uses';
import { ImageProcessor } from './constructs/image-processor';
import { ImageStorage } from './constructs/image-storage';
import { IngestQueue } from './constructs/ingest-queue';
import { People } from './constructs/people';
import { PipelineEvents } from './constructs/pipeline-events';
import { Renditions } from './constructs/renditions';
import { ResultsTable } from './constructs/results-table';
import { RoomStacks } from './constructs/room-stacks';
import { SearchByMeaning } from './constructs/search-by-meaning';
import { SourceWatch } from './constructs/source-watch';
import { UploadApi } from './constructs/upload-api';
import { VisionBackend } from './constructs/vision';
import { CLOUDFRONT_ORIGINS, WebSite } from './constructs/web-site';
import { QUEUE_PLACEMENTS, SCHEDULE_IDS, TABLE_PLACEMENTS } from './declared-placements';
import { EnvironmentBudget } from './environment-budget';

export interface ImagePipelineStackProps extends StackProps {
  /** The deployment choices, parsed once by `parseDeploymentSettings`. */
  readonly settings: DeploymentSettings;
  /** How long every function's and the API's logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Where the ingest alarms are sent. @default - a topic for `settings.alarmEmail`, or no actions without one */
  readonly alarmTopic?: ITopic;
  /** The built web app deployed with `settings.webApp`. @default WEB_DIST (`web/dist`, from `npm run build:web`) */
  readonly webAppDirectory?: string;
  /**
   * The WAF web ACL in front of the renditions and web app distributions: CLOUDFRONT scope, so made in us-east-1 by
   * the stack `createStacks` adds beside this one (`settings.waf`). @default - none
   */
  readonly webAclArn?: string;
  /**
   * The tables and queues the rooms declare; those without `ownConstruct` are made here by the generic constructs.
   * @default DECLARED_TABLES and DECLARED_QUEUES (lambdas/manifest/resources.ts)
   */
  readonly declared?: Declared;
}

/**
 * The pipeline: upload API → bucket → (S3 notification) → queue → processor → table + search index + thumbnails +
 * events.
 * Only composition here; every resource is defined by a construct in `./constructs`.
 */
export class ImagePipelineStack extends Stack {
  public readonly storage: ImageStorage;
  /** The tables the rooms declare that have no construct of their own (lib/constructs/declared.ts). */
  public readonly declaredTables: DeclaredTable[];
  /** The queues the rooms declare that have no construct of their own, each with its consumer. */
  public readonly declaredQueues: DeclaredQueue[];
  public readonly table: ResultsTable;
  /** The people table and (Rekognition) face collection; undefined without `faceGrouping`. */
  public readonly people?: People;
  /** The vector bucket and index of search by meaning; undefined without `searchByMeaning`. */
  public readonly meaning?: SearchByMeaning;
  public readonly events: PipelineEvents;
  public readonly ingest: IngestQueue;
  /** The topic and subscriptions of `alarmEmail`; undefined without one. */
  public readonly alarms?: AlarmNotifications;
  public readonly vision: VisionBackend;
  public readonly processor: ImageProcessor;
  /** The backfill state machine: existing objects into the ingest queue. */
  public readonly backfill: Backfill;
  /** The source buckets' new objects into the ingest queue; undefined without `watchSourceBuckets`. */
  public readonly sourceWatch?: SourceWatch;
  public readonly renditions: Renditions;
  public readonly api: UploadApi;
  /** The web app's hosting; undefined with `webApp=false`. */
  public readonly web?: WebSite;
  /** The rooms' nested stacks, which hold their functions. */
  public readonly rooms: RoomStacks;

  constructor(scope: Construct, id: string, props: ImagePipelineStackProps) {
    super(scope, id, props);
    // A template any function's environment would not fit in once deployed is stopped at synth, naming it.
    Aspects.of(this).add(new EnvironmentBudget());
    const { settings, logRetention } = props;
    this.rooms = new RoomStacks(this);
    const removalPolicy = settings.destroyOnRemove ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logs = { logRetention, logRemovalPolicy: removalPolicy };
    // The web app's origin is its distribution's domain, and the distribution needs the API (its URL and CSP), so
    // the API, made first, takes the origin lazily: the distribution reads only the RestApi resource, which names no
    // origin. The images bucket, which the distribution does read, allows a pattern instead (CLOUDFRONT_ORIGINS).
    const webOrigin = settings.webApp
      ? Lazy.string({
          produce: () => {
            if (!this.web) throw new Error('the web app was never created');
            return this.web.origin;
          },
        })
      : undefined;
    const corsOrigins = webOrigin ? [...settings.corsOrigins, webOrigin] : settings.corsOrigins;

    this.storage = new ImageStorage(this, 'Storage', {
      corsOrigins: settings.webApp ? [...settings.corsOrigins, CLOUDFRONT_ORIGINS] : settings.corsOrigins,
      destroyOnRemove: settings.destroyOnRemove,
    });
    this.table = new ResultsTable(this, 'Results', {
      removalPolicy,
      listIndexMigration: settings.listIndexMigration,
    });
    // Face data exists only where grouping is on (biometric data: docs/people.md).
    this.people = settings.faceGrouping
      ? new People(this, 'People', { removalPolicy, rekognition: settings.inference === 'rekognition' })
      : undefined;
    // Vectors and Bedrock calls exist only where search by meaning is on (docs/search.md).
    const { searchByMeaning } = settings;
    this.meaning =
      searchByMeaning === 'off'
        ? undefined
        : new SearchByMeaning(this, 'Meaning', { settings: { ...settings, searchByMeaning }, removalPolicy });
    this.events = new PipelineEvents(this, 'Events');
    const emails = settings.alarmEmail;
    this.alarms = emails.length > 0 ? new AlarmNotifications(this, 'Alarms', { emails }) : undefined;
    this.ingest = new IngestQueue(this, 'Ingest', {
      bucket: this.storage.bucket,
      processorTimeout: Duration.seconds(settings.processorTimeoutSeconds),
      maxBatchingWindow: Duration.seconds(settings.processorBatchWindowSeconds),
      alarmTopic: props.alarmTopic ?? this.alarms?.topic,
    });
    // The construct id predates the class name; kept, since changing it would replace the vision function.
    this.vision = new VisionBackend(this, 'Inference', { ...logs, settings, rooms: this.rooms });
    // The tables and queues the rooms declare without a construct of their own, each by its name
    // (lib/constructs/declared.ts), those deployed before the declarations where they were (lib/declared-placements.ts),
    // each queue under the same alarm topic as the others; their consumers come once the wiring is whole.
    const declared = declaredFor(settings, props.declared);
    const generic = (one: { ownConstruct?: true }) => !one.ownConstruct;
    this.declaredTables = declared.tables.filter(generic).map((declaration) => {
      const id = TABLE_PLACEMENTS[declaration.name]?.id ?? `${constructIdOf(declaration.name)}Table`;
      return new DeclaredTable(this, id, { declaration, removalPolicy });
    });
    this.declaredQueues = declared.queues.filter(generic).map((declaration) => {
      const id = QUEUE_PLACEMENTS[declaration.name]?.id ?? `${constructIdOf(declaration.name)}Queue`;
      // Placed where a table is (one construct held both before the declarations): the table's hidden child
      // (`Default`), whose resources' paths, and so logical ids, are those the one construct gave them.
      const table = this.node.tryFindChild(id);
      const [scope, childId] = table instanceof DeclaredTable ? [table, 'Default'] : [this, id];
      return new DeclaredQueue(scope, childId, {
        declaration,
        settings,
        alarmTopic: props.alarmTopic ?? this.alarms?.topic,
      });
    });
    for (const schedule of declared.schedules) {
      this.declaredQueue(schedule.queue).addSchedule(
        SCHEDULE_IDS[schedule.name] ?? `${constructIdOf(schedule.name)}Schedule`,
        schedule,
      );
    }
    // What every function's contract makes its environment from: built once, each taking its part (the API's adds the
    // renditions' and backfills' addresses below).
    const base = {
      // Typed as the declarations type their parts (a table off in these settings is named by no function here).
      ...(mergeWiring([
        ...this.declaredTables.map(({ declaration, table }) => declaration.wiring(table.tableName)),
        ...this.declaredQueues.map(({ declaration, queue }) => declaration.wiring(queue.queueUrl)),
      ]) as DeclaredWiring),
      tableName: this.table.table.tableName,
      // In the declared tables' part too; named here for the contracts that require them (the merged part is untyped).
      searchTableName: this.declaredTable(SEARCH_TABLE.name).table.tableName,
      policyTableName: this.declaredTable(POLICY_TABLE.name).table.tableName,
      bucketName: this.storage.bucket.bucketName,
      eventBusName: this.events.bus.eventBusName,
      settings,
      people: this.people?.wiring,
      meaning: this.meaning?.wiring,
      // Where a re-own sends the image.
      ingestQueueUrl: this.ingest.queue.queueUrl,
      // Where a share link opens (its shared page), with the web app; the API's own URL without.
      webAppUrl: webOrigin,
    };
    // Apart from the other rooms: its sharp layer is the render function's too, and the renditions distribution is
    // that function's, which the other rooms name (lib/constructs/room-stacks.ts).
    this.processor = new ImageProcessor(this.rooms.apart('ingest', 'processor'), 'Processor', {
      ...logs,
      wiring: base,
      ingest: this.ingest,
      vision: this.vision,
      settings,
    });
    this.backfill = new Backfill(this, 'Backfill', {
      ...logs,
      storage: this.storage,
      queue: this.ingest.queue,
      table: this.table,
      settings,
    });
    if (settings.watchSourceBuckets) {
      // An event EventBridge could not deliver waits in the DLQ with the uploads that failed, under its alarm.
      // Its rules hold nothing, and there is one per watched bucket: in the ingest room's stack.
      this.sourceWatch = new SourceWatch(this.rooms.apart('ingest', 'processor'), 'SourceWatch', {
        sources: settings.sourceBuckets,
        queue: this.ingest.queue,
        deadLetterQueue: this.ingest.deadLetterQueue,
      });
    }
    this.renditions = new Renditions(this, 'Renditions', {
      ...logs,
      storage: this.storage,
      table: this.table,
      shares: { tableName: this.declaredTable(SHARES_TABLE.name).table.tableName },
      settings,
      // The processor's sharp layer, one for both; undefined with sharpPackaging=bundle.
      sharpLayer: this.processor.sharpLayer,
      destroyOnRemove: settings.destroyOnRemove,
      webAclArn: props.webAclArn,
      rooms: this.rooms,
    });
    for (const made of this.declaredQueues) {
      made.addConsumer({ ...logs, wiring: base, rooms: this.rooms });
    }
    const wiring = {
      ...base,
      signingSecretArn: this.renditions.signingSecret.secretArn,
      renditionsUrl: this.renditions.url,
      backfillStateMachineArn: this.backfill.stateMachine.stateMachineArn,
    };
    // What the functions use, by the name their uses give it (lambdas/kit/uses.ts), each granting its own:
    // the API's in ApiHandlers, the others below. `null`: off in this deployment, so its uses grant nothing.
    const targets: UseTargets = {
      storage: this.storage,
      results: this.table,
      bus: this.events,
      renditions: this.renditions,
      backfill: this.backfill,
      vision: this.vision,
      people: this.people ?? null,
      meaning: this.meaning ?? null,
      ingest: this.ingest,
    };
    // The declared ones by their names: a use names its resource, so two of one name would grant one for the other.
    const off = declared.off.filter(generic).map((one) => one.name);
    for (const [name, target] of Object.entries(declaredTargets(this.declaredTables, this.declaredQueues, off))) {
      if (name in targets) throw new Error(`two resources are named ${name}: a declared table or queue needs its own`);
      Object.assign(targets, { [name]: target });
    }
    this.api = new UploadApi(this, 'Api', {
      ...logs,
      settings: { ...settings, corsOrigins },
      wiring: {
        ...wiring,
        settings: { ...settings, corsOrigins },
        trashQueueUrl: this.declaredQueue(TRASH_QUEUE.name).queue.queueUrl,
      },
      targets,
      userPoolRemovalPolicy: removalPolicy,
      gatewayErrorOrigin: webOrigin,
      rooms: this.rooms,
    });
    grantUses(this.processor.function, usesOf('processor'), targets);
    grantUses(this.renditions.renderFunction, usesOf('render-image'), targets);
    grantUses(this.renditions.rotationFunction, usesOf('rotate-rendition-key'), targets);
    if (this.vision.function) grantUses(this.vision.function, usesOf('vision'), targets);
    for (const made of this.declaredQueues) grantUses(made.function, made.consumerUses, targets);
    if (settings.webApp) {
      this.web = new WebSite(this, 'Web', {
        settings,
        api: this.api.api,
        imagesBucket: this.storage.bucket,
        userPool: this.api.auth.userPool,
        imageOrigins: [this.renditions.url],
        directory: props.webAppDirectory,
        accessLogsBucket: this.renditions.logsBucket,
        destroyOnRemove: settings.destroyOnRemove,
        webAclArn: props.webAclArn,
        rooms: this.rooms,
      });
    }

    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description });
    output('ApiUrl', this.api.api.url, 'Base URL of the REST API');
    output('BucketName', this.storage.bucket.bucketName, 'Uploads (uploads/) and thumbnails (thumbnails/)');
    // The outputs the declared tables and queues name, whichever construct made them (the runner answers the same).
    const ownTables: Record<string, { tableName: string } | undefined> = {
      [RESULTS_TABLE.name]: this.table.table,
      [PEOPLE_TABLE.name]: this.people?.table,
    };
    const ownQueues: Record<string, { queue: IQueue; deadLetterQueue: IQueue } | undefined> = {
      [INGEST_QUEUE.name]: this.ingest,
    };
    for (const declaration of declared.tables) {
      const made =
        this.declaredTables.find((one) => one.declaration === declaration)?.table ?? ownTables[declaration.name];
      if (!made) throw new Error(`the ${declaration.name} table is declared with a construct of its own, and has none`);
      if (declaration.output) output(declaration.output.name, made.tableName, declaration.output.description);
    }
    for (const declaration of declared.queues) {
      const made = this.declaredQueues.find((one) => one.declaration === declaration) ?? ownQueues[declaration.name];
      if (!made) throw new Error(`the ${declaration.name} queue is declared with a construct of its own, and has none`);
      const { queue, deadLetterQueue } = declaration.outputs ?? {};
      if (queue) output(queue.name, made.queue.queueUrl, queue.description);
      if (deadLetterQueue) output(deadLetterQueue.name, made.deadLetterQueue.queueUrl, deadLetterQueue.description);
    }
    if (this.people) {
      const { collection } = this.people;
      if (collection) output('FaceCollectionId', collection.ref, 'Rekognition face collection (faceGrouping)');
    }
    if (this.meaning) {
      output('VectorBucketName', this.meaning.wiring.vectorBucketName, "Search by meaning: the images' vectors");
      output('VectorIndexName', this.meaning.wiring.indexName, 'Search by meaning: the index of the current model');
    }
    output('EventBusName', this.events.bus.eventBusName, 'Pipeline events (source image-intel)');
    output('RenditionsUrl', this.renditions.url, 'Rendition URLs (signed by the API) point here');
    output(
      'RenditionSigningSecretArn',
      this.renditions.signingSecret.secretArn,
      'The rendition URL signing keys (rotated every renditionKeyRotationDays)',
    );
    if (this.web) output('WebAppUrl', this.web.url, 'The web app');
    output(
      'BackfillStateMachineArn',
      this.backfill.stateMachine.stateMachineArn,
      'Backfills: input {bucket, prefix, owner, reprocess, regroupFaces, reown}; the execution name is the run id',
    );
    output(
      'BackfillSources',
      JSON.stringify(formatSources(settings.sourceBuckets)),
      'The sourceBuckets a backfill may read (bucket[/prefix][=owner]), besides BucketName/uploads/',
    );
    const { auth } = this.api;
    if (auth.userPool) output('UserPoolId', auth.userPool.userPoolId, 'Cognito user pool of the API');
    if (auth.userPoolClient) {
      output('UserPoolClientId', auth.userPoolClient.userPoolClientId, 'App client (SRP / USER_PASSWORD_AUTH)');
    }
    if (auth.adminGroup) {
      output(
        'AdminGroupName',
        auth.adminGroup.groupName,
        "Members see every owner's images: aws cognito-idp admin-add-user-to-group --group-name <name>",
      );
    }
    for (const { client, apiKey } of auth.clients) {
      output(
        apiKeyOutputId(client.name),
        apiKey.keyId,
        `API key of client ${client.name}: aws apigateway get-api-key --include-value --api-key <id>`,
      );
    }
  }

  /** A table a room declares, made by the generic construct, by its declaration's name. */
  declaredTable(name: string): DeclaredTable {
    const made = this.declaredTables.find((one) => one.declaration.name === name);
    if (!made) throw new Error(`no declared table ${name} in this deployment made by the generic construct`);
    return made;
  }

  /** A queue a room declares, with its consumer, made by the generic construct, by its declaration's name. */
  declaredQueue(name: string): DeclaredQueue {
    const made = this.declaredQueues.find((one) => one.declaration.name === name);
    if (!made) throw new Error(`no declared queue ${name} in this deployment made by the generic construct`);
    return made;
  }
}

/**
 * `ApiKeyId` for the `default` client (the name the single key's output had, which scripts read), `ApiKeyId<Name>`
 * for another: `batch-jobs` gives `ApiKeyIdBatchJobs` (the settings refuse names that differ only in hyphens).
 */
function apiKeyOutputId(clientName: string): string {
  if (clientName === DEFAULT_API_CLIENT) return 'ApiKeyId';
  const words = clientName.split('-').filter(Boolean);
  return `ApiKeyId${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}`;
}
