import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { THUMBNAIL_PREFIX } from '../store/keys';
import { PEOPLE_CLEANUP } from './cleanup-contract';
import { route as assignFace } from './functions/assign-face/route';
import { route as deletePerson } from './functions/delete-person/route';
import { route as dismissMergeSuggestion } from './functions/dismiss-merge-suggestion/route';
import { route as drawFace } from './functions/draw-face/route';
import { route as getPerson } from './functions/get-person/route';
import { route as listMergeSuggestions } from './functions/list-merge-suggestions/route';
import { route as listPeople } from './functions/list-people/route';
import { route as mergePeople } from './functions/merge-people/route';
import {
  PeopleEnvSchema,
  PeopleIndexEnvSchema,
  peopleEnvironment,
  peopleIndexEnvironment,
} from './functions/people-contract';
import { route as removePersonFaces } from './functions/remove-person-faces/route';
import { route as renamePerson } from './functions/rename-person/route';
import { FOLLOW_MERGES_STEP, PEOPLE_STEP } from './steps/people-contract';
import { PEOPLE_TABLE } from './table-design';

/** The thumbnails a person's cover links to, by presigned GETs signed with the route's role. */
const COVERS = uses.objects(THUMBNAIL_PREFIX, 's3:GetObject');
/**
 * A cover checked against its photo's record (shown-covers.ts): the records by key; when it is in the trash or the
 * locked folder, the person (its merged ids) and its faces by person, and their records.
 */
const SHOWN_COVERS = [uses.resultsItems('BatchGetItem'), uses.peopleItems('GetItem', 'Query')];
/** A face given to a person, or drawn: the people items it reads and writes, then the record and its postings. */
const FACE_EDIT_USES = [
  COVERS,
  uses.peopleItems('GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'PutItem'),
  uses.resultsItems('GetItem', 'UpdateItem'),
  uses.search('write'),
];

/**
 * The people routes (docs/people.md): a deployment has them only with `faceGrouping` on, and has no people table
 * otherwise. Their environment needs the wiring's `peopleTableName`. Each uses only the people table's actions it
 * sends, and the thumbnails its answer's cover links to (presigned GETs, signed with its role).
 */
const PEOPLE_ROUTES = [
  {
    room: 'people',
    route: listPeople,
    environmentFor: peopleEnvironment,
    envSchema: PeopleEnvSchema,
    // A page of people: the listing index's shards; then SHOWN_COVERS.
    uses: [COVERS, uses.people('listing'), ...SHOWN_COVERS],
  },
  {
    room: 'people',
    route: getPerson,
    environmentFor: peopleEnvironment,
    envSchema: PeopleEnvSchema,
    // A person, and the person a merged id now is: items by key; then SHOWN_COVERS.
    uses: [COVERS, uses.peopleItems('GetItem'), ...SHOWN_COVERS],
  },
  {
    room: 'people',
    route: renamePerson,
    environmentFor: peopleEnvironment,
    envSchema: PeopleEnvSchema,
    // Read the person, then a conditional update of its name; then each word of the name filed for the search box.
    uses: [COVERS, uses.peopleItems('GetItem', 'UpdateItem', 'PutItem')],
  },
  {
    room: 'people',
    route: mergePeople,
    environmentFor: peopleIndexEnvironment,
    envSchema: PeopleIndexEnvSchema,
    // Read the target and its sources, then one transaction of conditional updates (person-merge.ts); then the
    // merged people's faces listed by person, each image's record re-pointed to the target with its postings, and
    // the target told they are (merged-images.ts, merge-people.ts).
    uses: [
      COVERS,
      uses.peopleItems('GetItem', 'UpdateItem', 'Query'),
      uses.resultsItems('GetItem', 'UpdateItem'),
      uses.search('write'),
    ],
  },
  {
    room: 'people',
    route: removePersonFaces,
    environmentFor: peopleIndexEnvironment,
    envSchema: PeopleIndexEnvSchema,
    // The image's faces read, each taken out of its person with its correction; then the image's record and its
    // `person=` postings follow (face-corrections.ts, remove-person-faces.ts).
    uses: [COVERS, uses.people('correct-faces'), uses.resultsItems('GetItem', 'UpdateItem'), uses.search('write')],
  },
  {
    room: 'people',
    route: assignFace,
    environmentFor: peopleIndexEnvironment,
    envSchema: PeopleIndexEnvSchema,
    // The image's record read; the face, its person and the target read, then one transaction of conditional writes
    // (face-assignment.ts: the emptied person deleted, its merged ids after it; a new person's name words put); then
    // the record's `people` and its `person=` postings follow (face-api.ts). No Rekognition call: a ref is a put.
    uses: FACE_EDIT_USES,
  },
  {
    room: 'people',
    route: drawFace,
    environmentFor: peopleIndexEnvironment,
    envSchema: PeopleIndexEnvSchema,
    // As assign-face, the image's faces queried first for a free index.
    uses: FACE_EDIT_USES,
  },
  {
    room: 'people',
    route: deletePerson,
    environmentFor: peopleEnvironment,
    envSchema: PeopleEnvSchema,
    // Read the person, then one conditional update: it becomes a deleted marker (face-corrections.ts); it answers
    // no person, so no cover is signed.
    uses: [uses.peopleItems('GetItem', 'UpdateItem')],
  },
  {
    room: 'people',
    route: listMergeSuggestions,
    environmentFor: peopleEnvironment,
    envSchema: PeopleEnvSchema,
    // A page of the listing, then per person its cover face looked up in the face index (suggestions.ts).
    uses: [COVERS, uses.people('suggest')],
  },
  {
    room: 'people',
    route: dismissMergeSuggestion,
    environmentFor: peopleEnvironment,
    envSchema: PeopleEnvSchema,
    // Read both people, then one put under each; it answers no person, so no cover is signed.
    uses: [uses.peopleItems('GetItem', 'PutItem')],
  },
] as const;

/** The people (docs/people.md), with `faceGrouping` on: their routes, and the table of faces and people. */
export const PEOPLE_ROOM = {
  when: (settings) => settings.faceGrouping,
  routes: PEOPLE_ROUTES,
  tables: [PEOPLE_TABLE],
  // The faces found grouped into the owner's people; then the images of people a grouping merged re-pointed.
  // (Every processor has them: with `faceGrouping` off, each opens nothing and does nothing.)
  steps: [
    {
      declaration: PEOPLE_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/people') as typeof import('./steps/people')).peopleStep,
    },
    {
      declaration: FOLLOW_MERGES_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/people') as typeof import('./steps/people')).followMergesStep,
    },
  ],
  cleanups: [
    {
      contract: PEOPLE_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).PEOPLE_CLEANUP_MODULE,
    },
  ],
} satisfies RoomManifest;
