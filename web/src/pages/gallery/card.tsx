import { NAME_PATTERN, SEARCH_FILTERS } from '../../../../lambdas/search/filters';
import { appPath } from '../../config';
import { displayName, matchedByInWords, matchedInWords, thumbnailAtLeast, thumbnailSrcset } from '../../format';
import type { ImageSummary } from '../../types';
import { tileBadge } from '../detail/provenance-words';

const QUALITY_NAMES: Readonly<Record<string, string>> = SEARCH_FILTERS.quality.names;
/**
 * The quality flags a tile shows. `overexposed` is left out: on the 140 real photos of the evaluation set
 * (bench/quality/evalset.ts) it was said 12 times and right none (small cut-outs on white read as blown), where each
 * other flag was wrong once at most. The record, the API and the detail page keep it.
 */
const TILE_QUALITY_FLAGS: ReadonlySet<string> = new Set(['blurry', 'underexposed', 'lowContrast']);

/*
 * A gallery tile: the thumbnail (srcset from the list page's URLs), the name, its top labels, a status badge only
 * for an image that is not PROCESSED (most are: a badge on every tile would say nothing), its quality flags, why a
 * ranked search found it (with search by meaning on), which word of a search found it where ("cat in labels",
 * "segment in text (segmentation)") and the likely matches ("maybe: cat, 56 %"), a star on a favourite, a badge on
 * the picture when it says an AI model made some of it (a camera's or an edit's says nothing a person looks for on a
 * tile: the detail page has them), a count on a stack's primary (a burst, a RAW+JPEG pair: the viewer shows its
 * frames), and, where there is a bulk action (`onSelect`), a checkbox that selects it for one.
 */

/**
 * A tag as a `tag=` filter value (NAME_PATTERN): what the API's normalising drops anyway (`#`, `/`...) left out, so
 * `#summer` filters as `summer`, the term it is indexed under; undefined when nothing is left.
 */
function tagFilter(tag: string): string | undefined {
  const name = tag
    .replace(/[^\p{L}\p{N}\s'.-]/gu, '')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/\s+/g, ' ')
    .trim();
  return NAME_PATTERN.test(name) ? name : undefined;
}

export function Card(props: {
  item: ImageSummary;
  selected?: boolean;
  onSelect?: (id: string, on: boolean) => void;
  /** Opens the photo in the viewer; without it (or with a modifier key: a new tab) the link goes to its page. */
  onOpen?: (id: string) => void;
}) {
  const { onOpen } = props;
  const { onSelect } = props;
  const { item } = props;
  const name = displayName(item);
  const thumbnails = item.thumbnails ?? {};
  const src = thumbnailAtLeast(thumbnails, 512);
  const ratio = item.width && item.height ? `${item.width} / ${item.height}` : undefined;
  const why = matchedInWords(item.matched);
  const matchedBy = matchedByInWords(item.matchedBy);
  const tileFlags = (item.qualityFlags ?? []).filter((flag) => TILE_QUALITY_FLAGS.has(flag));
  const badge = tileBadge(item.provenance);
  const badgeId = `provenance-${item.imageId}`;
  // A frame listed on its own (`stacked=expand`) has the stack's id alone: only the primary says how many.
  const stacked = item.stack?.count;
  const stackId = `stack-${item.imageId}`;
  const described = [badge && badgeId, stacked && stackId].filter(Boolean).join(' ');
  return (
    <li class={`card${props.selected ? ' selected' : ''}`} data-status={item.status} data-image-id={item.imageId}>
      <a
        class="card-link"
        href={appPath(`images/${item.imageId}`)}
        aria-label={name}
        aria-describedby={described || undefined}
        onClick={(event) => {
          if (!onOpen || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
          // The router handles clicks on links at the document: this one stops here.
          event.preventDefault();
          event.stopPropagation();
          onOpen(item.imageId);
        }}
      >
        <span class="thumb" style={{ backgroundColor: item.dominantColor }}>
          {src ? (
            <img
              src={src}
              srcset={thumbnailSrcset(thumbnails, item.width, item.height)}
              sizes="(max-width: 420px) 50vw, 240px"
              loading="lazy"
              decoding="async"
              alt=""
              width={item.width}
              height={item.height}
              style={ratio ? { aspectRatio: ratio } : undefined}
            />
          ) : (
            <span class="placeholder" aria-hidden="true">
              {item.status === 'PENDING' ? 'Processing…' : 'No preview'}
            </span>
          )}
          {badge && (
            <span id={badgeId} class="tile-provenance" role="img" aria-label={badge.label} title={badge.label}>
              {badge.text}
            </span>
          )}
          {stacked && (
            <span
              id={stackId}
              class="tile-stack"
              role="img"
              aria-label={`Stack of ${stacked} photos`}
              title={`Stack of ${stacked} photos`}
            >
              <span aria-hidden="true">❐ </span>
              {stacked}
            </span>
          )}
        </span>
        <span class="name">{name}</span>
      </a>
      {onSelect && (
        <label class="pick">
          <input
            type="checkbox"
            checked={props.selected}
            onChange={(event) => onSelect(item.imageId, event.currentTarget.checked)}
          />
          <span class="visually-hidden">Select {name}</span>
        </label>
      )}
      {item.favourite && (
        <span class="tile-star" role="img" aria-label="A favourite" title="A favourite">
          ★
        </span>
      )}
      {item.status !== 'PROCESSED' && <span class={`badge ${item.status.toLowerCase()}`}>{item.status}</span>}
      {tileFlags.length > 0 && (
        <span class="quality" title="Quality flags">
          {tileFlags.map((flag) => QUALITY_NAMES[flag] ?? flag).join(' · ')}
        </span>
      )}
      {item.topLabels && item.topLabels.length > 0 && <span class="labels">{item.topLabels.join(', ')}</span>}
      {why && <span class="matched">{why}</span>}
      {matchedBy && (
        <span class="matched">
          <span class="visually-hidden">Found by: </span>
          {matchedBy.text}
        </span>
      )}
      {item.tags && item.tags.length > 0 && (
        <ul class="tile-tags" aria-label="Tags">
          {item.tags.map((tag) => {
            const filter = tagFilter(tag);
            return (
              <li key={tag}>
                {filter ? <a href={appPath(`?${new URLSearchParams({ tag: filter })}`)}>{tag}</a> : tag}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}
