import type { RunnerProcessOptions } from '../../support/runner-process';
import type { ProfileName } from '../../support/runner-profiles';
import { bannerStart, npmStartBanner } from './banner';
import type { Block } from './blocks';
import { cutArrays } from './cuts';
import { canonicalForms, specErrors } from './library';

/*
 * Every example block of the docs, by its id, in the session that makes its output: a local runner (shared by the
 * sessions next to each other that want the same one, emptied before each, or the jest run's runner of a profile:
 * runners.ts), the shell commands that set the scene, then the blocks in order. A block's commands are run as
 * written, so what it shows is what the code answers now.
 */

export interface Example {
  /** The `[example ID]` of the block's comment. */
  id: string;
  /** The block's output made otherwise than by running its commands in the shell (library calls, the banner). */
  produce?: (block: Block) => Promise<string[]> | string[];
  /** What the doc leaves out of a command's output (its comment says so): applied to the fresh output. */
  cut?: (output: string, command: number) => string;
  /** Shell commands to run after the block's command number `command` (what the doc says it did in between). */
  after?: { command: number; run: (output: string) => string };
}

/** A setup step: shell commands, run before the next example. */
export type Step = Example | { setup: string };

export interface Session {
  name: string;
  /** The runner it needs (`npm start` with these flags), if any. */
  runner?: RunnerProcessOptions;
  /**
   * Or the jest run's shared runner of this profile, whose settings give the doc's output although it has others
   * besides (the session says why), on which the session keeps to users or images of its own.
   */
  profile?: ProfileName;
  /** Why it needs a runner started for it although the session before it has one of its configuration. */
  ownRunner?: string;
  steps: Step[];
}

/** `npm start`'s default inference, and the backfill examples' source bucket (no other example's output shows it). */
const OFFLINE: RunnerProcessOptions = { args: ['--inference', 'offline', '-c', 'sourceBuckets=old-photos'] };
/** No processor, and the source bucket of the backfill examples: one runner for both no-processor sessions. */
const NO_PROCESSOR: RunnerProcessOptions = { args: ['-c', 'sourceBuckets=old-photos', '--no-processor'] };
const upload = (files: string) => `npx image-intel upload --api $API ${files} > /dev/null`;
/** The same, keeping a file whose bytes are already there (the examples of near copies show the duplicate). */
const uploadKeeping = (files: string) => `npx image-intel upload --api $API --duplicates keep ${files} > /dev/null`;

