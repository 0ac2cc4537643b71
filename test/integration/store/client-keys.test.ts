import { randomUUID } from 'node:crypto';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { LshFaceIndex } from '../../../lambdas/people/face-index';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { PEOPLE_TABLE as PEOPLE_TABLE_DECLARED } from '../../../lambdas/people/table-design';
import { seededRandom } from '../../../lambdas/shared/seeded-random';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { METADATA_KEY_PATTERN, UPLOAD_METADATA_LIMITS } from '../../../lambdas/store/upload-metadata';
import { API_ENV, type ApiHandler, createUploadEvent, invoke, TEST_USER, useApiEnv } from '../../support/api-events';
import { PEOPLE_TABLE, renamePersonEvent } from '../../support/people-api';
import { box, imageId, type PeopleMoto, peopleMoto, personDescriptor } from '../../support/people-table';

/**
 * Property test: metadata keys and values, and person names, drawn from an alphabet that holds what breaks
 * JavaScript maps and DynamoDB (Object.prototype's names, lone surrogates), combining marks, right-to-left text,
 * emoji, control characters and runs at the length limits. Each request goes to the real handler, on a real table
 * (moto), and must be answered 2xx with the text stored and read back as given, or 400 naming the field: never a
 * 5xx. Which one is what docs/api.md says, worked out here from the documented rules.
 */
jest.setTimeout(120_000);

/** What keys, values and names are made of: groups of atoms, each group drawn with its weight. */
const ALPHABET: Array<[weight: number, atoms: string[]]> = [
  [6, ['a', 'Z', '0', '9', '_', '.', ':', '-']],
  [
    5,
    [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'prototype',
      'isPrototypeOf',
      '__defineGetter__',
    ],
  ],
  [2, [' ', '\u00a0', '\u3000']],
  [2, ['\u0301', '\u0308', 'e\u0301', '\u200d']],
  [2, ['\u202e', '\u200f', 'שלום', 'مرحبا']],
  [2, ['😀', '👩‍🔬', '🏳️‍🌈', '𝒻']],
  [1, ['\ud800', '\udbff', '\udc00', '\udfff']],
  [1, ['\u0000', '\n', '\t', '\u001b', '\u007f', '\u009b']],
  [1, ['x'.repeat(63), 'é'.repeat(64), '😀'.repeat(32)]],
];
/** The groups a key the pattern allows is made of: most drawn keys are of them, so that many are taken. */
const KEY_ALPHABET = ALPHABET.slice(0, 2);

/** Text of 1 to `atoms` atoms, drawn from `alphabet` by weight. */
function drawText(random: () => number, atoms: number, alphabet = ALPHABET): string {
  const total = alphabet.reduce((sum, [weight]) => sum + weight, 0);
  const count = 1 + Math.floor(random() * atoms);
  let text = '';
  for (let i = 0; i < count; i++) {
    let pick = random() * total;
    let group = alphabet[0]?.[1] as string[];
    for (const [weight, atoms] of alphabet) {
      group = atoms;
      pick -= weight;
      if (pick < 0) break;
    }
    text += group[Math.floor(random() * group.length)];
  }
  return text;
}

/** Each part of the JSON text as JSON.stringify writes it: a lone surrogate as `\udXXX`, so the body is sent as is. */
function metadataBody(entries: Array<[string, string]>): string {
  const map = entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',');
  return `{"contentType":"image/jpeg","size":10,"metadata":{${map}}}`;
}

/** docs/api.md: keys of the pattern but `__proto__`, at most 20, values valid Unicode, at most 2048 bytes as JSON. */
function metadataAccepted(metadata: Record<string, unknown>): boolean {
  const entries = Object.entries(metadata);
  const key = new RegExp(METADATA_KEY_PATTERN);
  return (
    entries.length <= UPLOAD_METADATA_LIMITS.maxKeys &&
    entries.every(([name, value]) => key.test(name) && name !== '__proto__' && !/\p{Cs}/u.test(value as string)) &&
    Buffer.byteLength(JSON.stringify(metadata)) <= UPLOAD_METADATA_LIMITS.maxBytes
  );
}

/** docs/api.md: a name without control characters or lone surrogates, 1 to 64 characters once trimmed. */
function nameAccepted(name: string): boolean {
  const trimmed = name.trim();
  return !/[\p{Cc}\p{Cs}]/u.test(name) && trimmed.length > 0 && [...trimmed].length <= 64;
}

const sorted = (map: object) => Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1));

let moto: PeopleMoto;
let images: ImageStore;
let people: PeopleStore;
let createUpload: ApiHandler;
let renamePerson: ApiHandler;

