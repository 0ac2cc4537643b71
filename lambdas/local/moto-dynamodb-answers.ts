/**
 * moto 5.2 writes a DynamoDB answer through its model-driven serializer, which looks up each of an AttributeValue's
 * ten members by every spelling it knows, at every level of every item: a GetItem of an analysed image's record
 * (4 KB, 160 nested values) took 13 ms, a tenth of a first rendition's whole answer through the runner
 * (bench/renditions/runner.ts). An AttributeValue that is already DynamoDB JSON (moto's own `dynamo_to_dict`) is
 * now written as it is, its binary values (B, BS) still by moto's way: 1.9 ms. And a projection turned the whole
 * item into plain JSON once per path, deep-copying at every level (`to_regular_json`): now once per item, with one
 * copy of each level (7.2 to 0.3 ms for 13 paths), and only the attributes a path starts with (a page of 100 ids
 * from an index turned 100 whole records; bench/moto-calls). What GetItem, Query, Scan and UpdateItem answer is unchanged
 * (compared item for item with every attribute type, binary and nested lists of maps among them).
 * Run inside the launcher (moto-launcher.ts), after its table locks, where `copy` is imported.
 */
export const DYNAMODB_ANSWERS = [
  'import base64',
  'from moto.dynamodb.models.dynamo_type import DynamoType, Item',
  'def _regular(self):',
  '    value = self.value',
  '    if isinstance(value, dict):',
  '        value = {k: v.to_regular_json() if isinstance(v, DynamoType) else copy.deepcopy(v) for k, v in value.items()}',
  '    elif isinstance(value, list):',
  '        value = [v.to_regular_json() if isinstance(v, DynamoType) else copy.deepcopy(v) for v in value]',
  '    else:',
  '        value = copy.deepcopy(value)',
  '    if self.is_binary() and isinstance(value, str):',
  '        value = base64.b64decode(value)',
  '    return {self.type: value}',
  'DynamoType.to_regular_json = _regular',
  'from botocore.utils import merge_dicts',
  'from moto.dynamodb.models.utilities import find_nested_key',
  'from boto3.dynamodb.types import TypeSerializer',
  '_serializer = TypeSerializer()',
  'from moto.dynamodb.models.dynamo_type import deserializer as _deserializer',
  'def _project(self, projection_expressions):',
  "    named = {expr[0].split('[', 1)[0] for expr in projection_expressions if expr}",
  '    whole = {key: _deserializer.deserialize(value.to_regular_json()) for key, value in self.attrs.items() if key in named}',
  '    result = {}',
  '    for expr in projection_expressions:',
  '        merge_dicts(result, find_nested_key(expr, whole))',
  "    return Item(hash_key=self.hash_key, range_key=self.range_key, attrs=_serializer.serialize(result)['M'])",
  'Item.project = _project',
  'from moto.core.serialize import BaseJSONSerializer',
  "_PLAIN = ('S', 'N', 'BOOL', 'NULL')",
  'def _wire(value):',
  '    if not isinstance(value, dict) or len(value) != 1:',
  '        raise LookupError',
  '    (kind, inner), = value.items()',
  "    if kind == 'M' and isinstance(inner, dict):",
  "        return {'M': {k: _wire(v) for k, v in inner.items()}}",
  "    if kind == 'L' and isinstance(inner, list):",
  "        return {'L': [_wire(v) for v in inner]}",
  '    if kind in _PLAIN:',
  '        return {kind: inner}',
  "    if kind in ('SS', 'NS') and isinstance(inner, (list, set, tuple)):",
  '        return {kind: list(inner)}',
  '    raise LookupError',
  '_structure = BaseJSONSerializer._serialize_type_structure',
  'def _attribute_value(self, serialized, value, shape, key):',
  "    if key and shape.name == 'AttributeValue':",
  '        try:',
  '            return self._default_serialize(serialized, _wire(value), shape, key)',
  '        except LookupError:',
  '            pass',
  '    return _structure(self, serialized, value, shape, key)',
  'BaseJSONSerializer._serialize_type_structure = _attribute_value',
];
