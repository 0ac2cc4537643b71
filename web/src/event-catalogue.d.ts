/** The events' words the build writes in (`eventCatalogue`, web/vite.config.ts): plain data, no schema. */
declare module 'virtual:event-catalogue' {
  /** What each event type means, in a few words, by its detail type, in the catalogue's order. */
  export const EVENT_HINTS: Readonly<Record<import('../../lambdas/manifest/events').DetailType, string>>;
}
