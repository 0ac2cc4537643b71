/*
 * Near-duplicates (issue 81), measured as production finds them: each photo analysed as the processor does
 * (`analyzeImage`, then `windowHashes` of its decoded pixels), compared by the duplicates room's rule
 * (lambdas/duplicates/near.ts). First the signal (which pairs each rule finds, at each distance), then the clusters
 * formed as a library of these photos arrives, the second signal's looser hash bound (search by meaning on: the pairs
 * it lets through, and the clusters with two stand-in models, since no image-text model runs here), the photo each
 * cluster suggests keeping (lambdas/duplicates/suggest.ts), and what the reads and writes cost. README.md says where the pictures come from; results.md is this output.
 *
 *   npm run bench:duplicates            # about 11 minutes on 2 shared cores
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { hammingDistance } from '../../lambdas/core/analysis/phash';
import { PHASH_BANDS } from '../../lambdas/core/analysis/phash-bands';
import type { WindowHashes, WindowName } from '../../lambdas/core/analysis/windows';
import { distanceBetween, EMBEDDING_TOP_K, LOOSE_NEAR_DISTANCE, NEAR_DISTANCE } from '../../lambdas/duplicates/near';
import { type MemberFacts, memberFactsOf, QUALITY_TOLERANCE, suggestKeep } from '../../lambdas/duplicates/suggest';
import { describeMachine } from '../../test/support/machine';
import { type Arrival, type ClusterRun, FULL_PROBE, formClusters, type Probing } from './clusters';
import { COPIES, LABELS, makePhotos, NAMES, type Photo, STEPS } from './photos';

/** The rules compared: which of a photo's windows count, each against the other's whole (near.ts: all six). */
const RULES: { name: string; windows: WindowName[] }[] = [
  { name: 'whole only (today: `/similar`)', windows: [] },
  { name: 'whole + middle 90 %, 80 %', windows: ['middle90', 'middle80'] },
  {
    name: 'whole + middle + each edge (the duplicates rule, `distanceBetween`)',
    windows: ['middle90', 'middle80', 'left90', 'right90', 'top90', 'bottom90'],
  },
];
const DISTANCES = [6, 8, 10, 12];
/** The cheaper probing measured: the whole still to NEAR_DISTANCE, each window to this. */
const CHEAP_PROBE: Probing = { wholeTo: NEAR_DISTANCE, windowsTo: 6 };
/** DynamoDB on demand, us-east-1, November 2026 (docs/costs.md), dollars per request unit. */
const READ_UNIT = 0.125e-6;
const WRITE_UNIT = 0.625e-6;

function distance(a: WindowHashes, b: WindowHashes, windows: WindowName[]): number {
  if (windows.length === 6) return distanceBetween(a, b);
  let nearest = hammingDistance(a.whole, b.whole);
  for (const window of windows) {
    nearest = Math.min(nearest, hammingDistance(a[window], b.whole), hammingDistance(a.whole, b[window]));
  }
  return nearest;
}

/**
 * Pairs of one scene that are different photos, never duplicates: KPhotoAlbum's demo album has several photos of
 * each of seven moments (the same people at the same table, the same dog, the same canyon).
 */
function sameMoment(a: string, b: string): boolean {
  const moment = (name: string) => /\/kpa-(.+?)(-\d)?\.jpg$/.exec(name)?.[1]?.replace(/-face$/, '') ?? `${name} alone`;
  return a !== b && moment(a) === moment(b);
}

