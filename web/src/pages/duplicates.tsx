import { useEffect, useState } from 'preact/hooks';
import { ActionButton } from '../action-button';
import { api, errorMessage } from '../api';
import { appPath } from '../config';
import { displayName, formatBytes, formatDate, thumbnailAtLeast } from '../format';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { useTitle } from '../title';
import type { DuplicateCluster, ImageDetail } from '../types';

/*
 * Duplicates (`/app/duplicates`, `GET /duplicates`): each open cluster of near-duplicates (a photo and its re-encoded,
 * resized or lightly cropped copies) with its photos side by side and how they differ (pixels, file size, quality,
 * date, metadata), the one the API suggests keeping marked with its reason. Keep suggested resolves the cluster with
 * that one kept and the rest trashed; the checkboxes choose others to keep (Keep selected); Not duplicates dismisses
 * it. Either way the cluster leaves the page. Each photo's thumbnail and name come from its record (`GET /images/{id}`).
 */

type Member = DuplicateCluster['members'][number];
const idOf = (cluster: DuplicateCluster) => cluster.clusterId;

export function Duplicates() {
  useTitle('Duplicates');
  const [said, setSaid] = useState<string>();
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const list = usePaged('duplicates', (cursor, signal) => api.listDuplicates({ cursor }, signal), idOf);
  const items = list.items.filter((cluster) => !gone.has(cluster.clusterId));
  const leave = (clusterId: string, words: string) => {
    setGone((before) => new Set([...before, clusterId]));
    setSaid(words);
  };
  return (
    <section aria-labelledby="duplicates-title">
      <h1 id="duplicates-title">Duplicates</h1>
      <p class="muted">
        Photos that are copies of each other: re-saved, resized or lightly cropped. Keep the best and the others go to
        the trash (their tags, albums, favourite and place move to the one kept), or say they are not duplicates.
      </p>
      {said && <p role="status">{said}</p>}
      <ListStatus
        list={{ ...list, items }}
        empty="No duplicates to review."
        counted={(count) => `${count} group${count === 1 ? '' : 's'} of duplicates`}
      />
      <ul class="duplicate-list" aria-label="Groups of duplicates">
        {items.map((cluster) => (
          <ClusterCard key={cluster.clusterId} cluster={cluster} onGone={leave} />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}

function ClusterCard({
  cluster,
  onGone,
}: {
  cluster: DuplicateCluster;
  onGone: (clusterId: string, said: string) => void;
}) {
  const suggested = cluster.suggestion.keep;
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set([suggested]));
  const [records, setRecords] = useState<ReadonlyMap<string, ImageDetail>>(new Map());
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    for (const member of cluster.members) {
      api
        .getImage(member.imageId, controller.signal)
        .then((record) => setRecords((before) => new Map([...before, [member.imageId, record]])))
        // Without its record a photo shows its numbers and no thumbnail: the cluster can still be resolved.
        .catch(() => undefined);
    }
    return () => controller.abort();
  }, [cluster]);
  const nameOf = (imageId: string) => displayName(records.get(imageId) ?? { imageId });
  const resolve = async (keep: string[]) => {
    setProblem(undefined);
    const trash = cluster.members.map((member) => member.imageId).filter((id) => !keep.includes(id));
    try {
      const answer = await api.resolveDuplicates(cluster.clusterId, { keep, trash });
      const moved = answer.trashed.length;
      onGone(
        cluster.clusterId,
        `Kept ${nameOf(answer.kept)}; ${moved} cop${moved === 1 ? 'y' : 'ies'} moved to the trash.`,
      );
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const toggle = (imageId: string, on: boolean) =>
    setChosen((before) => {
      const next = new Set(before);
      if (on) next.add(imageId);
      else next.delete(imageId);
      return next;
    });
  const count = cluster.members.length;
  const headingId = `cluster-${cluster.clusterId}`;
  return (
    <li class="duplicate-cluster" data-cluster-id={cluster.clusterId} aria-labelledby={headingId}>
      <h2 class="duplicate-title" id={headingId}>
        {count} photos, found {formatDate(cluster.updatedAt)}
      </h2>
      <ul class="duplicate-members" aria-label="Photos of this group">
        {cluster.members.map((member) => (
          <MemberCard
            key={member.imageId}
            member={member}
            record={records.get(member.imageId)}
            reason={member.imageId === suggested ? cluster.suggestion.reason : undefined}
            keep={chosen.has(member.imageId)}
            onKeep={(on) => toggle(member.imageId, on)}
          />
        ))}
      </ul>
      <div class="duplicate-actions">
        <ActionButton class="" action={() => resolve([suggested])}>
          Keep suggested
        </ActionButton>
        <ActionButton
          class="secondary"
          action={() => resolve(cluster.members.map((member) => member.imageId).filter((id) => chosen.has(id)))}
        >
          Keep selected ({chosen.size})
        </ActionButton>
        <ActionButton
          class="secondary"
          action={async () => {
            setProblem(undefined);
            try {
              await api.dismissDuplicates(cluster.clusterId);
              onGone(cluster.clusterId, `The ${count} photos stay: they are no longer suggested as duplicates.`);
            } catch (error) {
              setProblem(errorMessage(error));
            }
          }}
        >
          Not duplicates
        </ActionButton>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}

function MemberCard(props: {
  member: Member;
  record?: ImageDetail;
  reason?: string;
  keep: boolean;
  onKeep: (on: boolean) => void;
}) {
  const { member, record, reason, keep, onKeep } = props;
  const name = displayName(record ?? member);
  const src = record && thumbnailAtLeast(record.urls.thumbnails ?? {}, 256);
  return (
    <li class={reason ? 'duplicate-member suggested' : 'duplicate-member'} data-image-id={member.imageId}>
      <a class="duplicate-thumb" href={appPath(`images/${member.imageId}`)}>
        {src ? (
          <img class="duplicate-image" src={src} alt={name} loading="lazy" decoding="async" />
        ) : (
          <span class="placeholder">{name}</span>
        )}
      </a>
      <p class="duplicate-name">{name}</p>
      {reason && <p class="duplicate-reason">Suggested: {reason}</p>}
      <ul class="duplicate-facts">
        <li>
          {member.width} × {member.height} px
        </li>
        <li>{formatBytes(member.bytes)}</li>
        <li>{member.quality === undefined ? 'Quality not measured' : `Quality ${member.quality.toFixed(2)}`}</li>
        <li>{member.takenAt ? `Taken ${formatDate(member.takenAt)}` : 'No date taken'}</li>
        <li>
          {member.metadataCount} metadata field{member.metadataCount === 1 ? '' : 's'}
        </li>
      </ul>
      <label>
        <input type="checkbox" checked={keep} onChange={(event) => onKeep(event.currentTarget.checked)} /> Keep{' '}
        <span class="visually-hidden">{name}</span>
      </label>
    </li>
  );
}
