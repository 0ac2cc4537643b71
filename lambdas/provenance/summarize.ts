import { z } from 'zod';
import type { CredentialAction, CredentialIngredient, Credentials } from '../core/provenance';
import type { ProvenanceSummary } from '../core/vocabulary';
import { isAi, shortCode, summaryOfSourceType } from './digital-source-types';

/*
 * What an image's C2PA manifest store says (as c2pa-rs's Reader writes it out), summed up. Only the fields read here
 * are described; the rest is the manifest's and passes through unread. Every field is the uploader's to write, so
 * each is optional and a wrong type is as good as absent.
 */

const Agent = z.union([z.string(), z.object({ name: z.string().optional(), version: z.string().optional() })]);
const Action = z.object({
  action: z.string(),
  digitalSourceType: z.string().optional().catch(undefined),
  softwareAgent: Agent.optional().catch(undefined),
  when: z.string().optional().catch(undefined),
});
const Status = z.object({ code: z.string(), explanation: z.string().optional().catch(undefined) });
const Results = z
  .object({ activeManifest: z.object({ failure: z.array(Status).optional().catch(undefined) }).optional() })
  .optional()
  .catch(undefined);
const Ingredient = z.object({
  title: z.string().optional().catch(undefined),
  format: z.string().optional().catch(undefined),
  relationship: z.string().catch('componentOf'),
  active_manifest: z.string().optional().catch(undefined),
  validation_results: Results,
});
const Manifest = z.object({
  label: z.string().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  claim_generator: z.string().optional().catch(undefined),
  claim_generator_info: z
    .array(z.object({ name: z.string(), version: z.string().optional() }))
    .optional()
    .catch(undefined),
  assertions: z
    .array(z.object({ label: z.string(), data: z.unknown() }))
    .optional()
    .catch(undefined),
  ingredients: z.array(Ingredient).optional().catch(undefined),
  signature_info: z
    .object({
      common_name: z.string().optional().catch(undefined),
      issuer: z.string().optional().catch(undefined),
      time: z.string().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export const ManifestStoreSchema = z.object({
  active_manifest: z.string().optional(),
  manifests: z.record(z.string(), Manifest).catch({}),
  validation_state: z.string().optional().catch(undefined),
  validation_results: Results,
});
export type ManifestStore = z.infer<typeof ManifestStoreSchema>;
type Manifest = z.infer<typeof Manifest>;
type Action = z.infer<typeof Action>;

/** Actions that change nothing of the picture: its making's start (made, opened), its publishing, its packaging. */
const NOT_EDITS = new Set([
  'c2pa.created',
  'c2pa.opened',
  'c2pa.published',
  'c2pa.repackaged',
  'c2pa.transcoded',
  'c2pa.watermarked',
  'c2pa.unknown',
]);

/** Ingredients followed down from the active manifest: a chain of edits deeper than this is read as unknown. */
const MAX_DEPTH = 4;
/** Ingredients of one manifest read: a manifest is the uploader's, and may list thousands. */
const MAX_INGREDIENTS = 10;

/** What each manifest of the store says, by label, read once however many ingredients name it. */
type Readings = Map<string, Reading | undefined>;

/** A manifest's summary, and the action and software that decided it. */
export interface Reading {
  summary: ProvenanceSummary;
  digitalSourceType?: string;
  generator?: string;
}

/** The active manifest of the store, its check, and what it says: undefined when the store names no active one. */
export function readCredentials(store: ManifestStore): { credentials: Credentials; reading: Reading } | undefined {
  const active = store.active_manifest === undefined ? undefined : store.manifests[store.active_manifest];
  if (active === undefined) return undefined;
  const failures = store.validation_results?.activeManifest?.failure ?? [];
  const readings: Readings = new Map();
  const validation =
    store.validation_state === 'Invalid' ? 'invalid' : store.validation_state === 'Trusted' ? 'valid' : 'untrusted';
  const credentials: Credentials = {
    validation,
    failures: failures.slice(0, 10).map(({ code, explanation }) => ({
      code: clip(code, 120),
      ...(explanation && { explanation: clip(explanation, 300) }),
    })),
    ...optional('manifest', active.label, 200),
    ...optional('claimGenerator', claimGeneratorOf(active), 200),
    ...optional('title', active.title, 200),
    ...(active.signature_info && {
      signer: {
        ...optional('name', active.signature_info.common_name, 200),
        ...optional('organization', active.signature_info.issuer, 200),
      },
    }),
    ...optional('signedAt', active.signature_info?.time, 40),
    actions: actionsOf(active).slice(0, 20).map(describeAction),
    ingredients: (active.ingredients ?? [])
      .slice(0, MAX_INGREDIENTS)
      .map((ingredient) => describeIngredient(ingredient, store, readings)),
  };
  return { credentials, reading: summarize(active, store, 0, readings) };
}

/**
 * What a manifest says of its picture, from its actions and its ingredients':
 * - a model made it (`c2pa.created` from `trainedAlgorithmicMedia`), or it is an edit of a picture a model made:
 *   `ai-generated`;
 * - a model made part of it (any other action with an AI source type, an AI ingredient placed in it, an edit of
 *   an `ai-edited` picture): `ai-edited`;
 * - a capture, or a re-signing of one, with no edit: `camera`;
 * - any edit, or a making by other software: `edited`; else `unknown`.
 */
function summarize(manifest: Manifest, store: ManifestStore, depth: number, readings: Readings): Reading {
  const actions = actionsOf(manifest);
  const ingredients = (manifest.ingredients ?? []).slice(0, MAX_INGREDIENTS);
  const parent = ingredients.find((ingredient) => ingredient.relationship === 'parentOf');
  const from = parent === undefined ? undefined : ingredientReading(parent, store, depth, readings);
  const components = ingredients
    .filter((ingredient) => ingredient !== parent)
    .map((ingredient) => ingredientReading(ingredient, store, depth, readings));

  const said = actions.flatMap((action) =>
    action.digitalSourceType === undefined ? [] : [{ action, summary: summaryOfSourceType(action.digitalSourceType) }],
  );
  const madeByModel = said.find(
    ({ action, summary }) => action.action === 'c2pa.created' && summary === 'ai-generated',
  );
  if (madeByModel) return decided('ai-generated', madeByModel.action, manifest);
  if (from?.summary === 'ai-generated') return from;
  const partByModel = said.find(({ summary }) => isAi(summary));
  if (partByModel) return decided('ai-edited', partByModel.action, manifest);
  const aiPart = [from, ...components].find((reading) => isAi(reading?.summary));
  if (aiPart) return { ...aiPart, summary: 'ai-edited' };

  const edited = actions.some((action) => !NOT_EDITS.has(action.action));
  const created = said.find(({ action }) => action.action === 'c2pa.created');
  if (!edited && created?.summary === 'camera') return decided('camera', created.action, manifest);
  if (!edited && from?.summary === 'camera') return from;
  if (edited || created?.summary === 'edited' || from?.summary === 'edited') {
    return {
      summary: 'edited',
      ...(created && { digitalSourceType: shortCode(created.action.digitalSourceType ?? '') }),
    };
  }
  return { summary: 'unknown' };
}

/** What an ingredient's own manifest says, when it has one in the store that validates; none past MAX_DEPTH. */
function ingredientReading(
  ingredient: z.infer<typeof Ingredient>,
  store: ManifestStore,
  depth: number,
  readings: Readings,
): Reading | undefined {
  const label = ingredient.active_manifest;
  const manifest = label === undefined ? undefined : store.manifests[label];
  if (label === undefined || manifest === undefined || validationOf(ingredient) === 'invalid') return undefined;
  if (readings.has(label)) return readings.get(label);
  // Marked before it is read, so a manifest that names itself (or a cycle) reads as nothing the second time.
  readings.set(label, undefined);
  const reading = depth >= MAX_DEPTH ? undefined : summarize(manifest, store, depth + 1, readings);
  readings.set(label, reading);
  return reading;
}

function decided(summary: ProvenanceSummary, action: Action, manifest: Manifest): Reading {
  const generator = agentOf(action.softwareAgent) ?? claimGeneratorOf(manifest);
  return {
    summary,
    ...(action.digitalSourceType && { digitalSourceType: clip(shortCode(action.digitalSourceType), 120) }),
    ...optional('generator', generator, 200),
  };
}

function describeAction(action: Action): CredentialAction {
  return {
    action: clip(action.action, 120),
    ...(action.digitalSourceType && { digitalSourceType: clip(shortCode(action.digitalSourceType), 120) }),
    ...optional('softwareAgent', agentOf(action.softwareAgent), 200),
    ...optional('when', action.when, 40),
  };
}

function describeIngredient(
  ingredient: z.infer<typeof Ingredient>,
  store: ManifestStore,
  readings: Readings,
): CredentialIngredient {
  const validation = ingredient.active_manifest === undefined ? undefined : validationOf(ingredient);
  const reading = validation === undefined ? undefined : ingredientReading(ingredient, store, 0, readings);
  return {
    ...optional('title', ingredient.title, 200),
    ...optional('format', ingredient.format, 80),
    relationship: clip(ingredient.relationship, 40),
    ...(reading && { summary: reading.summary }),
    ...(validation && { validation }),
  };
}

/** An ingredient's own check, from its failures: any but an untrusted signer makes it invalid. */
function validationOf(ingredient: z.infer<typeof Ingredient>): Credentials['validation'] {
  const codes = (ingredient.validation_results?.activeManifest?.failure ?? []).map(({ code }) => code);
  if (codes.some((code) => code !== 'signingCredential.untrusted')) return 'invalid';
  return codes.length > 0 ? 'untrusted' : 'valid';
}

/** Every action of the manifest's actions assertions (`c2pa.actions`, `c2pa.actions.v2`), in order. */
function actionsOf(manifest: Manifest): Action[] {
  return (manifest.assertions ?? [])
    .filter(({ label }) => label === 'c2pa.actions' || label === 'c2pa.actions.v2')
    .flatMap(({ data }) => {
      const parsed = z.object({ actions: z.array(z.unknown()) }).safeParse(data);
      if (!parsed.success) return [];
      return parsed.data.actions.flatMap((action) => {
        const one = Action.safeParse(action);
        return one.success ? [one.data] : [];
      });
    });
}

function claimGeneratorOf(manifest: Manifest): string | undefined {
  const info = manifest.claim_generator_info?.[0];
  if (info) return agentOf(info);
  return manifest.claim_generator;
}

function agentOf(agent: z.infer<typeof Agent> | undefined): string | undefined {
  if (agent === undefined) return undefined;
  if (typeof agent === 'string') return agent;
  const text = [agent.name, agent.version].filter(Boolean).join(' ');
  return text.length > 0 ? text : undefined;
}

function optional<K extends string>(key: K, value: string | undefined, max: number): Partial<Record<K, string>> {
  const trimmed = value?.trim();
  return trimmed ? ({ [key]: clip(trimmed, max) } as Record<K, string>) : {};
}

function clip(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}
