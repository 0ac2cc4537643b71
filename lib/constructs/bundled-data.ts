import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundledData } from '../../lambdas/manifest/api-function';
import { withPlacesData } from './places-bundling';

/** What copies each data file a function reads beside its bundle, by the name its manifest entry gives it. */
const BUNDLED_DATA: Record<BundledData, (hooks: ICommandHooks | undefined) => ICommandHooks> = {
  places: (hooks) => withPlacesData(hooks),
};

/** The bundling hooks that put a function's data file in its asset, after whatever else `hooks` do. */
export function bundledDataHooks(data: BundledData, hooks?: ICommandHooks): ICommandHooks {
  return BUNDLED_DATA[data](hooks);
}