const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((100 * part) / whole)} %`);
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
const round = (value: number, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits });

function signalTables(photos: Photo[]): string[] {
  const originals = new Map(photos.filter((p) => p.kind === 'original').map((p) => [p.picture, p.hashes]));
  const steps = NAMES.map((name) => stepsOf(photos, name));
  const pairs: { a: string; b: string; moment: boolean }[] = [];
  for (let i = 0; i < NAMES.length; i++) {
    for (let j = i + 1; j < NAMES.length; j++) {
      const [a, b] = [NAMES[i] as string, NAMES[j] as string];
      if (LABELS[a]?.from !== LABELS[b]?.from) pairs.push({ a, b, moment: sameMoment(a, b) });
    }
  }
  const moments = pairs.filter((pair) => pair.moment).length;
  const lines = [
    '## The signal: pairs',
    '',
    `${NAMES.length} pictures, ${Object.keys(COPIES).length} copies of each (${NAMES.length * Object.keys(COPIES).length} ` +
      `duplicate pairs), ${pairs.length} pairs of different pictures, ${moments} of them different photos of one moment, ` +
      `and ${steps.length} steps to the side (a picture's left 70 % against its right 70 %).`,
    '',
  ];
  for (const rule of RULES) {
    const stored = 1 + rule.windows.length;
    const of = (a: WindowHashes, b: WindowHashes) => distance(a, b, rule.windows);
    const copyDistances = Object.keys(COPIES).map((kind) => ({
      kind,
      distances: photos
        .filter((p) => p.kind === kind)
        .map((p) => of(originals.get(p.picture) as WindowHashes, p.hashes)),
    }));
    const pairDistances = pairs.map((pair) => ({
      ...pair,
      d: of(originals.get(pair.a) as WindowHashes, originals.get(pair.b) as WindowHashes),
    }));
    const stepDistances = steps.map(([left, right]) => of(left, right));
    const within = (values: number[], d: number) => values.filter((v) => v <= d).length;
    lines.push(`### ${rule.name}`, '');
    lines.push(`${stored} hash${stored > 1 ? 'es' : ''} a photo: ${stored * PHASH_BANDS} band postings a photo.`, '');
    lines.push(`| copy | ${DISTANCES.map((d) => `found at <= ${d}`).join(' | ')} |`);
    lines.push(`| --- | ${DISTANCES.map(() => '---').join(' | ')} |`);
    for (const { kind, distances } of copyDistances) {
      lines.push(`| ${kind} | ${DISTANCES.map((d) => percent(within(distances, d), distances.length)).join(' | ')} |`);
    }
    const all = copyDistances.flatMap(({ distances }) => distances);
    const found = DISTANCES.map((d) => within(all, d));
    const wrong = DISTANCES.map((d) =>
      within(
        pairDistances.map((p) => p.d),
        d,
      ),
    );
    const wrongSteps = DISTANCES.map((d) => within(stepDistances, d));
    const momentDistances = pairDistances.filter((p) => p.moment).map((p) => p.d);
    lines.push(`| **every copy (recall)** | ${found.map((n) => `**${percent(n, all.length)}**`).join(' | ')} |`);
    lines.push(
      `| different pictures paired | ${wrong.map((n) => `${n} of ${pairs.length} (${((1e6 * n) / pairs.length).toFixed(0)} per million)`).join(' | ')} |`,
    );
    lines.push(
      `| one moment, different photos, paired | ${DISTANCES.map((d) => `${within(momentDistances, d)} of ${moments}`).join(' | ')} |`,
    );
    lines.push(`| a step to the side, paired | ${wrongSteps.map((n) => `${n} of ${steps.length}`).join(' | ')} |`);
    lines.push(
      `| **precision on these pairs** | ${found.map((n, i) => `**${percent(n, n + (wrong[i] ?? 0) + (wrongSteps[i] ?? 0))}**`).join(' | ')} |`,
      '',
    );
    const close = pairDistances.filter(({ d }) => d <= 10).sort((x, y) => x.d - y.d);
    if (close.length > 0) {
      lines.push('Different pictures within 10:', '');
      for (const { a, b, d } of close) lines.push(`- ${a} and ${b}: ${d}`);
      lines.push('');
    }
  }
  return lines;
}

function stepsOf(photos: Photo[], name: string): [WindowHashes, WindowHashes] {
  const [left, right] = Object.keys(STEPS).map(
    (kind) => (photos.find((p) => p.picture === name && p.kind === kind) as Photo).hashes,
  );
  return [left as WindowHashes, right as WindowHashes];
}

/** The looser hash bounds the second signal (the embedding) may pair within, measured. */
const LOOSE_BOUNDS = [10, 12, 14, 16];

/**
 * With search by meaning on, a photo the embedding calls near is near when its hashes are within LOOSE_NEAR_DISTANCE
 * (near.ts). No model here: what the hash bound alone lets through is measured, so the embedding can add at most the
 * copies missed at NEAR_DISTANCE that come within the bound, and risks at most the different pairs that do.
 */
