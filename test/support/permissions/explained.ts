/**
 * Granted actions no call of the code makes, each used by something else and explained in a comment beside its
 * grant (`where`). The unused-grant report leaves these out; anything else it lists is a grant to remove.
 */
export interface UsedElsewhere {
  /** The function (the runner's name); every function when left out. */
  fn?: string;
  action: string;
  why: string;
  where: string;
}

export const USED_ELSEWHERE: readonly UsedElsewhere[] = [
  ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
    action,
    why: "the Lambda runtime writes the function's log lines to its log group",
    where: 'lib/constructs/node-function.ts (the log group), lib/constructs/vision.ts',
  })),
  ...['xray:PutTraceSegments', 'xray:PutTelemetryRecords'].map((action) => ({
    action,
    why: 'the Lambda runtime sends the traces of active tracing',
    where: 'lib/constructs/node-function.ts (tracing: ACTIVE), lib/constructs/vision.ts',
  })),
  ...['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility'].flatMap((action) => [
    {
      fn: 'processor',
      action,
      why: "the event source mapping's grantConsumeMessages (it reads the queue's attributes when it starts)",
      where: 'lib/constructs/image-processor.ts (SqsEventSource)',
    },
    {
      fn: 'deliver-webhooks',
      action,
      why: "the event source mapping's grantConsumeMessages on the webhooks' queue",
      where: 'lib/constructs/webhooks.ts (SqsEventSource)',
    },
    {
      fn: 'purge-trash',
      action,
      why: "the event source mapping's grantConsumeMessages on the trash queue",
      where: 'lib/constructs/trash.ts (SqsEventSource)',
    },
  ]),
  {
    fn: 'list-merge-suggestions',
    action: 's3:GetObject',
    why:
      "the covers of the people a suggestion names are signed links to their thumbnails; this workload's two people " +
      'are too far apart to be suggested (test/browser/people-corrections.test.ts makes a suggestion and shows it)',
    where: "lambdas/functions/routes.ts (list-merge-suggestions' uses: COVERS)",
  },
  ...['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].map((action) => ({
    fn: 'purge-trash',
    action,
    why:
      "a purged image's faces leave their people, by delete-image's own code (lambdas/images/delete-image.ts), whose " +
      'same calls this workload makes through DELETE ?permanently=true; the image this workload purges has no face',
    where: "lambdas/functions/manifest.ts (purge-trash's uses: people('remove-image'))",
  })),
  {
    fn: 'purge-trash',
    action: 'dynamodb:PutItem',
    why:
      "the search table's one write grant: a purge only takes postings away, and a place's counter down (an Update " +
      'and a Delete in its transaction); the Put adds a posting, as every other index writer does',
    where:
      "lib/constructs/search-table.ts (grantWrite), lambdas/functions/manifest.ts (purge-trash's uses: search('write'))",
  },
  {
    fn: 'deliver-webhooks',
    action: 'events:PutEvents',
    why:
      'only when it disables an endpoint (a Webhook Endpoint Disabled event), after a whole retry schedule: these ' +
      'runs keep the default one (27.6 h); test/e2e/webhooks.test.ts shortens it and disables one',
    where: "lambdas/functions/manifest.ts (deliver-webhooks' uses)",
  },
];

/** Whether a granted `action on resource` of `fn` is one of the above. */
export function usedElsewhere(fn: string, grant: string): boolean {
  const action = grant.split(' ')[0];
  return USED_ELSEWHERE.some((entry) => entry.action === action && (entry.fn === undefined || entry.fn === fn));
}
