import type { ImageSummary } from '../../types';
import { Card } from './card';
import { type GalleryOrder, monthGroups } from './timeline';

/*
 * The gallery's tiles: one list (`Images`), with a month header before each month's first tile in the timeline;
 * grey skeleton tiles while the first page loads; and, when it failed, what failed and a Retry instead of a count.
 */

const SKELETONS = 12;

export interface PhotoGridProps {
  items: readonly ImageSummary[];
  order: GalleryOrder;
  loading: boolean;
  error?: string;
  selected: ReadonlySet<string>;
  onSelect: (id: string, on: boolean) => void;
  onOpen: (id: string) => void;
  onRetry: () => void;
}

export function PhotoGrid({ items, order, loading, error, selected, onSelect, onOpen, onRetry }: PhotoGridProps) {
  if (error && items.length === 0) {
    return (
      <div class="load-error" role="alert">
        <p>Could not load your images: {error}</p>
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  if (loading && items.length === 0) {
    return (
      <ul class="grid" aria-label="Loading images" aria-busy="true">
        {Array.from({ length: SKELETONS }, (_, i) => (
          <li key={i} class="card skeleton" aria-hidden="true">
            <span class="thumb" />
            <span class="skeleton-line" />
          </li>
        ))}
      </ul>
    );
  }
  const card = (item: ImageSummary) => (
    <Card key={item.imageId} item={item} selected={selected.has(item.imageId)} onSelect={onSelect} onOpen={onOpen} />
  );
  if (order !== 'taken') {
    return (
      <ul class="grid" aria-label="Images">
        {items.map(card)}
      </ul>
    );
  }
  return (
    <ul class="grid" aria-label="Images">
      {monthGroups(items).flatMap((group) => [
        <li key={`month-${group.month}`} class="date-header" data-month={group.month}>
          <h2>{group.label}</h2>
        </li>,
        ...group.items.map(card),
      ])}
    </ul>
  );
}
