import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ANALYSIS_VERSION } from '../../../lambdas/core/record';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { imageItem, processedAnalysis } from '../../support/items';
import { peopleMoto } from '../../support/people-table';

/**
 * A rotation's re-analysis as DynamoDB (moto) judges its write (final-condition.ts): it replaces a final record of the
 * same version and analysis only while the record's pixels are turned otherwise and its owner asks for this run's
 * turn; the owner's `rotation` is never written by it. On the run's shared moto, in a table of this file's own.
 */
jest.setTimeout(60_000);

let store: ImageStore;
let put: (item: ImageItem) => Promise<void>;

beforeAll(async () => {
  const moto = peopleMoto();
  const tableName = `rotation-${randomUUID().slice(0, 8)}`;
  await createDeclaredTable(moto.dynamodb, tableName, RESULTS_TABLE.design);
  store = new ImageStore(moto.client, tableName);
  put = async (item) => {
    await moto.client.send(new PutCommand({ TableName: tableName, Item: item }));
  };
});

/** A PROCESSED record of this version and analysis, as the record's state and the run's write have it. */
const final = (fields: Partial<ImageItem>): ImageItem =>
  imageItem({
    imageId: `01J${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}`,
    analysis: processedAnalysis({ width: 4, height: 3 }),
    analysisVersion: ANALYSIS_VERSION,
    ...fields,
  });

/** The run's write over `record`, turned by `turn`, as a re-analysis asks it. */
async function reanalyse(record: ImageItem, turn: 0 | 90 | 180): Promise<boolean> {
  await put(record);
  const { rotation: _asked, rotationApplied: _made, ...rest } = record;
  const written = { ...rest, ...(record.rotation !== undefined && { rotation: record.rotation }) };
  return store.finalise({ ...written, ...(turn !== 0 && { rotationApplied: turn }) }, { reanalyse: true });
}

describe('a re-analysis of the same version after a rotation', () => {
  it('replaces a record whose turn its owner changed, and keeps the rotation its owner asked', async () => {
    const asked = final({ rotation: 90 });
    expect(await reanalyse(asked, 90)).toBe(true);
    expect(await store.get(asked.imageId)).toMatchObject({ rotation: 90, rotationApplied: 90 });
    const undone = final({ rotation: 0, rotationApplied: 90 });
    expect(await reanalyse(undone, 0)).toBe(true);
    const back = await store.get(undone.imageId);
    expect(back?.rotation).toBe(0);
    expect(back?.rotationApplied).toBeUndefined();
  });

  it('writes nothing over a record turned as asked already (a message delivered twice)', async () => {
    expect(await reanalyse(final({ rotation: 90, rotationApplied: 90 }), 90)).toBe(false);
    expect(await reanalyse(final({}), 0)).toBe(false);
  });

  it("writes nothing when its owner asks for another turn than the run's (it read an earlier rotation)", async () => {
    // Another run made the newer turn first; this one read the earlier one.
    expect(await reanalyse(final({ rotation: 180, rotationApplied: 180 }), 90)).toBe(false);
    expect(await reanalyse(final({ rotation: 180 }), 90)).toBe(false);
  });
});
