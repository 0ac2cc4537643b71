/**
 * moto's DynamoDB Query of an index sorts every item of the table by its key before it picks the index key's (and
 * sorts those again by the index's key), sizes each item by copying every nested value at every level, and
 * deep-copies the page it answers before projecting and filtering it. Against the e2e suite's images table (4 KB
 * records) a query of an index took 39 to 55 ms of CPU. The table's items are now gathered unsorted for a query
 * (the index's own sort orders them, by a key every item has), sized without copies, and the page answered from
 * the stored items: projection and filtering make new ones, and the answer is written under the table's lock
 * (moto-launcher.ts), which every write takes. A bench of 1,000 such records in moto itself: 193 -> 31 ms of
 * moto's CPU a query of a page of 100 with a filter and a projection, 109 -> 42 ms a page of 20 whole records
 * (bench/moto-calls/results.md). The items, their order and LastEvaluatedKey are unchanged (compared answer for
 * answer).
 * The same copy hook skips the copies an update makes for nobody (`unread`, DYNAMODB_WRITES, moto-dynamodb-writes.ts).
 * Run inside the launcher (moto-launcher.ts), after its partition query, where `_partition`, `_items` and `Table` are
 * defined.
 */
export const DYNAMODB_QUERIES = [
  'from moto.dynamodb.models.dynamo_type import Item as _StoredItem',
  '_item_copy = _StoredItem.__deepcopy__',
  'def _answer_copy(self, memo):',
  "    if getattr(_partition, 'answering', False) or getattr(_partition, 'unread', False):",
  '        return self',
  '    return _item_copy(self, memo)',
  '_StoredItem.__deepcopy__ = _answer_copy',
  'def _items_any_order(self):',
  "    if not getattr(_partition, 'answering', False) or getattr(_partition, 'only', None) is not None:",
  '        return _items(self)',
  '    found = []',
  '    for held in self.items.values():',
  '        if self.range_key_attr:',
  '            found.extend(held.values())',
  '        else:',
  '            found.append(held)',
  '    return found',
  'Table.all_items = _items_any_order',
  '_query_sorted = Table.query',
  'def _query_answering(self, *args, **kwargs):',
  '    _partition.answering = True',
  '    try:',
  '        return _query_sorted(self, *args, **kwargs)',
  '    finally:',
  '        _partition.answering = False',
  'Table.query = _query_answering',
  'from moto.dynamodb.models.dynamo_type import DynamoType as _Typed',
  'def _utf8(text):',
  "    return len(text if isinstance(text, bytes) else text.encode('utf-8'))",
  'def _size(self):',
  '    kind, value = self.type, self.value',
  "    if kind == 'N':",
  '        return len(str(value))',
  "    if kind == 'SS' or kind == 'BS':",
  '        return sum(_utf8(v) for v in value)',
  "    if kind == 'NS':",
  '        return sum(len(str(v)) for v in value)',
  "    if kind == 'L':",
  '        return sum(v.size() for v in value)',
  "    if kind == 'M':",
  '        return sum(_utf8(k) + (v if type(v) is _Typed else _Typed(v)).size() for k, v in value.items())',
  '    if isinstance(value, bool):',
  '        return 1',
  '    return _utf8(value)',
  '_Typed.size = _size',
];
