import { DECLARED_QUEUES, DECLARED_TABLES, type DeclaredWiring } from '../../lambdas/manifest/resources';
import { mergeWiring } from '../../lambdas/settings/resources';

/**
 * The wiring every declared table and queue makes (what the stack and the runner hand the contracts), each named
 * `<prefix>-<name>` by `name`: a test's wiring spreads it, so a room's new table is in it without the test naming it.
 */
export function declaredWiring(name: (declared: string) => string = (declared) => `test-${declared}`): DeclaredWiring {
  return mergeWiring([
    ...DECLARED_TABLES.map((table) => table.wiring(name(table.name))),
    ...DECLARED_QUEUES.map((queue) => queue.wiring(name(queue.name))),
  ]) as DeclaredWiring;
}
