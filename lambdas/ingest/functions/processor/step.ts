import type {
  Analysis,
  DecodeKept,
  ProcessorStep,
  StepContext,
  StepDeps,
  StepList,
  StepPart,
} from '../../../kit/processor-step';

/*
 * The processing of one upload as named steps (lambdas/kit/processor-step.ts; the list is the registry's,
 * lambdas/manifest/steps.ts, handed to the processor in its deps). Each step reads the analysis as the steps before
 * it left it and answers its part; the runner merges the parts in the list's order.
 */

/**
 * Run the steps in order and merge each one's part into the analysis. A group's parts are merged in the group's
 * order once all are done (what its steps `begin` first, before any runs); its first failure fails the run at once,
 * as a single step's does. A step that sets `outcome` ends the run; one that also sets `abandoned` has every step
 * that ran take back what it wrote, the last first.
 */
export async function runSteps(steps: StepList, context: StepContext, start: Analysis): Promise<Analysis> {
  let analysis = start;
  const ran: ProcessorStep[] = [];
  for (const entry of steps) {
    const group: readonly ProcessorStep[] = isGroup(entry) ? entry : [entry];
    for (const step of group) analysis = merge(analysis, begun(step, context, analysis));
    const before = analysis;
    const parts = await Promise.all(group.map((step) => runStep(step, context, before)));
    for (const [i, part] of parts.entries()) {
      if (part === undefined) continue;
      analysis = merge(analysis, part);
      ran.push(group[i] as ProcessorStep);
    }
    if (analysis.outcome !== undefined) break;
  }
  if (analysis.abandoned) await undoSteps(ran, context, analysis);
  return analysis;
}

/** What the steps ask the decode to keep for them (their `keeps`). */
export function keptFor(steps: StepList, deps: StepDeps): DecodeKept {
  const asked = steps.flat().map((step) => step.keeps?.(deps) ?? {});
  return { raster: asked.some((one) => one.raster === true), pixels: asked.some((one) => one.pixels === true) };
}

function merge(analysis: Analysis, part: StepPart | undefined): Analysis {
  if (part === undefined) return analysis;
  const { item, ...rest } = part;
  return { ...analysis, ...rest, item: { ...analysis.item, ...item } };
}

/** What a step starts as its group starts, for an analysis it runs on (its `begin`). */
function begun(step: ProcessorStep, context: StepContext, analysis: Analysis): StepPart | undefined {
  const decoded = runsOn(step, analysis);
  return decoded && step.begin ? step.begin(context, { ...analysis, decoded }) : undefined;
}

/** Each step's undo, the last step's first; best effort: what one leaves is noted, and the others still run. */
async function undoSteps(ran: readonly ProcessorStep[], context: StepContext, analysis: Analysis): Promise<void> {
  for (const step of [...ran].reverse()) {
    if (!step.undo) continue;
    try {
      await step.undo(context, analysis);
    } catch (error) {
      context.deps.onNote?.('could not take back what a step wrote for a deleted image', {
        step: step.name,
        message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      });
    }
  }
}

/** The step's part, or undefined when it does not run on this analysis (an enrichment of a refused image). */
function runStep(step: ProcessorStep, context: StepContext, analysis: Analysis): Promise<StepPart | undefined> {
  const around = context.deps.aroundStep ?? ((_name, work) => work());
  if (step.when === undefined) return around(step.name, () => step.run(context, analysis));
  const decoded = runsOn(step, analysis);
  return decoded ? around(step.name, () => step.run(context, { ...analysis, decoded })) : Promise.resolve(undefined);
}

/** The decoded image an enrichment runs on: none for a refused one (or one the owner's policy rejected, `accepted`). */
function runsOn(step: ProcessorStep, analysis: Analysis): Analysis['decoded'] {
  const { decoded } = analysis;
  if (step.when === undefined) return decoded;
  return decoded !== undefined && (step.when === 'decoded' || analysis.item.status !== 'REJECTED')
    ? decoded
    : undefined;
}

function isGroup(entry: StepList[number]): entry is readonly ProcessorStep[] {
  return Array.isArray(entry);
}