function secondSignalTable(photos: Photo[]): string[] {
  const originals = new Map(photos.filter((p) => p.kind === 'original').map((p) => [p.picture, p.hashes]));
  const missed = photos
    .filter((p) => p.kind in COPIES)
    .map((p) => ({ kind: p.kind, d: distanceBetween(originals.get(p.picture) as WindowHashes, p.hashes) }))
    .filter(({ d }) => d > NEAR_DISTANCE);
  const pairs: { d: number; moment: boolean }[] = [];
  for (let i = 0; i < NAMES.length; i++) {
    for (let j = i + 1; j < NAMES.length; j++) {
      const [a, b] = [NAMES[i] as string, NAMES[j] as string];
      if (LABELS[a]?.from === LABELS[b]?.from) continue;
      const d = distanceBetween(originals.get(a) as WindowHashes, originals.get(b) as WindowHashes);
      if (d > NEAR_DISTANCE) pairs.push({ d, moment: sameMoment(a, b) });
    }
  }
  const steps = NAMES.map((name) => stepsOf(photos, name))
    .map(([left, right]) => distanceBetween(left, right))
    .filter((d) => d > NEAR_DISTANCE);
  const stepToPicture = photos
    .filter((p) => p.kind in STEPS)
    .map((p) => distanceBetween(originals.get(p.picture) as WindowHashes, p.hashes))
    .filter((d) => d > NEAR_DISTANCE);
  const within = (values: number[], d: number) => values.filter((v) => v <= d).length;
  const row = (name: string, values: number[]) =>
    `| ${name} (${values.length} past ${NEAR_DISTANCE}) | ${LOOSE_BOUNDS.map((d) => String(within(values, d))).join(' | ')} |`;
  const kinds = [...new Set(missed.map(({ kind }) => kind))];
  return [
    '## The second signal (search by meaning on): the looser hash bound',
    '',
    `A photo the vector index finds near (its top ${EMBEDDING_TOP_K}, within the cosine threshold) is near when the ` +
      `rule puts its hashes within ${LOOSE_NEAR_DISTANCE} (near.ts \`LOOSE_NEAR_DISTANCE\`). No image-text model ` +
      'ships on this machine, so the cosine threshold is not measured: these are the pairs past ' +
      `NEAR_DISTANCE ${NEAR_DISTANCE} that each bound lets through, the copies the embedding can add at most and the ` +
      'different pictures it risks at most (if the model calls every one of them near).',
    '',
    `| pairs past ${NEAR_DISTANCE} | ${LOOSE_BOUNDS.map((d) => `within ${d}`).join(' | ')} |`,
    `| --- | ${LOOSE_BOUNDS.map(() => '---').join(' | ')} |`,
    ...kinds.map((kind) =>
      row(
        `copy: ${kind}`,
        missed.filter((m) => m.kind === kind).map(({ d }) => d),
      ),
    ),
    row(
      '**every copy the hashes missed (recall to gain)**',
      missed.map(({ d }) => d),
    ),
    row(
      'different pictures',
      pairs.map(({ d }) => d),
    ),
    row(
      'one moment, different photos',
      pairs.filter((p) => p.moment).map(({ d }) => d),
    ),
    row('a step to the side and the other step', steps),
    row('a step to the side and its picture', stepToPicture),
    '',
  ];
}

/** A fixed shuffle (mulberry32), so every run clusters the same arrivals in the same order. */
function shuffled<T>(items: readonly T[], seed = 81): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Which copy of which picture a photo is: copies of one picture (and the picture) are one duplicate group. */
const groupOf = (photo: Photo) => (photo.kind in STEPS ? `${photo.kind} of ${photo.picture}` : photo.picture);

type PairKind =
  | 'true'
  | 'different pictures'
  | 'one moment'
  | 'step and its picture'
  | 'left and right step'
  | 'set aside';

function pairKind(a: Photo, b: Photo): PairKind {
  if (groupOf(a) === groupOf(b)) return 'true';
  const stepA = a.kind in STEPS;
  const stepB = b.kind in STEPS;
  if (a.picture === b.picture) return stepA && stepB ? 'left and right step' : 'step and its picture';
  // A face crop and the photo it was cut from share a source: neither a duplicate nor a different picture.
  if (LABELS[a.picture]?.from === LABELS[b.picture]?.from) return 'set aside';
  return !stepA && !stepB && sameMoment(a.picture, b.picture) ? 'one moment' : 'different pictures';
}

