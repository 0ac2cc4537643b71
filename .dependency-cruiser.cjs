/**
 * The floors of lambdas/ (docs/CONTRIBUTING.md): imports run one way, down. `npm run lint` runs this, and
 * test/integration/architecture.test.ts checks both that the tree keeps it and that each rule catches what it forbids.
 * Type-only imports count: a circle of types is still two modules that cannot be read apart.
 */
const below = (room, allowed, modules = []) => ({
  name: `${room}-floor`,
  comment: `lambdas/${room} (its functions/, its processor steps, steps/, and its manifest, room.ts, aside) may import only ${[...allowed, ...modules].join(', ')} of the project`,
  severity: 'error',
  from: {
    path: `^lambdas/${room}/`,
    pathNot: [`^lambdas/${room}/functions/`, `^lambdas/${room}/steps/`, `^lambdas/${room}/room\\.ts$`],
  },
  to: {
    path: '^(lambdas|lib|bin|web|test|bench)/',
    pathNot: [...allowed.map((folder) => `^lambdas/${folder}/`), ...modules.map((file) => `^lambdas/${file}$`)],
  },
});

/**
 * The feature rooms, bottom floor first. A room (its functions too) imports only rooms on lower floors, so no two rooms
 * import each other and a room can be read with only what is under it. The manifest (lambdas/manifest), the runner
 * (lambdas/local) and the CLI stand on top of all of them (functions-on-top-of-the-rooms).
 */
const FLOORS = [
  'types',
  'core',
  'shared',
  'settings',
  'store',
  // Under the kit: a route's description (api/route.ts), which the kit's ApiFunction holds.
  'api',
  'kit',
  // Above the kit, for its processor step; the core, the settings and the store read none of it.
  'provenance',
  'vision',
  'search',
  'events',
  'shares',
  'renditions',
  'locked',
  'edge',
  'policy',
  'people',
  'places',
  'backfill',
  'webhooks',
  'images',
  'albums',
  // Above the albums: a grant may name albums, and a partner's page reads them.
  'partners',
  'trash',
  // Above the trash and every room whose edits a resolve carries over to the photo kept.
  'duplicates',
  'ingest',
  // Stacks: a frame's record is the stack's membership (the store's list keys file it), and its processor step.
  'stacks',
  // Live Photos: a still and its MOV paired by base name, as the stacks pair RAW and JPEG (their baseName).
  'live',
];

/**
 * What stands on top of every room: the registry (lambdas/manifest/, the list of rooms and what is read from it), the
 * local runner and the CLI.
 */
const TOP = ['manifest', 'local', 'cli'];

/**
 * A room not on a floor yet (a new one, added to ROOMS and nothing else): it stands on the kit, and only on it and the
 * floors under it; no listed room imports it. Give it a floor here when another room needs it.
 */
const KIT_AND_BELOW = ['types', 'core', 'shared', 'settings', 'store', 'api', 'kit'];
const UNLISTED_ROOM = `^lambdas/(?!(?:${[...FLOORS, ...TOP].join('|')})/)([^/]+)/`;

/** A room's manifest: its routes, functions, resources, steps and cleanups (lambdas/kit/room.ts). */
const ROOM_MANIFEST = '^lambdas/[^/]+/room\\.ts$';

/** A function's entry point: what Lambda loads, and the one module of a function the registry may hand things. */
const ENTRY_POINT = '^lambdas/[^/]+/functions/[^/]+/handler\\.ts$';

/**
 * The ways up a floor: a partner lists and reads another owner's photos through `GET /images` and
 * `GET /images/{id}`, the images room's routes, whose entry points are handed the partners room's reads (a grant names
 * albums, so that room stands above the albums, which stand above the images), and their places through
 * `GET /places`, whose entry point is handed the grants' store. Their use cases know only the port (list-images.ts
 * `PartnerPages`, get-image.ts `partners`, list-places.ts `grant`).
 */
