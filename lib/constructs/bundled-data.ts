import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { BundledData } from '../../lambdas/kit/processor-step-contract';
import type { DeploymentSettings } from '../../lambdas/settings';
import { withPlacesData } from './places-bundling';
import { withC2paModule, withTrustAnchors } from './provenance-bundling';
import { withWatermarks } from './watermark-bundling';

/**
 * What a data file's copy needs of the function it goes into: its scope (to name it in an error) and the settings
 * that name the files (the trust anchors, the watermarks the eager presets draw). A file every deployment has the
 * same (the places data, c2pa-rs's module) needs neither.
 */
export interface BundledDataContext {
  readonly scope: Construct;
  readonly settings: Pick<DeploymentSettings, 'provenanceTrustAnchors' | 'watermarks' | 'renditionPresets'>;
}

type Copy = (hooks: ICommandHooks | undefined, context: BundledDataContext | undefined) => ICommandHooks;

/** What copies each data file a function reads beside its bundle, by the name its declaration gives it. */
const BUNDLED_DATA: Record<BundledData, Copy> = {
  places: (hooks) => withPlacesData(hooks),
  c2pa: (hooks) => withC2paModule(hooks),
  'trust-anchors': (hooks, context) =>
    withTrustAnchors(needed(context, 'trust-anchors').scope, context?.settings.provenanceTrustAnchors, hooks ?? none()),
  'eager-watermarks': (hooks, context) => {
    const { scope, settings } = needed(context, 'eager-watermarks');
    return withWatermarks(scope, eagerWatermarks(settings), hooks);
  },
};

/** The bundling hooks that put a function's data file in its asset, after whatever else `hooks` do. */
export function bundledDataHooks(
  data: BundledData,
  hooks?: ICommandHooks,
  context?: BundledDataContext,
): ICommandHooks {
  return BUNDLED_DATA[data](hooks, context);
}

function needed(context: BundledDataContext | undefined, data: BundledData): BundledDataContext {
  if (!context) throw new Error(`the bundled data ${data} is named by the settings: give its function's`);
  return context;
}

function none(): ICommandHooks {
  return { beforeBundling: () => [], beforeInstall: () => [], afterBundling: () => [] };
}

/** The watermarks an eager preset draws: the processor reads those only, the render function every one. */
function eagerWatermarks(settings: BundledDataContext['settings']): DeploymentSettings['watermarks'] {
  const drawn = new Set(
    Object.values(settings.renditionPresets).flatMap((p) => (p.eager && p.watermark ? [p.watermark] : [])),
  );
  return Object.fromEntries(Object.entries(settings.watermarks).filter(([name]) => drawn.has(name)));
}
