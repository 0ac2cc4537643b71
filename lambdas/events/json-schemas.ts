import { z } from 'zod';
import { EVENT_VERSION } from './event-details';

/** `Image Processed` → `image-processed.v1.json`: the committed JSON Schema of that detail type. */
export function schemaFileName(detailType: string): string {
  return `${detailType.toLowerCase().replace(/\s+/g, '-')}.v${EVENT_VERSION}.json`;
}

/** The JSON Schema (draft 2020-12) of one detail type, generated from its zod schema (its room's declaration). */
export function detailJsonSchema(detailType: string, schema: z.ZodType): Record<string, unknown> {
  return {
    $id: `urn:image-intel:events:${schemaFileName(detailType).replace(/\.json$/, '')}`,
    title: `${detailType} detail, version ${EVENT_VERSION}`,
    ...z.toJSONSchema(schema, { target: 'draft-2020-12' }),
  };
}