export const SESSIONS: Session[] = [
  {
    name: 'the CLI and the library, no runner',
    steps: [
      { id: 'readme-analyze' },
      { id: 'local-render' },
      { id: 'record-cli', cut: (output) => cutArrays(output, { palette: 2, thumbnails: 1 }) },
      { id: 'record-rejected' },
      { id: 'vision-offline' },
      { id: 'renditions-errors', produce: (block) => specErrors(block.body) },
      { id: 'renditions-canonical', produce: (block) => canonicalForms(block.body) },
    ],
  },
  {
    name: 'npm start, its banner',
    steps: [
      { id: 'local-banner', produce: npmStartBanner },
      { id: 'readme-banner', produce: bannerStart },
    ],
  },
  {
    name: 'a runner with the source bucket old-photos: a backfill of 2019/ through the API',
    // First on its runner: a runner keeps the backfill runs it has seen in memory, and GET /backfills shows this one.
    runner: OFFLINE,
    steps: [
      {
        setup: [
          'aws --endpoint-url $EP s3 mb s3://old-photos > /dev/null',
          'for f in pier kite boats; do aws --endpoint-url $EP s3 cp test/fixtures/photos/$f.jpg s3://old-photos/2019/ > /dev/null; done',
          'echo "not an image" | aws --endpoint-url $EP s3 cp - s3://old-photos/2019/notes.txt',
          'aws --endpoint-url $EP s3api put-object --bucket old-photos --key 2019/scans/ > /dev/null',
        ].join('; '),
      },
      {
        id: 'api-backfill',
        // The doc's `$ID` is the run the POST started, asked for once it is done.
        after: {
          command: 0,
          run: (output) =>
            `ID=${JSON.parse(output).id}; until curl -s $API/backfills/$ID | jq -e .done > /dev/null; do sleep 1; done`,
        },
      },
    ],
  },
  {
    name: 'a fresh runner: an upload form, pier.jpg, its record, renditions, delete, labels',
    runner: OFFLINE,
    steps: [
      { id: 'api-upload-form' },
      { id: 'api-upload-cli' },
      { id: 'api-list' },
      {
        setup: `CURSOR=$(curl -s "$API/images?limit=1" | jq -r .cursor); ID=$(curl -s "$API/images?limit=1" | jq -r '.items[0].imageId')`,
      },
      { id: 'api-list-cursor' },
      { id: 'record-api', cut: (output) => cutArrays(output, { palette: 1, thumbnails: 1 }) },
      { id: 'api-renditions-card' },
      { id: 'readme-rendition' },
      { id: 'api-renditions' },
      { id: 'api-delete' },
      { id: 'local-renditions' },
      { id: 'api-errors' },
      { setup: 'ID=$(npx image-intel upload --api $API test/fixtures/vision/cup-coffee.jpg | jq -r .imageId)' },
      { id: 'api-labels' },
    ],
  },
  {
    name: 'a fresh runner: every vision fixture and fixture photo, searched',
    runner: OFFLINE,
    steps: [
      { setup: upload('test/fixtures/vision/* test/fixtures/photos/*') },
      { id: 'readme-search' },
      { id: 'api-search' },
      { id: 'local-search' },
    ],
  },
  {
    name: 'a fresh runner: an event, pier.jpg and its near copies',
    runner: OFFLINE,
    steps: [
      // As in an emulator used before: another photo's event waits in the subscriber queue, ahead of this one's.
      { setup: upload('test/fixtures/photos/kite.jpg') },
      { setup: 'ID=$(npx image-intel upload --api $API test/fixtures/vision/cat-chelsea.jpg | jq -r .imageId)' },
      { id: 'events-processed' },
      { setup: 'ID=$(npx image-intel upload --api $API test/fixtures/photos/pier.jpg | jq -r .imageId)' },
      { id: 'api-get-urls' },
      {
        setup: [
          'SMALL=$DOCS_TMP/pier-640.jpg',
          `node -e "require('sharp')('test/fixtures/photos/pier.jpg').resize(640).jpeg({ quality: 70 }).toFile('$SMALL')"`,
          uploadKeeping('$SMALL test/fixtures/photos/pier.jpg test/fixtures/photos/leaf.jpg'),
        ].join('; '),
      },
      { id: 'api-similar' },
    ],
  },
  {
    name: 'a fresh runner: the README session, image-intel similar and smoke',
    runner: OFFLINE,
    steps: [
      // As in an emulator used before: another photo's event waits in the subscriber queue, ahead of the README's.
      { setup: upload('test/fixtures/photos/kite.jpg') },
      { id: 'readme-try-it' },
      {
        setup: [
          'ID=$(npx image-intel upload --api $API test/fixtures/photos/pier.jpg | jq -r .imageId)',
          'LONGER=$DOCS_TMP/pier.jpg; cp test/fixtures/photos/pier.jpg $LONGER; printf x >> $LONGER',
          uploadKeeping('test/fixtures/photos/pier.jpg $LONGER'),
        ].join('; '),
      },
      { id: 'local-similar' },
      { id: 'local-smoke' },
    ],
  },
  {
    name: 'a runner with the source bucket old-photos: a backfill of the bucket, twice',
    runner: OFFLINE,
    steps: [
      { id: 'local-backfill-errors' },
      {
        setup: [
          'aws --endpoint-url $EP s3 mb s3://old-photos > /dev/null',
          // The images through one AWS CLI, not one each: twenty of its starts took minutes of a loaded machine.
          'OLD=$DOCS_TMP/old-photos; mkdir $OLD',
          'cp test/fixtures/photos/*.jpg test/fixtures/formats/* test/fixtures/vision/{cat-chelsea,cup-coffee,illustration-dragon}.jpg $OLD/',
          'aws --endpoint-url $EP s3 cp --recursive $OLD s3://old-photos/ > /dev/null',
          'echo "not an image" | aws --endpoint-url $EP s3 cp - s3://old-photos/notes.txt',
        ].join('; '),
      },
      { id: 'local-backfill' },
    ],
  },
  {
    // The shared `open` runner: auth none and the doc's presets (FIXED_PRESETS). Its other settings show in none of
    // the output, which is of this image alone. Uploaded keeping a duplicate: every file on `open` is the owner
    // `local`, and e2e/backfill-newcomer's pier.jpg is not this session's to delete (on a fresh runner, the same).
    name: 'a runner whose card preset is public',
    profile: 'open',
    steps: [
      {
        setup:
          'ID=$(npx image-intel upload --api $API --duplicates keep test/fixtures/photos/pier.jpg | jq -r .imageId)',
      },
      { id: 'renditions-public' },
    ],
  },
  {
    // The shared `offline-fixed` runner (jwt; not the `jwt` one, whose queue takes e2e's burst of 60 uploads while
    // readme-owners waits for its two): its users alice, bob and root are these examples' alone (a test file's are
    // fileUser's), so each list shows what it shows on a fresh emulator, alice's empty at first. Its other settings
    // show in none of the output.
    name: 'a runner with --auth jwt, its users alice, bob and root as on a fresh one',
    profile: 'offline-fixed',
    steps: [{ id: 'local-token' }, { id: 'readme-owners' }],
  },
  {
    // The next session's runner (a source bucket its output does not show), started for this one: what smoke
    // shows of the queue is a fresh runner's (the s3:TestEvent of its bucket notification).
    name: 'a runner with --no-processor',
    runner: NO_PROCESSOR,
    steps: [{ id: 'local-smoke-pending' }],
  },
  {
    name: 'a runner with the source bucket old-photos and no processor: a backfill refused while another is not done',
    // No processor: the first run's objects stay queued, so it is not done whatever the machine's pace.
    runner: NO_PROCESSOR,
    steps: [
      {
        setup: [
          'aws --endpoint-url $EP s3 mb s3://old-photos > /dev/null',
          'for f in pier kite boats; do aws --endpoint-url $EP s3 cp test/fixtures/photos/$f.jpg s3://old-photos/2019/ > /dev/null; done',
        ].join('; '),
      },
      {
        id: 'api-backfill-overlap',
        // The doc shows the first run once its execution has queued everything (SUCCEEDED, objects in flight).
        after: {
          command: 0,
          run: (output) =>
            `ID=${output.trim()}; until curl -s $API/backfills/$ID | jq -e '.status == "SUCCEEDED"' > /dev/null; do sleep 1; done`,
        },
      },
    ],
  },
];

/** Why a block that shows output is not checked, by file and the line its fence opens on: none today. */
export const UNCHECKED: Array<{ file: string; fence: number; why: string }> = [];
