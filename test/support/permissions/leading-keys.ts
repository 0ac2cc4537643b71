import type { Need } from './operations';
import type { ResolvedTemplate } from './template';

/**
 * The need with `dynamodb:LeadingKeys` in its context when it names an item (`itemKey`): the value of the table's
 * partition key (its KeySchema's HASH attribute in the template), so a grant limited to some items
 * (`ForAllValues:StringLike` on it, as the backfill's run items) is weighed against the key the call used.
 *
 * A need without the key (a recorded call: the recorder keeps no item keys) is left as it is, and IAM's
 * `ForAllValues` is true of a missing key: such a condition is then not tested, only the action and table.
 */
export function withLeadingKeys(template: ResolvedTemplate, need: Need): Need {
  if (!need.itemKey || !need.action.startsWith('dynamodb:')) return need;
  const table = template
    .resourcesOf('AWS::DynamoDB::Table')
    .find(({ id }) => template.attribute(id, 'Arn') === need.resource.split('/index/')[0]);
  const schema = table?.properties.KeySchema as { AttributeName: string; KeyType: string }[] | undefined;
  const hash = schema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  if (!hash) throw new Error(`${need.resource} is no table of the template with a partition key`);
  const value = need.itemKey[hash];
  // Plain (DocumentClient, Step Functions' JSONPath output) or marshalled (`{ S: '...' }`).
  const leading = typeof value === 'object' && value !== null ? Object.values(value)[0] : value;
  if (leading === undefined) throw new Error(`the key ${JSON.stringify(need.itemKey)} has no ${hash}`);
  return { ...need, context: { ...need.context, 'dynamodb:LeadingKeys': [String(leading)] } };
}