function clusterTable(title: string, run: ClusterRun, byId: Map<string, Photo>): string[] {
  const kinds = ['original', ...Object.keys(COPIES)];
  const perKind = new Map(kinds.map((kind) => [kind, { pairs: 0, truePairs: 0, withOriginal: 0 }]));
  const falsePairs = new Map<PairKind, number>();
  let pairs = 0;
  let truePairs = 0;
  const mixed: string[] = [];
  const setAside: string[] = [];
  for (const cluster of run.clusters) {
    const members = cluster.map((id) => byId.get(id) as Photo);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = [members[i] as Photo, members[j] as Photo];
        const kind = pairKind(a, b);
        if (kind === 'set aside') continue;
        pairs++;
        if (kind === 'true') truePairs++;
        else falsePairs.set(kind, (falsePairs.get(kind) ?? 0) + 1);
        for (const photo of a.kind === b.kind ? [a] : [a, b]) {
          const row = perKind.get(photo.kind);
          if (!row) continue;
          row.pairs++;
          if (kind === 'true') row.truePairs++;
        }
        if (kind === 'true' && (a.kind === 'original' || b.kind === 'original')) {
          const copy = a.kind === 'original' ? b : a;
          const row = perKind.get(copy.kind);
          if (row) row.withOriginal++;
        }
      }
    }
    const groups = new Map<string, { photo: Photo; count: number }>();
    for (const member of members) {
      const group = groups.get(groupOf(member));
      groups.set(groupOf(member), { photo: member, count: (group?.count ?? 0) + 1 });
    }
    const firsts = [...groups.values()].map(({ photo }) => photo);
    const apart = firsts.some((a, i) => firsts.slice(i + 1).some((b) => pairKind(a, b) !== 'set aside'));
    if (groups.size > 1) {
      const line = [...groups].map(([group, { count }]) => `${group} (${count})`).join(' + ');
      if (apart) mixed.push(line);
      else setAside.push(line);
    }
  }
  const groupSize = 1 + Object.keys(COPIES).length;
  const allTrue = (NAMES.length * groupSize * (groupSize - 1)) / 2;
  const lines = [
    `### ${title}`,
    '',
    `${run.clusters.length} clusters, ${round(mean(run.clusters.map((c) => c.length)), 1)} photos each on average.`,
    '',
    '| photos | pairs in one cluster | of them copies of one picture | pairwise precision | pairwise recall | with its original |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const kind of kinds) {
    const row = perKind.get(kind) as { pairs: number; truePairs: number; withOriginal: number };
    // Each photo of a picture's group has 9 true pairs; a copy of this kind pairs with the other 9 of its group.
    const possible = NAMES.length * (groupSize - 1);
    lines.push(
      `| ${kind} | ${row.pairs} | ${row.truePairs} | ${percent(row.truePairs, row.pairs)} | ${percent(row.truePairs, possible)} | ${
        kind === 'original' ? '-' : percent(row.withOriginal, NAMES.length)
      } |`,
    );
  }
  lines.push(
    `| **every photo** | **${pairs}** | **${truePairs}** | **${percent(truePairs, pairs)}** | **${percent(truePairs, allTrue)}** (${truePairs} of ${allTrue}) | |`,
    '',
  );
  const wrong = [...falsePairs].map(([kind, n]) => `${n} ${kind}`).join(', ');
  lines.push(`Pairs in one cluster that are not copies of one picture: ${wrong || 'none'}.`, '');
  if (run.leftApart.otherCluster + run.leftApart.unclustered > 0) {
    lines.push(
      `Arrivals near a second cluster (left apart): ${run.leftApart.otherCluster}; near unclustered photos that stayed out: ${run.leftApart.unclustered}.`,
      '',
    );
  }
  lines.push(`Clusters holding more than one picture: ${mixed.length}${mixed.length > 0 ? ':' : '.'}`, '');
  for (const line of mixed) lines.push(`- ${line}`);
  if (mixed.length > 0) lines.push('');
  if (setAside.length > 0)
    lines.push(`And a face crop with the photo it was cut from (set aside): ${setAside.join('; ')}.`, '');
  return lines;
}

