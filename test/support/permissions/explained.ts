import { DECLARED_QUEUES } from '../../../lambdas/manifest/resources';

/**
 * Granted actions no call of the code makes, each used by something else and explained in a comment beside its
 * grant (`where`). The unused-grant report leaves these out; anything else it lists is a grant to remove.
 */
export interface UsedElsewhere {
  /** The function (the runner's name); every function when left out. */
  fn?: string;
  action: string;
  /** Part of the granted resource, when only that grant of the action is explained (`thumbnails/`). */
  resource?: string;
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
  // Every declared queue's consumer, whatever the settings: an entry for a function a deployment lacks is never asked.
  ...DECLARED_QUEUES.flatMap((queue) =>
    ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility'].map((action) => ({
      fn: queue.consumer.function,
      action,
      why: `the event source mapping's grantConsumeMessages on the ${queue.name} queue (it reads the queue's attributes when it starts)`,
      where: queue.ownConstruct
        ? `its own construct (lib/constructs/), the ${queue.name} queue's SqsEventSource`
        : 'lib/constructs/declared.ts (DeclaredQueue: SqsEventSource)',
    })),
  ),
  {
    fn: 'delete-album-members',
    action: 'sqs:SendMessage',
    why:
      "only a deleted album of more than a page of members (500) sends the next page's message; this workload's " +
      'albums hold two images (test/integration/albums/album-store.test.ts deletes one of 530 a page at a time)',
    where: "lambdas/albums/room.ts (delete-album-members' uses: declaredSend)",
  },
  {
    fn: 'list-merge-suggestions',
    action: 's3:GetObject',
    why:
      "the covers of the people a suggestion names are signed links to their thumbnails; this workload's two people " +
      'are too far apart to be suggested (test/browser/people-corrections.test.ts makes a suggestion and shows it)',
    where: "lambdas/manifest/routes.ts (list-merge-suggestions' uses: COVERS)",
  },
  ...['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].map((action) => ({
    fn: 'purge-trash',
    action,
    why:
      "a purged image's faces leave their people, by delete-image's own code (lambdas/trash/purge-image.ts), whose " +
      'same calls this workload makes through DELETE ?permanently=true; the image this workload purges has no face',
    where: "lambdas/manifest/manifest.ts (purge-trash's uses: people('remove-image'))",
  })),
  // The search table has one write grant (lambdas/kit/uses.ts `search('write')`): every index writer moves its
  // image's terms through SearchIndex, whose place counter is a transaction that puts a posting or deletes one.
  // Each of these moves a place one way, or not at all, but in a race: a writer's check after its puts takes back
  // what a delete, trash or re-own landing meanwhile left behind, and a move to the trash puts back what a restore
  // meanwhile needs (lambdas/search/index-table.ts); this workload races nothing, test/integration/search/
  // index-races.test.ts races each writer against each remover. So one side of the grant stays unused here.
  ...[
    ['purge-trash', 'dynamodb:PutItem', 'a purge only takes postings away, and a place counter down'],
    [
      'delete-image',
      'dynamodb:PutItem',
      'a delete takes postings away, and a place counter down; a move to the trash puts them back only when a ' +
        'restore raced it',
    ],
    ['restore-image', 'dynamodb:DeleteItem', 'a restore puts postings back, and a place counter up'],
    ['correct-labels', 'dynamodb:DeleteItem', "a label correction leaves the image's place where it is"],
    ['edit-tags', 'dynamodb:DeleteItem', "an owner's edit of its tags leaves the image's place where it is"],
    ['set-date-taken', 'dynamodb:DeleteItem', "an owner's date taken leaves the image's place where it is"],
    ['clear-date-taken', 'dynamodb:DeleteItem', "an owner's date taken dropped leaves the image's place where it is"],
    ['set-favourite', 'dynamodb:DeleteItem', "a favourite marked or unmarked leaves the image's place where it is"],
    ['remove-person-faces', 'dynamodb:DeleteItem', "a face taken out of a person leaves the image's place where it is"],
    ['assign-face', 'dynamodb:DeleteItem', "a face given to a person leaves the image's place where it is"],
    ['draw-face', 'dynamodb:DeleteItem', "a face drawn leaves the image's place where it is"],
    ['merge-people', 'dynamodb:DeleteItem', 'an image re-pointed to the person merged into keeps its place'],
  ].map(([fn, action, why]) => ({
    fn,
    action: action as string,
    why: `${why}, but in a race (above); the grant is the search table's one write grant, both sides of a place's transaction`,
    where: "lambdas/kit/uses.ts (search('write')), lambdas/search/place-counts.ts, lambdas/search/index-table.ts",
  })),
  // The stacks' cleanup (lambdas/stacks/cleanup.ts) runs on the trash's occasion, which grants its uses to every
  // function of that occasion: a restore has no stacks hook (a restored photo comes back on its own).
  ...['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'].map((action) => ({
    fn: 'restore-image',
    action,
    resource: 'Stacks',
    why: 'a restore leaves stacks alone; the grant is the occasion `trash`’s, for the move into the trash and out',
    where: 'lambdas/stacks/cleanup-contract.ts (STACKS_CLEANUP: occasions purge and trash)',
  })),
  // A resolve moves copies to the trash with the trash occasion's cleanups; the workload's copy is in no stack.
  ...['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'].map((action) => ({
    fn: 'resolve-duplicates',
    action,
    resource: 'Stacks',
    why: 'a copy that is a frame of a stack leaves it when the resolve trashes it; the workload resolves one in none',
    where: 'lambdas/stacks/cleanup-contract.ts (STACKS_CLEANUP: occasions purge and trash)',
  })),
  {
    fn: 'resolve-duplicates',
    action: 'dynamodb:GetItem',
    resource: 'Albums',
    why:
      "whether the owner contributes to another owner's album a copy is in (its member item): the workload's copy " +
      "is only in the owner's own album",
    where: 'lambdas/duplicates/carry-over-contract.ts (CARRY_OVER_USES)',
  },
  // A resolve reads each photo's faces (Query, used); it writes people only for a face the owner named on a copy.
  ...['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].map((action) => ({
    fn: 'resolve-duplicates',
    action,
    resource: 'People',
    why:
      "a copy's face its owner named, gave, drew or took out of a person is carried to the kept photo's through the " +
      "people store's corrections; the workload names no face on a copy (test/e2e/duplicates.test.ts and " +
      'test/integration/duplicates/carry-over.test.ts carry one)',
    where: 'lambdas/duplicates/carry-over-contract.ts (CARRY_OVER_USES: the people uses)',
  })),
  {
    fn: 'deliver-webhooks',
    action: 'events:PutEvents',
    why:
      'only when it disables an endpoint (a Webhook Endpoint Disabled event), after a whole retry schedule: these ' +
      'runs keep the default one (27.6 h); test/e2e/webhooks.test.ts shortens it and disables one',
    where: "lambdas/webhooks/room.ts (deliver-webhooks' uses)",
  },
  ...['s3:GetObject', 's3:ListBucket'].map((action) => ({
    fn: 'vision',
    action,
    why:
      'a request that names a stored thumbnail (`bucket`, `key`), as processors before the inline image sent: a ' +
      'deploy updates the vision function before the processor that invokes it, and those still send one meanwhile',
    where: "lambdas/manifest/manifest.ts (the vision function's uses), lambdas/vision/functions/vision/contract.ts",
  })),
  {
    fn: 'processor',
    action: 's3:DeleteObject',
    resource: 'thumbnails/',
    why:
      'only when the record is deleted while a run works: the run takes back the thumbnails it stored (steps/' +
      'thumbnails.ts `undo`), a race test/unit/ingest/functions/processor/whole-run.test.ts stages',
    where: "lambdas/manifest/manifest.ts (the processor's uses)",
  },
  {
    fn: 'processor',
    action: 'dynamodb:GetItem',
    resource: 'LiveTable',
    why:
      "only a second delivery of a Live Photo's MOV reads its item (its upload record is gone, so the MOV is known by " +
      'it); this workload delivers each object once (test/unit/live/live-photos.test.ts takes duplicate deliveries)',
    where: 'lambdas/live/steps/live-contract.ts (LIVE_VIDEO_STEP uses)',
  },
];

/** Whether a granted `action on resource` of `fn` is one of the above. */
export function usedElsewhere(fn: string, grant: string): boolean {
  const action = grant.split(' ')[0];
  return USED_ELSEWHERE.some(
    (entry) =>
      entry.action === action &&
      (entry.fn === undefined || entry.fn === fn) &&
      (entry.resource === undefined || grant.includes(entry.resource)),
  );
}
