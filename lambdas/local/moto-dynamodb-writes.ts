/**
 * moto's UpdateItem deep-copies the stored item twice before it changes it: the handler's copy, for the return
 * values, and the backend's, for the table's stream. With `ReturnValues` NONE (the default) on a table with no stream
 * neither copy is read: the update is marked `unread`, and the stored item's copy hook (DYNAMODB_QUERIES,
 * moto-dynamodb-queries.ts) hands back the item itself meanwhile. A sixth of the processor's 4 KB record write: 42 ->
 * 35 ms of moto's CPU (bench/moto-calls/results.md). The item written and the answer are unchanged
 * (test/integration/local/moto-dynamodb-answers.test.ts). Run inside the launcher (moto-launcher.ts), after
 * DYNAMODB_QUERIES, where `_partition` is defined.
 */
export const DYNAMODB_WRITES = [
  'from moto.dynamodb.responses import DynamoHandler',
  '_update_handler = DynamoHandler.update_item',
  'def _update_unread(self):',
  "    table = self.dynamodb_backend.tables.get(self.body.get('TableName'))",
  "    _partition.unread = table is not None and table.stream_shard is None and self.body.get('ReturnValues', 'NONE') == 'NONE'",
  '    try:',
  '        return _update_handler(self)',
  '    finally:',
  '        _partition.unread = False',
  'DynamoHandler.update_item = _update_unread',
];
