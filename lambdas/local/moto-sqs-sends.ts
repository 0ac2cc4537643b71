/**
 * moto's SendMessage reads the queue's every attribute to learn one, ContentBasedDeduplication, and three of them are
 * passes over the queue's messages, with a clock read per message: each event the bus puts on a queue its rules
 * target cost a pass over all the messages that queue held (a sampled profile of a whole `npm test` put 6 % of the
 * shared moto's busy time there; 21.6 -> 0.6 ms a send to a queue holding 1,000, bench/moto-calls/results.md). A send
 * (SendMessage, SendMessageBatch, the bus's) now reads that one attribute, on a FIFO queue only; every other reader
 * of the attributes is unchanged, and so is what a send does (test/integration/local/moto-sqs-sends.test.ts). Run
 * inside the launcher (moto-launcher.ts), where `threading` and SQSBackend are imported.
 */
export const SQS_SENDS = [
  'from moto.sqs.models import Queue',
  '_every_attribute = Queue.attributes.fget',
  '_sending = threading.local()',
  'def _attributes_for_send(self):',
  "    if not getattr(_sending, 'on', False):",
  '        return _every_attribute(self)',
  '    if not self.fifo_queue:',
  '        return {}',
  '    deduplication = self.content_based_deduplication',
  "    return {'ContentBasedDeduplication': str(deduplication).lower() if isinstance(deduplication, bool) else deduplication}",
  'Queue.attributes = property(_attributes_for_send)',
  '_send_message = SQSBackend.send_message',
  'def _send_without_counting(self, *args, **kwargs):',
  '    _sending.on = True',
  '    try:',
  '        return _send_message(self, *args, **kwargs)',
  '    finally:',
  '        _sending.on = False',
  'SQSBackend.send_message = _send_without_counting',
];
