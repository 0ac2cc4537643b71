import type { ComponentChildren } from 'preact';
import type { ImageDetail } from '../../types';

/* A titled panel of the detail page, and the term/value list most panels show. */

/**
 * What a panel that can change the photo is given: the record, what to do once it changed, and `readOnly` for
 * another owner's photo (a partner's): what it has, without the controls that change it.
 */
export interface EditablePanelProps {
  record: ImageDetail;
  onChange: () => void;
  readOnly?: boolean;
}

/** `wide`: across the whole grid of panels. Named by its heading, so it is a region a screen reader can jump to. */
export function Section({ title, wide, children }: { title: string; wide?: boolean; children: ComponentChildren }) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section class={wide ? 'panel wide' : 'panel'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
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