function suggestionTable(run: ClusterRun, byId: Map<string, Photo>): string[] {
  const facts = new Map([...byId].map(([id, photo]) => [id, memberFactsOf(id, photo.record)]));
  const withOriginal = run.clusters.filter((cluster) => cluster.some((id) => byId.get(id)?.kind === 'original'));
  const tolerances = [0, QUALITY_TOLERANCE, 0.1];
  const reasons = new Map<string, number>();
  const losses: string[] = [];
  /** The kinds kept instead of the original, and how often the original was kept. */
  const measure = (tolerance: number, originalFirst: boolean) => {
    let original = 0;
    const instead = new Map<string, number>();
    for (const cluster of withOriginal) {
      // "Original first": its id made the oldest of the cluster, as when a camera's file is uploaded before the
      // copies made of it; otherwise the ids are in the shuffled order of arrival.
      const members = cluster.map((id) => {
        const member = facts.get(id) as MemberFacts;
        const first = originalFirst && byId.get(id)?.kind === 'original';
        return originalFirst ? { ...member, imageId: `${first ? 'a' : 'b'}${id}` } : member;
      });
      const { keep, reason } = suggestKeep(members, tolerance);
      const kept = byId.get(originalFirst ? keep.slice(1) : keep) as Photo;
      const kind = kept.kind;
      if (kind === 'original') original++;
      else instead.set(kind, (instead.get(kind) ?? 0) + 1);
      if (kind !== 'original' && tolerance === QUALITY_TOLERANCE && originalFirst) {
        losses.push(`${kept.picture}: its ${kind}, ${reason}`);
      }
      if (tolerance === QUALITY_TOLERANCE && !originalFirst) {
        const test = reason.replace(/ \(.*$/, '').replace(/:.*$/, '');
        reasons.set(test, (reasons.get(test) ?? 0) + 1);
      }
    }
    const others = [...instead]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    return `${percent(original, withOriginal.length)} (${original}) | ${others || '-'}`;
  };
  const lines = [
    '## The photo each cluster suggests keeping',
    '',
    `The ${withOriginal.length} clusters that hold an original picture (join, every hash probed to ${NEAR_DISTANCE}): ` +
      'how often suggest.ts keeps the original, with the ids in the shuffled order of arrival ("the oldest" is ' +
      "whichever arrived first), and with the original made the oldest of its cluster, as when the camera's file " +
      'is uploaded before the copies made of it.',
    '',
    '| quality scores equal within | the original kept, shuffled arrival | kept instead | the original kept, original first | kept instead |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const tolerance of tolerances) {
    lines.push(
      `| ${tolerance === 0 ? '0 (raw scores)' : tolerance}${tolerance === QUALITY_TOLERANCE ? ' (suggest.ts)' : ''} | ${measure(tolerance, false)} | ${measure(tolerance, true)} |`,
    );
  }
  const scores = withOriginal.flatMap((cluster) => cluster.map((id) => facts.get(id)?.quality ?? 0));
  lines.push(
    '',
    `The first test each reason names (suggest.ts, shuffled arrival): ${[...reasons].map(([reason, n]) => `"${reason}" ${n}`).join(', ')}. ` +
      `Quality scores of these clusters' photos: ${scores.filter((q) => q === 1).length} of ${scores.length} score 1.`,
    '',
    `Where the original, first to arrive, was not kept (scores equal within ${QUALITY_TOLERANCE}):`,
    '',
    ...losses.sort().map((loss) => `- ${loss}`),
    '',
  );
  return lines;
}

function costTable(runs: { name: string; run: ClusterRun }[]): string[] {
  const lines = [
    '## The cost: band values read and written',
    '',
    'Each arriving photo reads the band values its seven hashes probe (one DynamoDB item a value, by BatchGetItem, ' +
      '100 keys a request, eventually consistent: 0.5 read unit a key up to 4 KB, an absent key too) and writes its ' +
      'postings under the 28 values of its hashes (one write unit each while a band item stays under 1 KB). Prices: ' +
      'DynamoDB on demand, us-east-1, November 2026: $0.125 per million read units, $0.625 per million write units.',
    '',
    '| probing | band values read a photo | BatchGetItem requests | of them holding postings | postings read | photos found near (all arrivals) | read units a photo | reads per 1,000 photos | band values written | writes per 1,000 photos |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { name, run } of runs) {
    const keys = mean(run.reads.map((r) => r.keys));
    const writes = mean(run.writes);
    lines.push(
      `| ${name} | ${round(keys)} | ${round(mean(run.reads.map((r) => Math.ceil(r.keys / 100))), 1)} | ${round(
        mean(run.reads.map((r) => r.occupied)),
        1,
      )} | ${round(mean(run.reads.map((r) => r.postings)), 1)} | ${round(mean(run.reads.map((r) => r.near)), 1)} (${run.reads.reduce((sum, r) => sum + r.near, 0)}) | ${round(
        keys / 2,
      )} | $${(1000 * (keys / 2) * READ_UNIT).toFixed(4)} | ${round(writes, 1)} | $${(1000 * writes * WRITE_UNIT).toFixed(4)} |`,
    );
  }
  const largest = Math.max(...runs.map(({ run }) => run.largestBand));
  lines.push(
    '',
    `Means over the ${runs[0]?.run.reads.length} arrivals of a library growing from 0 to ${runs[0]?.run.reads.length} photos; ` +
      `the most photos one band value held at the end: ${largest}.`,
    '',
  );
  return lines;
}

async function main() {
  const started = performance.now();
  const photos = await makePhotos();
  const analysed = performance.now();
  const arrivals = shuffled(photos).map((photo, at) => ({ id: `img-${String(at).padStart(5, '0')}`, photo }));
  const byId = new Map(arrivals.map(({ id, photo }) => [id, photo]));
  const library: Arrival[] = arrivals.map(({ id, photo }) => ({ id, hashes: photo.hashes }));
  const joined = formClusters(library, 'join');
  const merged = formClusters(library, 'merge');
  const cheap = formClusters(library, 'join', CHEAP_PROBE);
  // The embedding stood in for by two models: one that calls near only copies of one picture (the best it can do),
  // and one that also calls near the photos of one scene: a picture, its steps to the side, its moment's other photos.
  const bound = LOOSE_NEAR_DISTANCE;
  const photoOf = (id: string) => byId.get(id) as Photo;
  const copiesOnly = formClusters(library, 'join', FULL_PROBE, {
    bound,
    says: (a, b) => groupOf(photoOf(a)) === groupOf(photoOf(b)),
  });
  const scenes = formClusters(library, 'join', FULL_PROBE, {
    bound,
    says: (a, b) => {
      const [x, y] = [photoOf(a).picture, photoOf(b).picture];
      return x === y || sameMoment(x, y);
    },
  });

  const lines: string[] = [
    '# Near-duplicates: results',
    '',
    `Command: \`npm run bench:duplicates\`. ${describeMachine()}`,
    '',
    'Each photo analysed as the processor does (`analyzeImage` with `keepPixels`, `windowHashes` of its 1024 px raster) ' +
      `and compared by lambdas/duplicates/near.ts at NEAR_DISTANCE ${NEAR_DISTANCE}.`,
    '',
    ...signalTables(photos),
    '## The clusters',
    '',
    `${photos.length} photos in one library, in a fixed shuffled order: the ${NAMES.length} pictures, their ` +
      `${Object.keys(COPIES).length} copies each and their ${Object.keys(STEPS).length} steps to the side. A pair in ` +
      'one cluster is true when both are copies of one picture (or the picture); a step to the side is a picture of ' +
      'its own. A face crop and the photo it was cut from are set aside. "With its original": the copies of that kind ' +
      'in the same cluster as their picture.',
    '',
    ...clusterTable(`Join (as production forms them), every hash probed to ${NEAR_DISTANCE}`, joined, byId),
    ...clusterTable('Merge: a photo near two clusters merges them', merged, byId),
    ...clusterTable(
      `Join, the whole probed to ${CHEAP_PROBE.wholeTo} and the windows to ${CHEAP_PROBE.windowsTo}`,
      cheap,
      byId,
    ),
    ...secondSignalTable(photos),
    ...clusterTable(
      `Join with the second signal, an embedding that calls near only copies of one picture (within ${bound})`,
      copiesOnly,
      byId,
    ),
    ...clusterTable(
      `Join with the second signal, an embedding that calls near every photo of one scene (its steps, its moment; within ${bound})`,
      scenes,
      byId,
    ),
    ...suggestionTable(joined, byId),
    ...costTable([
      { name: `every hash to ${NEAR_DISTANCE}`, run: joined },
      {
        name: `the whole to ${CHEAP_PROBE.wholeTo}, the windows to ${CHEAP_PROBE.windowsTo} (production: \`probedBands\`)`,
        run: cheap,
      },
    ]),
    `Made in ${((performance.now() - started) / 1000).toFixed(0)} s (${((analysed - started) / 1000).toFixed(0)} s of it making and analysing the photos).`,
    '',
  ];
  const text = lines.join('\n');
  writeFileSync(path.join(__dirname, 'results.md'), text);
  process.stdout.write(text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