const UP_ENTRY_POINTS = {
  images: {
    from: '^lambdas/images/functions/(list-images|get-image)/handler\\.ts$',
    to: '^lambdas/partners/partner-reads\\.ts$',
  },
  places: {
    from: '^lambdas/places/functions/list-places/handler\\.ts$',
    to: '^lambdas/partners/grants\\.ts$',
  },
};

const noImportUp = (room, floor) => ({
  name: `no-import-up-from-${room}`,
  comment: `lambdas/${room} stands below ${FLOORS.slice(floor + 1).join(', ')}: it imports none of them`,
  severity: 'error',
  from: { path: `^lambdas/${room}/` },
  to: { path: `^lambdas/(${FLOORS.slice(floor + 1).join('|')})/` },
});

/** The same, but for an entry point UP_ENTRY_POINTS lets up to the one module it names. */
const noImportUpBut = (room, floor) => {
  const up = UP_ENTRY_POINTS[room];
  const rule = noImportUp(room, floor);
  if (!up) return rule;
  return [
    { ...rule, from: { path: rule.from.path, pathNot: up.from } },
    { ...rule, name: `${rule.name}-entry-points`, from: { path: up.from }, to: { ...rule.to, pathNot: up.to } },
  ];
};

/**
 * What the web app's bundle runs of lambdas/: the search filters' description and the word lists it takes, and the
 * rendition parameters' words and ranges (the rendition builder). The events' words (the webhook form) are written in
 * as data at build (web/vite.config.ts), since their declarations hold their schemas too.
 */
const BUNDLED_FROM_LAMBDAS =
  '^lambdas/(search/(filters|vocabulary)|core/(vocabulary|render/rendition-words)|places/place-pages)\\.ts$';

/** A room's events (lambdas/<room>/events.ts: their detail types, words and schemas), and the registry's catalogue. */
const ROOM_EVENTS = ['^lambdas/(?!events/)[^/]+/events\\.ts$', '^lambdas/manifest/events\\.ts$'];

/** The floors under every room: what a room stands on, and names no room. */
const UNDER_THE_ROOMS = ['types', 'core', 'shared', 'settings', 'store', 'api', 'kit', 'events'];

/**
 * The descriptions: what the stack, the runner and the docs read of lambdas/ to make a function, a route or a
 * resource: schemas, names, sizes and the environment each function is given. A description imports only
 * descriptions, so reading one (the stack does, at synth) never loads a use case, a store or an SDK client, and a
 * change to those never touches the stack's tests (`jest --findRelatedTests`).
 */
