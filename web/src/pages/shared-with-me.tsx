import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, isAbort } from '../api';
import { appPath } from '../config';
import { displayName, formatDate } from '../format';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { RowThumb } from '../row-thumb';
import { useTitle } from '../title';
import type { ImageSummary, PartnerGrant } from '../types';
import { takenInWords } from './gallery/timeline';
import { scopeInWords, sharedWithMePath } from './partners/words';

/*
 * Shared with me (`/app/shared-with-me`, docs/api.md "Partners"): the photos partners share with the caller, newest
 * taken first, a row per photo as the Archive page has them, a page at a time: one partner's
 * (`?partner=<grantor>`: `GET /images?partner=`) or every partner's merged (`GET /images?partners=all`). A photo
 * opens on its own page, read-only (detail.tsx): it is its owner's.
 */

const PAGE_SIZE = '50';
const idOf = (item: ImageSummary) => item.imageId;

export function SharedWithMe() {
  const { query } = useLocation();
  const partner = query.partner || undefined;
  useTitle(partner ? `Shared with me by ${partner}` : 'Shared with me');
  const [grants, setGrants] = useState<PartnerGrant[]>();
  useEffect(() => {
    const controller = new AbortController();
    api
      .listPartners(controller.signal)
      .then((list) => setGrants(list.received))
      .catch((error) => {
        if (!isAbort(error)) setGrants([]);
      });
    return () => controller.abort();
  }, []);
  const list = usePaged(
    `shared-with-me:${partner ?? ''}`,
    (cursor, signal) => {
      const asked = new URLSearchParams(partner ? { partner } : { partners: 'all' });
      asked.set('limit', PAGE_SIZE);
      if (cursor) asked.set('cursor', cursor);
      return api.listImages(asked, signal);
    },
    idOf,
  );
  const grant = partner ? grants?.find((each) => each.grantor === partner) : undefined;

  return (
    <section aria-labelledby="shared-with-me-title">
      <p>
        <a href={appPath('partners')}>Partners</a>
      </p>
      <h1 id="shared-with-me-title">Shared with me</h1>
      <p class="muted">
        {partner
          ? `${partner} shares ${grant ? scopeInWords(grant).toLowerCase() : 'photos'} with you.`
          : 'The photos every partner shares with you, newest taken first.'}{' '}
        They are theirs: you can look at them and download them, not change them.
      </p>
      {grants && grants.length > 0 && (
        <nav aria-label="Partners sharing with me" class="partner-picker">
          <a href={sharedWithMePath()} aria-current={partner ? undefined : 'page'}>
            Everyone
          </a>
          {grants.map((each) => (
            <a
              key={each.grantor}
              href={sharedWithMePath(each.grantor)}
              aria-current={each.grantor === partner ? 'page' : undefined}
            >
              {each.grantor}
            </a>
          ))}
        </nav>
      )}
      <ListStatus
        list={list}
        empty={partner ? `${partner} shares no photos with you.` : 'No one shares photos with you.'}
        counted={(n) => `${n} shared photo${n === 1 ? '' : 's'}`}
      />
      <ul class="trash-list" aria-label="Shared photos">
        {list.items.map((item) => (
          <li key={item.imageId} class="trash-row shared-row" data-image-id={item.imageId}>
            <RowThumb item={item} />
            <div class="trash-text">
              <a class="trash-name" href={appPath(`images/${item.imageId}`)}>
                {displayName(item)}
              </a>
              <p class="muted">
                {item.takenAt ? `Taken ${takenInWords(item.takenAt)}` : `Uploaded ${formatDate(item.createdAt)}`}
              </p>
            </div>
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}
