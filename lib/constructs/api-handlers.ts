import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { environmentOf } from '../../lambdas/kit/api-function';
import { apiFunctionsFor, handlerModule } from '../../lambdas/manifest/routes';
import type { ApiFunctionsWiring } from '../../lambdas/manifest/wiring';
import type { DeploymentSettings } from '../../lambdas/settings';
import { bundledDataHooks } from './bundled-data';
import { grantUses, type UseTargets } from './grant-uses';
import { type FunctionBasicsProps, logGroupOf, NodeFunction } from './node-function';
import { keepReadOnly } from './read-only';
import { constructIdOf, type RoomStacks } from './room-stacks';

export { constructIdOf } from './room-stacks';

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
  /** Where each function goes: its room's nested stack. */
  readonly rooms: RoomStacks;
}

/** The API functions, each with the variables it reads and exactly the access it uses. */
export class ApiHandlers extends Construct {
  /** Every function by its name (`create-upload`), the `operationId` of its route in `apiFunctionsFor(settings)`. */
  public readonly byName: Readonly<Record<string, NodeFunction>>;
  /**
   * The one log group of every API function, each line saying whose in its `service` (`image-intel-<operationId>`):
   * a group per function was a resource per route, and with every feature on the stack passed CloudFormation's 500
   * resources (docs/deploy.md "Logs").
   */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiHandlersProps) {
    super(scope, id);
    const { settings, wiring, targets, rooms } = props;
    // The log settings every function shares (retention, what becomes of the logs on removal).
    this.logGroup = logGroupOf(this, 'Logs', props);
    // One function per declared route, named by its operationId: the route table and the functions cannot disagree.
    // Each is granted what its entry in lambdas/manifest/routes.ts says it uses, and nothing else.
    const byName: Record<string, NodeFunction> = {};
    const functions = apiFunctionsFor(settings).map((fn) => ({
      fn,
      entry: `lambdas/${handlerModule(fn, settings)}.ts`,
      environment: environmentOf(fn, wiring),
    }));
    // One esbuild build for all of them (lib/constructs/function-bundles.ts), made when the first is staged.
    NodeFunction.expect(this, functions);
    for (const { fn, entry, environment } of functions) {
      const { route, uses } = fn;
      const { operationId: name, access } = route(settings);
      const created = new NodeFunction(rooms.of(fn.room), constructIdOf(name), {
        entry,
        serviceName: `image-intel-${name}`,
        logGroup: this.logGroup,
        environment,
        // A data file the code reads beside its bundle (lib/constructs/bundled-data.ts).
        ...('bundledData' in fn && fn.bundledData && { commandHooks: bundledDataHooks(fn.bundledData) }),
      });
      // A route that says it only reads cannot be synthesized with a grant that writes, whichever block adds it.
      if (access === 'read') keepReadOnly(created, name);
      grantUses(created, uses, targets);
      byName[name] = created;
    }
    this.byName = byName;
  }

  /** The function of the route with this operationId (`create-upload`); refused if this deployment has none. */
  named(operationId: string): NodeFunction {
    const created = this.byName[operationId];
    if (!created) throw new Error(`ApiHandlers: no route of this deployment has operationId ${operationId}`);
    return created;
  }
}