const DESCRIPTIONS = [
  // The deployment settings, and the manifest that lists every function and resource (but the runner's plug-ins,
  // which run at its start: runner-plugins.ts; and the processor steps' runtimes, which its entry point runs:
  // step-runners.ts).
  '^lambdas/(settings|types)/',
  '^lambdas/manifest/(?!(runner-plugins|step-runners)\\.ts$)',
  // A function's route (its request, answers and environment) or its contract (any other function's environment).
  '^lambdas/[^/]+/functions/[^/]+/(route|contract)\\.ts$',
  // The processor's steps' declarations, each in its room: what a step needs of the deployment (its variables,
  // environment, uses and bundled data), the interface they are written to, and the registry's list of them.
  '^lambdas/[^/]+/(functions/processor/)?steps/[a-z-]+-contract\\.ts$',
  '^lambdas/kit/processor-step-contract\\.ts$',
  // The kit's descriptions: a room's manifest, a route's and a function's entries, and the words of their uses.
  '^lambdas/kit/(room|api-function|pipeline-function|uses)\\.ts$',
  // A room's description: what its functions are wired with (wiring.ts), its tables' and queues' design,
  // the schemas and contracts several of its functions share.
  '^lambdas/[^/]+/(functions/)?(wiring|[a-z-]*design|[a-z-]*contract|schemas|vocabulary)\\.ts$',
  '^lambdas/search/meaning/contract\\.ts$',
  // The events: each room's declarations (detail types, words, schemas), what they are written with (the events
  // floor's declareEvents and the details' base), and the registry's catalogue of them (manifest/events.ts).
  '^lambdas/(?!events/)[^/]+/events\\.ts$',
  '^lambdas/events/(declare|event-details)\\.ts$',
  // The share links' table, and the requests and answers their routes share.
  '^lambdas/shares/table-design\\.ts$',
  '^lambdas/albums/functions/share-schemas\\.ts$',
  // A room's manifest (room.ts): its routes, functions and declared resources, which sits on top of its functions.
  '^lambdas/[^/]+/room\\.ts$',
  // The search filters' description (plain data the web app bundles too): GET /images' query is made from it.
  '^lambdas/search/filters\\.ts$',
  // The API's route and environment descriptions, and the API Gateway models made from their schemas.
  '^lambdas/api/(route|env|gateway-model)\\.ts$',
  // The record's schemas, which the answers' schemas are made of, and the rendition spec's grammar and the
  // upload options, which the settings parse with.
  '^lambdas/core/(record|place|provenance|moderation|quality|faces|vision-schema|vocabulary|options|crop|render/text-fold)\\.ts$',
  '^lambdas/core/render/rendition(-spec|-params|-values|-words)?\\.ts$',
  '^lambdas/store/(image-item|image-view|owner|upload-metadata|client-text|keys|labels|list-shards)\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a circle of imports: move what both need to the lower module, or split one',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    below('core', ['core', 'types']),
    // The core's jobs (issue 59): its vocabulary (lambdas/core/*.ts: the record's schemas and words) under the
    // analysis (reading an image), under the rendering (making one, which opens the original with the analysis's decode).
    {
      name: 'core-vocabulary-below-its-jobs',
      comment: "the core's vocabulary (lambdas/core/*.ts) imports neither its analysis nor its rendering",
      severity: 'error',
      from: { path: '^lambdas/core/[^/]+$' },
      to: { path: '^lambdas/core/(analysis|render)/' },
    },
    {
      name: 'analysis-below-rendering',
      comment: 'the analysis (lambdas/core/analysis/) never imports the rendering (lambdas/core/render/)',
      severity: 'error',
      from: { path: '^lambdas/core/analysis/' },
      to: { path: '^lambdas/core/render/' },
    },
    below('provenance', ['provenance', 'core']),
    below('shared', ['shared']),
    below('settings', ['settings', 'core', 'shared']),
    below('vision', ['vision', 'core', 'shared', 'settings', 'types']),
    below('store', ['store', 'core', 'shared', 'settings']),
    // The interfaces a room implements (a processing step, what a purge of an image asks of it): no room, only the
    // record, the settings and the words of the uses a room declares (plain data).
    below('kit', ['kit', 'api', 'store', 'core', 'shared', 'settings', 'types']),
    // The search finds a candidate from its class's retrieval threshold, which the calibration holds (terms.ts), and
    // reaches the detector's classes from broader and narrower words (words/make-word-classes.ts).
    // A room that keeps data about an image implements the kit's cleanup and says what it uses (kit/uses.ts).
    below(
      'search',
      ['search', 'kit', 'store', 'core', 'shared', 'settings'],
      ['vision/calibration.ts', 'vision/coco-classes.ts'],
    ),
    below('renditions', ['renditions', 'kit', 'shares', 'store', 'core', 'shared', 'settings']),
    // The locked folder: its PINs' table, and its unlock tokens, signed with the renditions' keys (as a share's password
    // is hashed, with the share links' scrypt).
    below('locked', ['locked', 'kit', 'api', 'shares', 'renditions', 'store', 'core', 'shared', 'settings']),
    below('events', ['events', 'kit', 'store', 'core', 'shared', 'settings']),
    // Share links: the link, its secrets and its table, below the renditions that check a link's URLs are still open.
    below('shares', ['shares', 'events', 'store', 'core', 'shared', 'settings']),
    below('people', ['people', 'kit', 'store', 'core', 'shared', 'settings']),
    below('api', ['api', 'store', 'core', 'shared', 'settings']),
    below('backfill', ['backfill', 'store', 'core', 'shared', 'settings']),
    // The webhooks take every event type: they read the registry's catalogue of them (manifest/events.ts), and no more.
    below('webhooks', ['webhooks', 'events', 'store', 'core', 'shared', 'settings'], ['manifest/events.ts']),
    below('policy', ['policy', 'store', 'core', 'shared', 'settings']),
    // Its event's detail (events.ts) is an image event's: the events floor, and the record's status (the store).
    below('places', ['places', 'events', 'store', 'core', 'shared']),
    // Albums and their share links: a share's images are signed renditions, and its making and revoking are events.
    below('albums', ['albums', 'kit', 'events', 'shares', 'renditions', 'store', 'core', 'shared', 'settings']),
    // Partners: the grants, and what a partner reads of a grantor's timeline and albums.
    below('partners', ['partners', 'albums', 'kit', 'events', 'store', 'core', 'shared', 'settings']),
    // The trash runs the cleanups the registry reads from the rooms, and names no room that keeps data about an image.
    below('trash', ['trash', 'kit', 'events', 'store', 'core', 'shared', 'settings']),
    below('stacks', ['stacks', 'kit', 'store', 'core', 'shared', 'settings']),
    {
      name: 'trash-names-no-room',
      comment:
        'the trash (its functions too) names no room that keeps data about an image: its functions run the cleanups ' +
        'the rooms declare (room.ts), read by lambdas/manifest/cleanups.ts, so a new room with per-image data edits ' +
        'nothing in trash',
      severity: 'error',
      from: { path: '^lambdas/trash/' },
      to: { path: '^lambdas/(albums|people|search|renditions|places|policy|provenance|shares|webhooks)/' },
    },
    ...FLOORS.slice(0, -1).flatMap(noImportUpBut),
    {
      name: 'floors-name-no-event',
      comment:
        `the floors under the rooms (${UNDER_THE_ROOMS.join(', ')}) name no event: each room declares its own ` +
        "(lambdas/<room>/events.ts) with the events floor's declareEvents, and only the registry gathers them " +
        '(lambdas/manifest/events.ts), so a new event type edits no floor',
      severity: 'error',
      from: { path: `^lambdas/(${UNDER_THE_ROOMS.join('|')})/` },
      to: { path: ROOM_EVENTS },
    },
    {
      name: 'a-new-room-stands-on-the-kit',
      comment: `a room on no floor yet (FLOORS) imports only itself and ${KIT_AND_BELOW.join(', ')}: give it a floor to read more`,
      severity: 'error',
      from: {
        path: UNLISTED_ROOM,
        pathNot: ['^lambdas/[^/]+/functions/', '^lambdas/[^/]+/steps/', '^lambdas/[^/]+/room\\.ts$'],
      },
      to: {
        path: '^(lambdas|lib|bin|web|test|bench)/',
        pathNot: ['^lambdas/$1/', `^lambdas/(${KIT_AND_BELOW.join('|')})/`],
      },
    },
    {
      name: 'no-room-imports-a-new-room',
      comment: 'a room on a floor imports no room on none (a new one): give that room a floor below it first',
      severity: 'error',
      from: { path: `^lambdas/(${FLOORS.join('|')})/` },
      to: { path: UNLISTED_ROOM },
    },
    {
      name: 'functions-on-top-of-the-rooms',
      comment:
        "a room's functions (lambdas/<room>/functions/) and processor steps (steps/) may import every room's code, " +
        'never the CLI, the local runner, the manifest that lists them (lambdas/manifest/) or anything outside ' +
        "lambdas/; but a function's entry point (handler.ts) may be handed the rooms' steps or cleanups by the " +
        'registry (entry-points-take-the-registry-runtimes)',
      severity: 'error',
      from: { path: '^lambdas/[^/]+/(functions|steps)/', pathNot: ENTRY_POINT },
      to: { path: '^(lambdas/(cli|local|manifest)|lib|bin|web|test|bench)/' },
    },
    {
      name: 'entry-points-take-the-registry-runtimes',
      comment:
        "a function's entry point is handed what it runs of the rooms by the registry: the processor its steps " +
        '(lambdas/manifest/steps.ts, step-runners.ts), the trash its cleanups (cleanups.ts); it imports nothing ' +
        'else above the rooms',
      severity: 'error',
      from: { path: ENTRY_POINT },
      to: {
        path: '^(lambdas/(cli|local|manifest)|lib|bin|web|test|bench)/',
        pathNot: '^lambdas/manifest/(steps|step-runners|cleanups)\\.ts$',
      },
    },
    {
      name: 'only-the-top-reads-the-registry',
      comment:
        'the registry (lambdas/manifest/: the list of rooms, and what is read from it) stands on top of every room: ' +
        'no room, its manifest (room.ts), functions and steps included, nor the kit, imports it; only the stack ' +
        "(lib/, bin/), the runner (lambdas/local/), the CLI and the functions' entry points (what they run of the " +
        "rooms, entry-points-take-the-registry-runtimes) read it; and the webhooks' own modules its catalogue of " +
        'events, as their floor says (webhooks-floor)',
      severity: 'error',
      from: {
        path: '^lambdas/',
        pathNot: ['^lambdas/(cli|local|manifest)/', ENTRY_POINT, '^lambdas/webhooks/(?!room\\.ts$)[^/]+\\.ts$'],
      },
      to: { path: '^lambdas/manifest/' },
    },
    {
      name: 'rooms-below-their-functions',
      comment: "a room's own code never imports a function (its own or another room's): functions are on top",
      severity: 'error',
      from: {
        path: '^lambdas/',
        pathNot: [
          '^lambdas/(cli|local|manifest)/',
          '^lambdas/[^/]+/functions/',
          '^lambdas/[^/]+/steps/',
          '^lambdas/[^/]+/room\\.ts$',
        ],
      },
      to: { path: '^lambdas/[^/]+/functions/' },
    },
    {
      name: 'functions-stay-apart',
      comment:
        "a function imports other functions' descriptions (route.ts or contract.ts: what one offers the others, its " +
        'environment, request and response), never their code',
      severity: 'error',
      from: { path: '^lambdas/[^/]+/functions/([^/]+)/' },
      to: {
        path: '^lambdas/[^/]+/functions/[^/]+/',
        pathNot: ['^lambdas/[^/]+/functions/$1/', '^lambdas/[^/]+/functions/[^/]+/(contract|route)\\.ts$'],
      },
    },
    {
      name: 'descriptions-import-descriptions',
      comment:
        'a description (route.ts, contract.ts, wiring.ts, a design, a schema: DESCRIPTIONS) imports only descriptions, ' +
        'never the code that runs them, so the stack reads no runtime',
      severity: 'error',
      from: { path: DESCRIPTIONS, pathNot: ROOM_MANIFEST },
      to: { path: '^lambdas/', pathNot: DESCRIPTIONS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'room-manifests-load-runtimes-lazily',
      comment:
        "a room's manifest (room.ts) imports only descriptions; it names its steps' and cleanups' runtimes with a " +
        '`require` in a function (RoomStep in lambdas/kit/room.ts), which the stack, reading the manifest, never calls',
      severity: 'error',
      from: { path: ROOM_MANIFEST },
      to: { path: '^lambdas/', pathNot: DESCRIPTIONS, dependencyTypesNot: ['type-only', 'type-import', 'require'] },
    },
    {
      name: 'stack-reads-descriptions',
      comment:
        'the stack (lib/, bin/) reads only descriptions of lambdas/, and the code it deploys as it is: the edge ' +
        "function's source and the public renditions it lists at synth, the backfill state machine's definition, and " +
        'how esbuild bundles the functions',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: {
        path: '^lambdas/',
        pathNot: [
          ...DESCRIPTIONS,
          '^lambdas/edge/rendition-request-code\\.ts$',
          '^lambdas/renditions/(public|query|cache-headers)\\.ts$',
          '^lambdas/backfill/(definition|run-keys)\\.ts$',
          '^lambdas/core/lambda-bundle\\.ts$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'runtime-without-cdk',
      comment: 'runtime code never imports aws-cdk-lib or constructs (it would go into every bundle)',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '(^|/)node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
    {
      name: 'product-not-on-tooling',
      comment: 'the product (lambdas, lib, bin, web) never imports tests or benchmarks',
      severity: 'error',
      from: { path: '^(lambdas|lib|bin|web)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'web-app-bundles-plain-data-only',
      comment:
        "the web app's bundle runs nothing of lambdas/ but the search filters' description and the rendition " +
        "parameters' words and ranges (plain data, no zod), so its forms and the API are made from one list; the " +
        "events' words are written in at build (web/vite.config.ts)",
      severity: 'error',
      from: { path: '^web/src/' },
      to: {
        path: '^lambdas/',
        pathNot: '^lambdas/(search/filters|core/render/rendition-words|places/place-pages)\\.ts$',
        dependencyTypesNot: ['type-only', 'type-import'],
      },
    },
    {
      name: 'bundled-filters-stay-plain',
      comment:
        "the search filters' description, which the web app bundles, runs nothing but the word lists it is made of: " +
        'no other module of ours and no package (zod, the AWS SDK), or the bundle would take them along',
      severity: 'error',
      from: { path: BUNDLED_FROM_LAMBDAS },
      to: { pathNot: BUNDLED_FROM_LAMBDAS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-app-types-from-the-contracts',
      comment:
        'the web app types what it sends and reads with the schemas the API parses and answers with (web/src/types.ts) ' +
        "and its config's contract: as types, which add nothing to the bundle, and only from the modules that declare " +
        'them, so the app never leans on the code behind them',
      severity: 'error',
      from: { path: '^web/src/' },
      to: {
        path: '^lambdas/',
        pathNot: [
          '^lambdas/settings/web-config\\.ts$',
          '^lambdas/search/filters\\.ts$',
          '^lambdas/core/render/rendition-words\\.ts$',
          '^lambdas/places/place-pages\\.ts$',
          // Every route's description: its request and answer schemas.
          '^lambdas/[^/]+/functions/[^/]+/route\\.ts$',
          // The upload tags' limits, which the upload page checks before sending (pages/upload/tags.ts).
          '^lambdas/store/upload-metadata\\.ts$',
          // The person as the people routes answer it (PersonSchema).
          '^lambdas/people/functions/people-contract\\.ts$',
          // The partner grants as their routes take and answer them (GrantPartnerSchema, PartnerGrantSchema...).
          '^lambdas/partners/functions/partners-contract\\.ts$',
          // The place corrections' answer (PlaceAnswerSchema).
          '^lambdas/places/functions/place-contract\\.ts$',
          // The album and the share link as their routes answer them (AlbumSchema, ShareSchema, SharedSchema...).
          '^lambdas/albums/functions/albums-contract\\.ts$',
          '^lambdas/albums/functions/share-schemas\\.ts$',
          // The stack as its routes take and answer it (StackSchema, CreateStackSchema, StackPrimarySchema).
          '^lambdas/stacks/functions/stacks-contract\\.ts$',
          // The event types the build writes the words of (web/src/event-catalogue.d.ts).
          '^lambdas/manifest/events\\.ts$',
        ],
        dependencyTypes: ['type-only', 'type-import'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|cdk\\.out|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