beforeAll(async () => {
  moto = peopleMoto();
  // The run's moto is shared: this file's tables carry a suffix of their own.
  const suffix = randomUUID().slice(0, 8);
  const tableName = `${API_ENV.TABLE_NAME}-${suffix}`;
  const peopleTable = `${PEOPLE_TABLE}-${suffix}`;
  const env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1' };
  useApiEnv({ ...env, TABLE_NAME: tableName, PEOPLE_TABLE: peopleTable });
  await createDeclaredTable(moto.dynamodb, tableName, RESULTS_TABLE.design);
  await createDeclaredTable(moto.dynamodb, peopleTable, PEOPLE_TABLE_DECLARED.design);
  images = new ImageStore(moto.client, tableName);
  people = new PeopleStore(moto.client, peopleTable, new LshFaceIndex(moto.client, peopleTable));
  jest.isolateModules(() => {
    createUpload = require('../../../lambdas/images/functions/create-upload/handler').handler;
    renamePerson = require('../../../lambdas/people/functions/rename-person/handler').handler;
  });
});
afterAll(() => moto?.dynamodb.destroy());

describe('POST /uploads with metadata keys and values drawn from a hostile alphabet', () => {
  it('answers 201 and keeps the map as given, or 400 naming metadata, for 150 drawn maps', async () => {
    const random = seededRandom(20261124);
    const outcomes = { created: 0, refused: 0 };
    for (let run = 0; run < 150; run++) {
      const entries = Array.from({ length: 1 + Math.floor(random() * 3) }, (): [string, string] => [
        random() < 0.8 ? drawText(random, 2, KEY_ALPHABET) : drawText(random, 3),
        drawText(random, 3),
      ]);
      const body = metadataBody(entries);
      const sent = JSON.parse(body).metadata as Record<string, string>;
      const response = await invoke(createUpload, createUploadEvent(body));
      const answer = { body, status: response.statusCode, message: (response.json as { message?: string }).message };
      if (metadataAccepted(sent)) {
        expect(answer).toEqual({ body, status: 201, message: undefined });
        const stored = await images.get((response.json as { imageId: string }).imageId);
        expect({ body, stored: sorted(stored?.metadata ?? {}) }).toEqual({ body, stored: sorted(sent) });
        outcomes.created += 1;
      } else {
        // `metadata: ...`, or `metadata.<key>: ...` for a bad value (its key is one the pattern allows).
        const fields = ['metadata', ...Object.keys(sent).map((key) => `metadata.${key}`)];
        const field = fields.find((name) => answer.message?.startsWith(`${name}: `));
        expect({ ...answer, field }).toEqual({ ...answer, status: 400, field: expect.any(String) });
        outcomes.refused += 1;
      }
    }
    // Both sides were drawn often enough to mean something.
    expect(outcomes.created).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'keeps the key %s, a name of Object.prototype, as given',
    async (key) => {
      const response = await invoke(
        createUpload,
        createUploadEvent({ contentType: 'image/png', size: 1, metadata: { [key]: 'x' } }),
      );
      expect(response.statusCode).toBe(201);
      const stored = await images.get((response.json as { imageId: string }).imageId);
      expect(sorted(stored?.metadata ?? {})).toEqual([[key, 'x']]);
    },
  );
});

describe('PATCH /people/{id} with names drawn from a hostile alphabet', () => {
  it('answers 200 and keeps the name trimmed, or 400 naming name, for 150 drawn names', async () => {
    const { faces } = await people.groupFaces(TEST_USER.sub, imageId(1), {
      faces: [{ face: 0, box: box(0), descriptor: personDescriptor(1) }],
      skipped: { tooSmall: 0, overCap: 0 },
    });
    const personId = faces[0]?.personId as string;
    const random = seededRandom(20261125);
    const outcomes = { named: 0, refused: 0 };
    for (let run = 0; run < 150; run++) {
      const name = drawText(random, 6);
      const response = await invoke(renamePerson, renamePersonEvent(personId, { name }));
      const answer = { name, status: response.statusCode, json: response.json };
      if (nameAccepted(name)) {
        expect(answer).toEqual({ name, status: 200, json: expect.objectContaining({ name: name.trim() }) });
        expect((await people.get(TEST_USER.sub, personId))?.name).toBe(name.trim());
        outcomes.named += 1;
      } else {
        expect(answer).toEqual({ name, status: 400, json: { message: expect.stringMatching(/^name: /) } });
        outcomes.refused += 1;
      }
    }
    expect(outcomes.named).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });
});
