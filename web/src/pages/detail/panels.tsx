import type { ComponentChildren } from 'preact';

/* A titled panel of the detail page, and the term/value list most panels show. */

/** `wide`: across the whole grid of panels. */
export function Section({ title, wide, children }: { title: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <section class={wide ? 'panel wide' : 'panel'}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Facts({ rows, code }: { rows: Array<[string, string | number | undefined | false]>; code?: boolean }) {
  const shown = rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== false);
  return (
    <dl class="facts-list">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{code ? <code class="wrap">{value}</code> : value}</dd>
        </div>
      ))}
    </dl>
  );
}
