/**
 * Pairwise precision and recall of a grouping (the measure of Immich's and most face-clustering evaluations): over
 * every pair of faces, a pair grouped together is right when both are the same true person.
 * - precision: of the pairs grouped together, the share that are one person (1 when nothing is grouped together);
 * - recall: of the pairs that are one person, the share grouped together (1 when no two faces share a person).
 * Counted per cell of the (group, person) table, so a set of n faces costs O(n), not O(n^2).
 */
export interface PairwiseScores {
  precision: number;
  recall: number;
  /** The pairs behind the two shares, so a reader sees how many pairs a figure rests on. */
  pairs: { together: number; samePerson: number; both: number };
}

/**
 * `assignments` and `labels` map the same face keys (any string, say `<image>#<face>`) to the person each was
 * grouped into and the person it truly is. A face in one map and not the other is the caller's mistake: an error.
 */
export function pairwiseScores(
  assignments: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): PairwiseScores {
  const faces = Object.keys(assignments);
  const unlabelled = faces.filter((face) => labels[face] === undefined);
  const unassigned = Object.keys(labels).filter((face) => assignments[face] === undefined);
  if (unlabelled.length > 0 || unassigned.length > 0) {
    throw new Error(
      `assignments and labels must name the same faces: ${unlabelled.length} without a label (${unlabelled.slice(0, 3).join(', ')}), ${unassigned.length} without an assignment (${unassigned.slice(0, 3).join(', ')})`,
    );
  }
  const tally = (keyOf: (face: string) => string) => {
    const counts = new Map<string, number>();
    for (const face of faces) counts.set(keyOf(face), (counts.get(keyOf(face)) ?? 0) + 1);
    return [...counts.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
  };
  const together = tally((face) => assignments[face] as string);
  const samePerson = tally((face) => labels[face] as string);
  // Joined by a NUL, which ids and labels do not hold: `a` + `b#c` and `a#b` + `c` stay two cells.
  const both = tally((face) => `${assignments[face]}\u0000${labels[face]}`);
  return {
    precision: together === 0 ? 1 : both / together,
    recall: samePerson === 0 ? 1 : both / samePerson,
    pairs: { together, samePerson, both },
  };
}
