import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { environmentOf } from '../../lambdas/manifest/api-function';
import { apiFunctionsFor, handlerModule } from '../../lambdas/manifest/routes';
import type { ApiFunctionsWiring } from '../../lambdas/manifest/wiring';
import type { DeploymentSettings } from '../../lambdas/settings';
import { bundledDataHooks } from './bundled-data';
import { grantUses, type UseTargets } from './grant-uses';
import { type FunctionBasicsProps, logGroupOf, NodeFunction } from './node-function';
import { keepReadOnly } from './read-only';

/**
 * The resources the routes use (each route's `uses` in lambdas/manifest/routes.ts says which, and how), and the
 * settings and wiring their environments need.
 */
export interface ApiHandlersProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  readonly settings: DeploymentSettings;
  /** What every route's contract makes its environment from, built once by the stack. */
  readonly wiring: ApiFunctionsWiring;
  /** The resources the routes' uses name, each granting its own. */
  readonly targets: UseTargets;
}

/** The API functions, each with the variables it reads and exactly the access it uses. */
export class ApiHandlers extends Construct {
  /** `POST /uploads`: records a PENDING image and signs a presigned POST for `uploads/<imageId>.<ext>`. */
  public readonly createUpload: NodeFunction;
  /** `GET /images`: the caller's images (an admin's: anyone's), newest first, by status, paginated. */
  public readonly listImages: NodeFunction;
  /** `GET /images/{id}`: the record with presigned GET URLs for the original and thumbnails. */
  public readonly getImage: NodeFunction;
  /** `DELETE /images/{id}`: removes the objects, the record and its postings, publishes `Image Deleted`. */
  public readonly deleteImage: NodeFunction;
  /** `GET /images/{id}/similar`: the caller's images whose perceptual hash is near this one's. */
  public readonly similarImages: NodeFunction;
  /** `PATCH /images/{id}/labels`: adds or takes away labels, moves their postings, publishes `Image Labels Changed`. */
  public readonly correctLabels: NodeFunction;
  /** `PUT /images/{id}/owner`: an admin gives an image another owner (the processor moves it). */
  public readonly reownImage: NodeFunction;
  /** `POST /images/{id}/renditions`: a signed rendition URL for any spec. */
  public readonly createRendition: NodeFunction;
  /** `POST /backfills`: an admin starts a backfill run (an execution of the backfill state machine). */
  public readonly startBackfill: NodeFunction;
  /** `GET /backfills`: the runs, newest first. */
  public readonly listBackfills: NodeFunction;
  /** `GET /backfills/{id}`: a run, what its map listed and its counters. */
  public readonly getBackfill: NodeFunction;
  /** Every function above by its name (`create-upload`), the `operationId` of its route in `apiFunctionsFor(settings)`. */
  public readonly byName: Readonly<Record<string, NodeFunction>>;
  /**
   * The one log group of every API function, each line saying whose in its `service` (`image-intel-<operationId>`):
   * a group per function was a resource per route, and with every feature on the stack passed CloudFormation's 500
   * resources (docs/deploy.md "Logs").
   */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiHandlersProps) {
    super(scope, id);
    const { settings, wiring, targets } = props;
    // The log settings every function shares (retention, what becomes of the logs on removal).
    this.logGroup = logGroupOf(this, 'Logs', props);
    // One function per declared route, named by its operationId: the route table and the functions cannot disagree.
    // Each is granted what its entry in lambdas/manifest/routes.ts says it uses, and nothing else.
    const byName: Record<string, NodeFunction> = {};
    for (const fn of apiFunctionsFor(settings)) {
      const { route, uses } = fn;
      const { operationId: name, access } = route(settings);
      const created = new NodeFunction(this, constructIdOf(name), {
        entry: `lambdas/${handlerModule(fn, settings)}.ts`,
        serviceName: `image-intel-${name}`,
        logGroup: this.logGroup,
        environment: environmentOf(fn, wiring),
        // A data file the code reads beside its bundle (lib/constructs/bundled-data.ts).
        ...('bundledData' in fn && fn.bundledData && { commandHooks: bundledDataHooks(fn.bundledData) }),
      });
      // A route that says it only reads cannot be synthesized with a grant that writes, whichever block adds it.
      if (access === 'read') keepReadOnly(created, name);
      grantUses(created, uses, targets);
      byName[name] = created;
    }
    this.byName = byName;
    const fn = (name: string): NodeFunction => {
      const created = byName[name];
      if (!created) throw new Error(`ApiHandlers: no route in lambdas/manifest/routes.ts has operationId ${name}`);
      return created;
    };
    this.createUpload = fn('create-upload');
    this.listImages = fn('list-images');
    this.getImage = fn('get-image');
    this.deleteImage = fn('delete-image');
    this.similarImages = fn('similar-images');
    this.correctLabels = fn('correct-labels');
    this.reownImage = fn('reown-image');
    this.createRendition = fn('create-rendition');
    this.startBackfill = fn('start-backfill');
    this.listBackfills = fn('list-backfills');
    this.getBackfill = fn('get-backfill');
  }
}

/**
 * A construct id from a kebab-case name (`create-upload` -> `CreateUpload`): a function's from its operationId, a
 * declared table's or queue's from its declaration's name. Its logical id derives from it.
 */
export function constructIdOf(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
