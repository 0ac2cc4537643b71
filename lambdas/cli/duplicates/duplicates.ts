import { type ApiFlags, type CommandIo, type Out, runApiCommand } from '../api-command';
import { table } from '../table';

/*
 * `image-intel duplicates ...`: the near-duplicate routes (`/duplicates...`, docs/openapi.json): the open clusters,
 * one block each with the suggested photo marked, and a cluster resolved (keep some, trash the rest) or dismissed.
 */

export interface DuplicatesFlags extends ApiFlags {
  /** One JSON line per cluster or answer, as the API gives it. */
  json?: boolean;
}

/** A photo of a cluster as the API answers it. */
export interface ClusterMember {
  imageId: string;
  width: number;
  height: number;
  bytes: number;
  quality?: number;
  metadataCount: number;
  takenAt?: string;
}

/** An open cluster as `GET /duplicates` answers it: members suggested-first. */
export interface DuplicateCluster {
  clusterId: string;
  createdAt: string;
  updatedAt: string;
  members: ClusterMember[];
  suggestion: { keep: string; reason: string };
}

/** What `POST /duplicates/{id}/resolve` answers. */
export interface ResolvedAnswer {
  clusterId: string;
  kept: string;
  trashed: string[];
  carried: { tags: string[]; albums: string[]; favourite: boolean; people: number; places: number };
}

/** A size in bytes for people: 812 B, 34.5 KB, 2.1 MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** One block per cluster: its id and count, then its photos, the suggested one marked with its reason. */
export function clusterLines(cluster: DuplicateCluster): string[] {
  const rows = cluster.members.map((member) => [
    member.imageId,
    `${member.width}x${member.height}`,
    fileSize(member.bytes),
    member.quality === undefined ? '-' : member.quality.toFixed(2),
    String(member.metadataCount),
    member.takenAt ?? '-',
    member.imageId === cluster.suggestion.keep ? `keep (${cluster.suggestion.reason})` : '',
  ]);
  return [
    `cluster ${cluster.clusterId}: ${cluster.members.length} photos`,
    ...table(['image id', 'pixels', 'size', 'quality', 'metadata', 'taken', ''], rows).map((line) => `  ${line}`),
  ];
}

/** Every open cluster, page by page (at most `cap`). */
async function* openClusters(call: (path: string) => Promise<unknown>, cap: number): AsyncGenerator<DuplicateCluster> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const params = new URLSearchParams({ limit: String(Math.min(50, cap - seen)) });
    if (cursor !== undefined) params.set('cursor', cursor);
    const page = (await call(`/duplicates?${params}`)) as { items: DuplicateCluster[]; cursor?: string };
    for (const cluster of page.items.slice(0, cap - seen)) {
      seen += 1;
      yield cluster;
    }
    cursor = page.cursor;
  } while (cursor !== undefined && seen < cap);
}

/** `duplicates [list]`: GET /duplicates, every open cluster (up to --limit), a block each. */
export async function listDuplicatesCommand(
  flags: DuplicatesFlags & { limit?: number },
  io: CommandIo = {},
): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    let count = 0;
    for await (const cluster of openClusters((path) => client.call('GET', path), flags.limit ?? 1000)) {
      count += 1;
      if (flags.json) out(JSON.stringify(cluster));
      else {
        if (count > 1) out('');
        for (const line of clusterLines(cluster)) out(line);
      }
    }
    if (count === 0 && !flags.json) out('no near-duplicates waiting');
  });
}

/** The open cluster `clusterId`, found by paging `GET /duplicates` (there is no route for one cluster). */
async function findCluster(call: (path: string) => Promise<unknown>, clusterId: string) {
  for await (const cluster of openClusters(call, Number.POSITIVE_INFINITY)) {
    if (cluster.clusterId === clusterId) return cluster;
  }
  return undefined;
}

function printResolved(answer: ResolvedAnswer, flags: DuplicatesFlags, out: Out): void {
  if (flags.json) {
    out(JSON.stringify(answer));
    return;
  }
  const carried = [
    ...(answer.carried.tags.length > 0 ? [`tags ${answer.carried.tags.join(', ')}`] : []),
    ...(answer.carried.albums.length > 0 ? [`albums ${answer.carried.albums.join(', ')}`] : []),
    ...(answer.carried.favourite ? ['favourite'] : []),
    ...(answer.carried.places > 0 ? ['place'] : []),
  ];
  out(`kept ${answer.kept}; ${answer.trashed.length} moved to the trash: ${answer.trashed.join(' ') || 'none'}`);
  if (carried.length > 0) out(`carried to ${answer.kept}: ${carried.join('; ')}`);
}

/**
 * `duplicates resolve <clusterId> [--keep id...]`: POST /duplicates/{id}/resolve, keeping the photos named (default:
 * the suggestion) and trashing the rest of the cluster; the first kept gets what the copies carried.
 */
export async function resolveDuplicatesCommand(
  clusterId: string,
  flags: DuplicatesFlags & { keep?: string[] },
  io: CommandIo = {},
): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    const cluster = await findCluster((path) => client.call('GET', path), clusterId);
    if (cluster === undefined) throw new Error(`no open cluster ${clusterId}: image-intel duplicates lists them`);
    const keep = [...new Set(flags.keep ?? [cluster.suggestion.keep])];
    const ids = new Set(cluster.members.map((member) => member.imageId));
    const strangers = keep.filter((id) => !ids.has(id));
    if (strangers.length > 0) throw new Error(`not in cluster ${clusterId}: ${strangers.join(' ')}`);
    const trash = cluster.members.map((member) => member.imageId).filter((id) => !keep.includes(id));
    const path = `/duplicates/${encodeURIComponent(clusterId)}/resolve`;
    printResolved((await client.call('POST', path, { keep, trash })) as ResolvedAnswer, flags, out);
  });
}

/** `duplicates dismiss <clusterId>`: POST /duplicates/{id}/dismiss; the photos are not duplicates. */
export async function dismissDuplicatesCommand(
  clusterId: string,
  flags: DuplicatesFlags,
  io: CommandIo = {},
): Promise<number> {
  return runApiCommand(flags, io, async (client, out) => {
    const path = `/duplicates/${encodeURIComponent(clusterId)}/dismiss`;
    const answer = await client.call('POST', path);
    out(flags.json ? JSON.stringify(answer) : `cluster ${clusterId} dismissed: its photos are no longer suggested`);
  });
}
