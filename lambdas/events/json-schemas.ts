import { z } from 'zod';
import { DETAIL_SCHEMAS, EVENT_VERSION } from './events';
import type { DetailType } from './vocabulary';

/** `Image Processed` → `image-processed.v1.json`: the committed JSON Schema of that detail type. */
export function schemaFileName(detailType: DetailType): string {
  return `${detailType.toLowerCase().replace(/\s+/g, '-')}.v${EVENT_VERSION}.json`;
}

/** The JSON Schema (draft 2020-12) of one detail type, generated from its zod schema. */
export function detailJsonSchema(detailType: DetailType): Record<string, unknown> {
  return {
    $id: `urn:image-intel:events:${schemaFileName(detailType).replace(/\.json$/, '')}`,
    title: `${detailType} detail, version ${EVENT_VERSION}`,
    ...z.toJSONSchema(DETAIL_SCHEMAS[detailType], { target: 'draft-2020-12' }),
  };
}
