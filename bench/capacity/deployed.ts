/**
 * What a deployment with these settings would configure, read from the synthesized stack (asset bundling skipped,
 * as in the infra tests) rather than restated: the processor's memory and event source, the create-upload
 * function's memory, the API stage's throttle.
 */
import { synth, type TemplateJson } from '../../test/infra/support/synth';
import type { Deployed } from './model';

type Resource = TemplateJson['Resources'][string];

function only(json: TemplateJson, type: string, what: string, match: (r: Resource) => boolean = () => true): Resource {
  const found = Object.values(json.Resources).filter((r) => r.Type === type && match(r));
  if (found.length !== 1) throw new Error(`expected one ${what} in the template, found ${found.length}`);
  return found[0] as Resource;
}

/** The function a reference (`{ Ref: id }`, `Fn::GetAtt`, or a string holding either) points at. */
function functionIn(json: TemplateJson, reference: unknown): Resource {
  const text = JSON.stringify(reference);
  const id = Object.keys(json.Resources).find(
    (key) => json.Resources[key]?.Type === 'AWS::Lambda::Function' && text.includes(`"${key}"`),
  );
  if (!id) throw new Error(`no function referenced by ${text.slice(0, 200)}`);
  return json.Resources[id] as Resource;
}

/** The deployed configuration for these context values (`-c key=value`). */
export function deployedConfiguration(context: Record<string, unknown>): Deployed & { source: string } {
  const { json } = synth(context);
  const mapping = only(json, 'AWS::Lambda::EventSourceMapping', 'SQS event source').Properties ?? {};
  const processor = functionIn(json, mapping.FunctionName);
  // POST /uploads: the POST whose integration calls the create-upload function (POST .../renditions is another).
  const createUpload = only(json, 'AWS::ApiGateway::Method', 'POST /uploads method', (r) => {
    const props = r.Properties ?? {};
    return props.HttpMethod === 'POST' && JSON.stringify(props.Integration ?? {}).includes('CreateUpload');
  });
  const apiFunction = functionIn(json, createUpload.Properties?.Integration);
  const stage = only(json, 'AWS::ApiGateway::Stage', 'API stage').Properties ?? {};
  const settings = (stage.MethodSettings as { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }[]) ?? [];
  const throttle = settings.find((s) => s.ThrottlingRateLimit !== undefined);
  return {
    processorMemoryMb: Number(processor.Properties?.MemorySize),
    apiMemoryMb: Number(apiFunction.Properties?.MemorySize),
    batchSize: Number(mapping.BatchSize),
    maxConcurrency: Number((mapping.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency),
    stageRateLimit: throttle?.ThrottlingRateLimit ?? Number.POSITIVE_INFINITY,
    stageBurstLimit: throttle?.ThrottlingBurstLimit ?? Number.POSITIVE_INFINITY,
    source: `the stack synthesized with ${JSON.stringify(context)} (bundling skipped)`,
  };
}
