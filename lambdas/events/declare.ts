import type { z } from 'zod';

/*
 * How a room declares the events it publishes (lambdas/<room>/events.ts): once, each with its `detail-type`, its words
 * and its detail's schema. The registry gathers every room's (lambdas/manifest/events.ts) into the catalogue (the
 * docs' table, the webhook form's words), the detail types, the schemas (and the committed JSON Schemas made from
 * them) and the union of every event; this floor names no event.
 */

/** What the docs and the web app say of one event type: plain data. */
export interface EventWords {
  /** Its name in the code (`DETAIL_TYPES.deleted`). */
  readonly key: string;
  /** EventBridge `detail-type`: what subscribers match on, and never changes. */
  readonly detailType: string;
  /** The room whose code publishes it (lambdas/<room>/). */
  readonly room: string;
  /**
   * Its place in the catalogue: the order the webhooks' API and docs/events.md list the types in, which is the order
   * they were added, not the rooms'. A new type takes the next number.
   */
  readonly order: number;
  /** What happened, in a few words: the web app's webhook form. */
  readonly hint: string;
  /** When it is published (Markdown): the catalogue's second column. */
  readonly when: string;
  /** What its `detail` adds to the base every image event has (Markdown): the catalogue's third column. */
  readonly adds: string;
}

/** One event type as its room declares it: its words and its detail's schema. */
export interface EventDeclaration<S extends z.ZodType = z.ZodType> extends EventWords {
  readonly detail: S;
}

/** An event of a declared type, as a publisher hands it to the sinks: the type, and its detail as its schema gives it. */
export type EventOf<D extends EventDeclaration> = D extends unknown
  ? { readonly detailType: D['detailType']; readonly detail: z.output<D['detail']> }
  : never;

/** A declaration as written in its room: everything but its key and its room, which `declareEvents` adds. */
type Written = Omit<EventDeclaration, 'key' | 'room'>;

/**
 * A room's events, by key: `declareEvents('trash', { deleted: { detailType: 'Image Deleted', ... } })`. The types
 * stay literal (the detail type, the schema), so the registry derives the union of every event from them.
 */
export function declareEvents<const R extends string, const E extends Record<string, Written>>(
  room: R,
  events: E,
): { readonly [K in keyof E & string]: E[K] & { readonly key: K; readonly room: R } } {
  return Object.fromEntries(Object.entries(events).map(([key, declared]) => [key, { key, room, ...declared }])) as {
    readonly [K in keyof E & string]: E[K] & { readonly key: K; readonly room: R };
  };
}
