import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PLACES_ASSET_PATH } from '../../lambdas/places/data-contract';
import { REPO_ROOT } from './node-function';
import { withCopy } from './watermark-bundling';

/** The places data file (lambdas/places/data/places.bin, `npm run places:data`). */
export const PLACES_DATA_FILE = path.join(REPO_ROOT, 'lambdas/places', PLACES_ASSET_PATH);

/**
 * A function that names places (openGeocoder) reads the data file beside its bundle, at `PLACES_ASSET_PATH`: after
 * esbuild, copy it there, after whatever else `hooks` do. In the asset rather than a layer or S3: it is 7.5 MB,
 * versioned with the code that reads it, and read once per container with no call and no permission.
 */
export function withPlacesData(hooks: ICommandHooks | undefined): ICommandHooks {
  return withCopy(hooks, PLACES_DATA_FILE, PLACES_ASSET_PATH);
}
