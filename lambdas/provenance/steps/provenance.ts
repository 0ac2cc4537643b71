import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Provenance } from '../../core/provenance';
import type { EnrichmentStep } from '../../kit/processor-step';
import { type ProvenanceOptions, readProvenance } from '../read-provenance';
import { trustAnchorsProblem } from '../trust-anchors-contract';
import type { ProvenanceEnvShape } from './provenance-contract';

declare module '../../kit/processor-step' {
  interface Analysis {
    /**
     * The original's provenance as it is being read, started by the `provenance` step as its group starts (its
     * `begin`): the steps beside it that need it (the eager renditions' digital source type) wait for the same read.
     */
    readonly provenanceRead?: Promise<Provenance>;
  }
}

/** The provenance step's own: how it checks Content Credentials (its trust anchors); none: no signer is trusted. */
export interface ProvenanceDeps {
  provenance?: ProvenanceOptions;
}

/**
 * Where the picture comes from (`provenance`, lambdas/provenance): its Content Credentials, checked against the
 * deployment's trust anchors (`provenanceTrustAnchors`), and the digital source type its XMP declares, summed up.
 * From the original's bytes alone: no inference, no network, so it runs with every provider, beside vision, and
 * before the owner's policy, which may act on it. A record analysed before it was read is of an older
 * ANALYSIS_VERSION (1.3.0), which `backfill --reprocess` analyses again.
 *
 * The read starts as the step's group starts (`begin`) and is passed on as `provenanceRead`, so the `renditions`
 * step beside it (`renditionsKeepDigitalSourceType`) waits for the same read rather than reading it twice.
 */
export const provenanceStep: EnrichmentStep<ProvenanceDeps> = {
  name: 'provenance',
  when: 'decoded',
  begin({ deps }, { decoded }) {
    const read = readProvenance(decoded.original, decoded.record.metadata.format, deps.provenance);
    // Awaited by this step, which fails the run on its failure; handled here so that it is not reported unhandled
    // before the group awaits it.
    read.catch(() => undefined);
    return { provenanceRead: read };
  },
  async run({ deps }, { decoded, provenanceRead }) {
    const provenance = await (provenanceRead ??
      readProvenance(decoded.original, decoded.record.metadata.format, deps.provenance));
    if (provenance.unread) {
      deps.onNote?.("Content Credentials not read: the C2PA reader's thread could not start", {});
    }
    return { item: { provenance }, provenanceRead: undefined };
  },
  // Credentials left unread (the reader's thread could not start) are read again.
  stale: ({ provenance }) => provenance?.unread === true,
  open: (config: ProvenanceConfig, { root }) =>
    config.PROVENANCE_TRUST_ANCHORS ? { provenance: trustAnchorsOf(config, root) } : {},
};

type ProvenanceConfig = z.output<z.ZodObject<typeof ProvenanceEnvShape>>;

/**
 * The trust anchors, read once per container from the file the config names under `root` (the function's asset in
 * AWS, the project locally). A missing or bad file fails the start, naming it: read as no anchors, every signer
 * would quietly be `untrusted`.
 */
function trustAnchorsOf(
  config: ProvenanceConfig,
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
