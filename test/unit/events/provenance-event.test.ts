import type { Provenance } from '../../../lambdas/core/provenance';
import { eventForItem } from '../../../lambdas/ingest/functions/processor/steps/publish';
import { DETAIL_TYPES } from '../../../lambdas/manifest/events';
import { payloadOf } from '../../../lambdas/webhooks/messages';
import { schemaErrors } from '../../support/event-schemas';
import { imageItem, processedAnalysis } from '../../support/items';

const processed = (provenance?: Provenance) =>
  imageItem({
    updatedAt: '2026-11-28T10:00:00.000Z',
    analysis: processedAnalysis({ width: 40, height: 30 }),
    provenance,
  });

const tampered: Provenance = {
  summary: 'ai-generated',
  basis: 'c2pa',
  generator: 'Imagine 3.1',
  credentials: {
    validation: 'invalid',
    failures: [{ code: 'assertion.dataHash.mismatch' }],
    signer: { name: 'Imagine Test Signer' },
    actions: [],
    ingredients: [],
  },
};

describe('Image Processed: provenance', () => {
  it('carries the summary and the credentials check, nothing else of them, as its committed schema says', () => {
    const event = eventForItem(processed(tampered));
    expect(event?.detailType).toBe(DETAIL_TYPES.processed);
    const summary = event?.detailType === DETAIL_TYPES.processed ? event.detail.summary : undefined;
    expect(summary?.provenance).toEqual({ summary: 'ai-generated', validation: 'invalid' });
    expect(schemaErrors(DETAIL_TYPES.processed, event?.detail)).toEqual([]);
  });

  it('has no validation without credentials, and no provenance for a record read before it (1.3.0)', () => {
    const xmp = eventForItem(processed({ summary: 'ai-generated', basis: 'xmp' }));
    expect(xmp?.detail).toMatchObject({ summary: { provenance: { summary: 'ai-generated' } } });
    expect(JSON.stringify(xmp?.detail)).not.toContain('validation');
    const older = eventForItem(processed(undefined));
    expect(JSON.parse(JSON.stringify(older?.detail)).summary).not.toHaveProperty('provenance');
    expect(schemaErrors(DETAIL_TYPES.processed, older?.detail)).toEqual([]);
  });

  it("is in a webhook's payload, which is the event's detail", () => {
    const event = eventForItem(processed(tampered));
    if (event === undefined) throw new Error('no event');
    const payload = JSON.parse(payloadOf(event));
    expect(payload.data.summary.provenance).toEqual({ summary: 'ai-generated', validation: 'invalid' });
  });
});
