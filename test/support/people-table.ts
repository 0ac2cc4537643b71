import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../lambdas/local/tables';
import { type DescribedFace, FACE_DESCRIPTOR_LENGTH, type FaceDescriptions } from '../../lambdas/people/contract';
import { gaussian } from '../../lambdas/people/lsh';
import { PEOPLE_TABLE } from '../../lambdas/people/table-design';
import { seededRandom } from '../../lambdas/shared/seeded-random';
import { testEndpoint } from './shared-moto';

/** Clients on the run's moto (test/support/shared-moto.ts), for one test file. */
export interface PeopleMoto {
  endpoint: string;
  dynamodb: DynamoDBClient;
  client: DynamoDBDocumentClient;
}

export function peopleMoto(): PeopleMoto {
  const endpoint = testEndpoint();
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  return { endpoint, dynamodb, client: DynamoDBDocumentClient.from(dynamodb) };
}

/** Every test file shares the run's moto: its tables carry a prefix of their own. */
const FILE_PREFIX = `people-${randomUUID().slice(0, 8)}`;
let tables = 0;

/** A new people table made as the local runner makes it (from PEOPLE_TABLE_DESIGN), named for this test. */
export async function createPeopleTable(dynamodb: DynamoDBClient): Promise<string> {
  tables += 1;
  const name = `${FILE_PREFIX}-${tables}`;
  await createDeclaredTable(dynamodb, name, PEOPLE_TABLE.design);
  return name;
}

/** A random direction, from a seeded PRNG (mulberry32), so every synthetic face is the same on every run. */
function gaussianVector(seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: FACE_DESCRIPTOR_LENGTH }, () => gaussian(random));
}

function scaled(vector: number[], length: number): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((value) => (value / norm) * length);
}

/**
 * A synthetic "person": a random direction of length 1 (dlib's descriptors are about that long). Two of them are
 * about 1.41 apart, far beyond any match distance.
 */
export function personDescriptor(seed: number): number[] {
  return scaled(gaussianVector(seed), 1);
}

/** Another "photo" of the same person: `descriptor` moved by exactly `distance` in a random direction. */
export function nearDescriptor(descriptor: number[], distance: number, seed: number): number[] {
  const step = scaled(gaussianVector(seed), distance);
  return descriptor.map((value, i) => value + (step[i] as number));
}

/** A box for a face (its value does not matter to grouping). */
export function box(face = 0) {
  return { left: 0.1 + face * 0.01, top: 0.2, width: 0.1, height: 0.1 };
}

/** An image's faces as the processor describes them: face n has descriptor n and a box of its own; none skipped. */
export function described(...descriptors: number[][]): FaceDescriptions {
  return {
    faces: descriptors.map((descriptor, face): DescribedFace => ({ face, box: box(face), descriptor })),
    skipped: { tooSmall: 0, overCap: 0 },
  };
}

/** 26-character ULID-like image ids that sort in the order of `n`. */
export function imageId(n: number): string {
  return `01HZX${String(n).padStart(21, '0')}`;
}
