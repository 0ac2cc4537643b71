import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Provenance } from '../../../../core/provenance';
import { type ProvenanceOptions, readProvenance } from '../../../../provenance/read-provenance';
import { trustAnchorsProblem } from '../../../../provenance/trust-anchors-contract';
import type { ProcessorConfig } from '../contract';
import type { ProcessorDeps } from '../ports';
import type { Decoded, EnrichmentStep } from '../step';

/**
 * Where the picture comes from (`provenance`, lambdas/provenance): its Content Credentials, checked against the
 * deployment's trust anchors (`provenanceTrustAnchors`), and the digital source type its XMP declares, summed up.
 * From the original's bytes alone: no inference, no network, so it runs with every provider, beside vision, and
 * before the owner's policy, which may act on it. A record analysed before it was read is of an older
 * ANALYSIS_VERSION (1.3.0), which `backfill --reprocess` analyses again.
 */
export const provenanceStep: EnrichmentStep = {
  name: 'provenance',
  when: 'decoded',
  async run({ deps }, { decoded }) {
    const provenance = await provenanceOf(decoded, deps);
    if (provenance.unread) {
      deps.onNote?.("Content Credentials not read: the C2PA reader's thread could not start", {});
    }
    return { item: { provenance } };
  },
  // Credentials left unread (the reader's thread could not start) are read again.
  stale: ({ provenance }) => provenance?.unread === true,
  open: (config, { root }) => (config.PROVENANCE_TRUST_ANCHORS ? { provenance: trustAnchorsOf(config, root) } : {}),
};

const reads = new WeakMap<Buffer, { options: ProvenanceOptions | undefined; read: Promise<Provenance> }>();

/**
 * The original's provenance, read once per run: the `renditions` step, which runs beside this one, needs its digital
 * source type too (`renditionsKeepDigitalSourceType`), and waits for the same read rather than reading it twice.
 * Kept by the original's bytes, for as long as they are held, and for the trust anchors it was read with.
 */
export function provenanceOf(decoded: Decoded, deps: Pick<ProcessorDeps, 'provenance'>): Promise<Provenance> {
  const kept = reads.get(decoded.original);
  if (kept && kept.options === deps.provenance) return kept.read;
  const read = readProvenance(decoded.original, decoded.record.metadata.format, deps.provenance);
  reads.set(decoded.original, { options: deps.provenance, read });
  return read;
}

/**
 * The trust anchors, read once per container from the file the config names under `root` (the function's asset in
 * AWS, the project locally). A missing or bad file fails the start, naming it: read as no anchors, every signer
 * would quietly be `untrusted`.
 */
function trustAnchorsOf(
  config: ProcessorConfig,
  root = process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
): ProvenanceOptions {
  const file = path.join(root, config.PROVENANCE_TRUST_ANCHORS as string);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`provenanceTrustAnchors: cannot read ${file}: ${(error as Error).message}`);
  }
  const problem = trustAnchorsProblem(pem);
  if (problem) throw new Error(`provenanceTrustAnchors: ${file} ${problem}`);
  return { trustAnchors: pem };
}
