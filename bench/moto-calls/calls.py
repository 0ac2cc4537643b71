"""
The DynamoDB calls that cost the local emulator most, made against moto in this process with a launcher's patches
applied (the file named by argv[1]: the launcher's text without its last two lines, which start the server).

Prints one JSON line: moto's CPU milliseconds a call for each kind (not the boto3 client's), and a SHA-1 of the answers to a fixed set of reads, so
two launchers can be shown to answer alike. Run by main.ts; see README.md.
"""
import copy, hashlib, json, os, sys, time

sys.setrecursionlimit(10000)
exec(open(sys.argv[1]).read())
ITEMS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
HERE = os.path.dirname(os.path.abspath(__file__))

import boto3
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

# moto's own time: from the request handed to it to the answer it gives back (the boto3 client's work is not counted).
in_moto = [0.0]
_process_request = BotocoreStubber.process_request
def _timed(self, *args, **kwargs):
    start = time.process_time()
    try:
        return _process_request(self, *args, **kwargs)
    finally:
        in_moto[0] += time.process_time() - start
BotocoreStubber.process_request = _timed

record_write = json.load(open(os.path.join(HERE, 'requests', 'record-write.json')))
band_post = json.load(open(os.path.join(HERE, 'requests', 'band-post.json')))

with mock_aws():
    db = boto3.client('dynamodb', region_name='us-east-1')
    strings = lambda *names: [{'AttributeName': n, 'AttributeType': 'S'} for n in names]
    db.create_table(
        TableName='images', AttributeDefinitions=strings('imageId', 'part', 'at'), BillingMode='PAY_PER_REQUEST',
        KeySchema=[{'AttributeName': 'imageId', 'KeyType': 'HASH'}],
        GlobalSecondaryIndexes=[{
            'IndexName': 'byPart', 'Projection': {'ProjectionType': 'ALL'},
            'KeySchema': [{'AttributeName': 'part', 'KeyType': 'HASH'}, {'AttributeName': 'at', 'KeyType': 'RANGE'}],
        }],
    )
    db.create_table(
        TableName='bands', AttributeDefinitions=strings('pk', 'sk'), BillingMode='PAY_PER_REQUEST',
        KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
    )

    def write(i, again=False):
        """The processor's write of an analysed record (captured from the e2e suite), under image i, in part i % 16."""
        call = copy.deepcopy(record_write)
        call['TableName'] = 'images'
        call['Key'] = {'imageId': {'S': 'img%06d' % i}}
        call['UpdateExpression'] = call['UpdateExpression'].replace('SET ', 'SET part = :part, #at = :at, ', 1)
        call['ExpressionAttributeNames']['#at'] = 'at'
        call['ExpressionAttributeValues'][':part'] = {'S': 'p%d' % (i % 16)}
        call['ExpressionAttributeValues'][':at'] = {'S': '%06d' % i}
        if again:
            call['ExpressionAttributeValues'][':etag'] = {'S': 'another upload'}
        db.update_item(**call)

    def post(i):
        """The duplicates step's post of two window hashes under a band value (captured), 300 values in turn."""
        call = copy.deepcopy(band_post)
        call['TableName'] = 'bands'
        call['Key'] = {'pk': {'S': 'band%d' % (i % 300)}, 'sk': {'S': 'B'}}
        call['ExpressionAttributeValues'][':entries'] = {'SS': ['img%06d/0/abc' % i, 'img%06d/5/def' % i]}
        db.update_item(**call)

    page_ids = lambda i: db.query(
        TableName='images', IndexName='byPart', Limit=100, ProjectionExpression='imageId',
        FilterExpression='updatedAt <= :by', KeyConditionExpression='part = :part',
        ExpressionAttributeValues={':part': {'S': 'p%d' % (i % 16)}, ':by': {'S': '2999'}})
    page_records = lambda i: db.query(
        TableName='images', IndexName='byPart', Limit=20, ScanIndexForward=False,
        KeyConditionExpression='part = :part AND #at < :before', ExpressionAttributeNames={'#at': 'at'},
        ExpressionAttributeValues={':part': {'S': 'p%d' % (i % 16)}, ':before': {'S': '999999'}})
    get = lambda i: db.get_item(TableName='images', Key={'imageId': {'S': 'img%06d' % (i % ITEMS)}})

    for i in range(ITEMS):
        db.put_item(TableName='images', Item={'imageId': {'S': 'img%06d' % i}, 'status': {'S': 'PENDING'}})
        write(i)

    # A queue the bus's rules target, holding what nobody has read yet (as an event collector's does), and a FIFO
    # queue that deduplicates by content.
    sqs = boto3.client('sqs', region_name='us-east-1')
    held = sqs.create_queue(QueueName='held')['QueueUrl']
    for i in range(0, ITEMS, 10):
        sqs.send_message_batch(QueueUrl=held, Entries=[{'Id': str(n), 'MessageBody': 'event %d' % (i + n)} for n in range(10)])
    fifo = sqs.create_queue(QueueName='once.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
    event = lambda i: sqs.send_message(QueueUrl=held, MessageBody='{"detail-type": "Image Processed", "n": %d}' % i)

    def cpu_ms(call, count):
        start = in_moto[0]
        for i in range(count):
            call(i)
        return round(1000 * (in_moto[0] - start) / count, 2)

    figures = {
        'record write (UpdateItem, 4 KB record)': cpu_ms(lambda i: write(i, again=True), 200),
        'band post (UpdateItem ADD, condition)': cpu_ms(post, 1000),
        'index page of 100 ids (Query, filter, projection)': cpu_ms(page_ids, 50),
        'index page of 20 records (Query, range, backwards)': cpu_ms(page_records, 50),
        'record read (GetItem)': cpu_ms(get, 300),
        'event to a queue holding 1,000 (SendMessage)': cpu_ms(event, 300),
    }
    first = lambda **more: db.query(TableName='images', IndexName='byPart', Limit=5, KeyConditionExpression='part = :s',
                                    ExpressionAttributeValues={':s': {'S': 'p5'}}, **more)
    answers = [
        page_records(3), page_ids(2), first(), first(ExclusiveStartKey=first()['LastEvaluatedKey']),
        get(7), db.scan(TableName='bands'), db.scan(TableName='images', Limit=30),
        db.update_item(TableName='images', Key={'imageId': {'S': 'img000009'}}, UpdateExpression='SET #s = :s',
                       ExpressionAttributeNames={'#s': 'status'}, ExpressionAttributeValues={':s': {'S': 'GONE'}},
                       ReturnValues='ALL_OLD'),
        get(9),
        sqs.get_queue_attributes(QueueUrl=held, AttributeNames=['ApproximateNumberOfMessages']),
        [sqs.send_message(QueueUrl=fifo, MessageBody='same', MessageGroupId='g')['MessageId'] for _ in range(2)],
        sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=['ApproximateNumberOfMessages']),
    ]
    # Message ids are random: the FIFO queue's answer is whether the second send was the first's.
    answers[-2] = answers[-2][0] == answers[-2][1]
    for answer in answers:
        if isinstance(answer, dict):
            answer.pop('ResponseMetadata', None)
    digest = hashlib.sha1(json.dumps(answers, sort_keys=True, default=str).encode()).hexdigest()
    print(json.dumps({'items': ITEMS, 'ms': figures, 'answers': digest}))
