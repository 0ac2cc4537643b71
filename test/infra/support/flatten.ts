import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { TemplateJson } from './synth';

type Json = unknown;

/**
 * A stack's template with its nested stacks' resources in it, as if there were one stack: each nested parameter
 * replaced by the value its parent passes, each of a nested stack's outputs its parent reads replaced by the output's
 * own value, and the nested stacks' resources themselves gone. The tests read a room's function, its grants and its
 * method where the single stack had them; the real templates are checked apart (test/infra/stack-size.test.ts).
 */
export function flattenedTemplate(stack: Stack): TemplateJson {
  const root = Template.fromStack(stack).toJSON() as TemplateJson & { Outputs?: Record<string, { Value: Json }> };
  const nested = stack.node
    .findAll()
    .filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct))
    .filter((child) => child.nestedStackParent === stack);
  const templates = new Map(
    nested.map((child) => {
      const id = stack.resolve(child.nestedStackResource?.logicalId) as string;
      return [id, flattenedTemplate(child) as TemplateJson & { Outputs?: Record<string, { Value: Json }> }];
    }),
  );
  // A nested output read by the parent (`Fn::GetAtt: [<nested stack>, Outputs.<name>]`) becomes its value.
  const outputs = (value: Json): Json =>
    rewrite(value, (node) => {
      const getAtt = (node as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (!getAtt) return undefined;
      const [id, attribute] = getAtt;
      const template = templates.get(id);
      if (!template || !attribute.startsWith('Outputs.')) return undefined;
      const output = template.Outputs?.[attribute.slice('Outputs.'.length)];
      if (!output) throw new Error(`${id} has no output ${attribute}`);
      return outputs(output.Value);
    });
  const resources: TemplateJson['Resources'] = {};
  const add = (id: string, resource: TemplateJson['Resources'][string]) => {
    if (resources[id])
      throw new Error(`two stacks have a resource ${id}: the flattened template cannot tell them apart`);
    resources[id] = resource;
  };
  for (const [id, resource] of Object.entries(root.Resources)) {
    if (templates.has(id)) continue;
    const rewritten = outputs(resource) as TemplateJson['Resources'][string];
    if (Array.isArray(rewritten.DependsOn)) {
      rewritten.DependsOn = (rewritten.DependsOn as string[]).filter((one) => !templates.has(one));
      if ((rewritten.DependsOn as string[]).length === 0) delete rewritten.DependsOn;
    }
    add(id, rewritten);
  }
  for (const [id, template] of templates) {
    const passed = (outputs(root.Resources[id]?.Properties?.Parameters ?? {}) ?? {}) as Record<string, Json>;
    const parameters = (value: Json): Json =>
      rewrite(value, (node) => {
        const ref = (node as { Ref?: string }).Ref;
        return typeof ref === 'string' && ref in passed ? passed[ref] : undefined;
      });
    for (const [childId, resource] of Object.entries(template.Resources)) {
      add(childId, parameters(resource) as TemplateJson['Resources'][string]);
    }
  }
  // Its own outputs may read its nested stacks' too (`Rooms` hands on each room's functions).
  const ownOutputs = root.Outputs && (outputs(root.Outputs) as typeof root.Outputs);
  return { ...root, Resources: resources, ...(ownOutputs && { Outputs: ownOutputs }) };
}

/** A deep copy of a JSON value with each node `replace` answers for replaced (it answers undefined to go on). */
function rewrite(value: Json, replace: (node: object) => Json | undefined): Json {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, replace));
  if (value === null || typeof value !== 'object') return value;
  const replaced = replace(value);
  if (replaced !== undefined) return replaced;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item, replace)]));
}
