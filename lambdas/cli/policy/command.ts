import { type Command, InvalidArgumentError } from 'commander';
import {
  MODERATION_ACTIONS,
  MODERATION_CATEGORIES,
  OFFLINE_CATEGORIES,
  POLICY_CATEGORIES,
  PROVENANCE_CATEGORIES,
} from '../../core/moderation';
import type { ModerationRule } from '../../policy/contract';
import { withApiOptions } from '../api-options';
import type { PolicyFlags } from './policy';

const POLICY_HELP = `
A rule is CATEGORY:THRESHOLD:ACTION, e.g. --rule Suggestive:0.3:blur; one
--rule per rule. Actions: flag (the image is flagged), blur (its thumbnails and
every rendition are blurred), reject (it is REJECTED, its original kept). The
categories (Rekognition's top level; offline only ${OFFLINE_CATEGORIES.join(' and ')}):
  ${MODERATION_CATEGORIES.join(', ')}
and, from the image's provenance with any inference (none too):
  ${PROVENANCE_CATEGORIES.join(', ')}
(AI Generated is 1 for an AI-generated image, 0.5 for an AI-edited one;
Tampered Credentials is 1 when its Content Credentials fail their check), e.g.
--rule "AI Generated:0.5:flag". A policy applies to the images analysed after
it is set. An owner who set none has the default: every moderation category
flagged at the moderationThreshold setting, and Tampered Credentials at 1.

Exit codes: 0 done, 1 the API refused (400 a bad rule, 403 another owner's
policy without admin rights), 2 usage error, 3 the API could not be reached.
`;

/** `Suggestive:0.3:blur` (the category in any case) as a rule, or a usage error saying what is wrong. */
export function parseRule(value: string, rules: ModerationRule[] = []): ModerationRule[] {
  const [name = '', threshold = '', action = ''] = value.split(/:(?=[^:]*:[^:]*$)|:(?=[^:]*$)/);
  const category = POLICY_CATEGORIES.find((known) => known.toLowerCase() === name.trim().toLowerCase());
  if (!category) throw new InvalidArgumentError(`${name}: not a category (${POLICY_CATEGORIES.join(', ')})`);
  const number = Number(threshold);
  if (threshold.trim() === '' || !(number >= 0 && number <= 1)) {
    throw new InvalidArgumentError(`${threshold}: the threshold must be a number from 0 to 1`);
  }
  const known = MODERATION_ACTIONS.find((candidate) => candidate === action.trim().toLowerCase());
  if (!known) throw new InvalidArgumentError(`${action}: not an action (${MODERATION_ACTIONS.join(', ')})`);
  return [...rules, { category, threshold: number, action: known }];
}

/** `image-intel policy get|set`: an owner's moderation policy (`GET`/`PUT /policy`). */
export function addPolicyCommands(program: Command, exit: (code: number) => void): void {
  const policy = program
    .command('policy')
    .description('read or set your moderation policy: category -> threshold -> flag, blur or reject')
    .summary('your moderation policy: get, set')
    .addHelpText('after', POLICY_HELP);
  const command = (name: string) =>
    withApiOptions(policy.command(name))
      .option('--owner <owner>', "admins: another owner's policy")
      .option('--json', 'the policy as the API answers it, one JSON line')
      .addHelpText('after', POLICY_HELP);
  command('get')
    .description('print the policy that applies to you (or --owner)')
    .action(async (flags: PolicyFlags) => {
      const { policyCommand } = await import('./policy');
      exit(await policyCommand(flags, undefined));
    });
  command('set')
    .description('replace the whole policy with these rules (none: act on nothing)')
    .option('--rule <rule>', 'CATEGORY:THRESHOLD:ACTION, e.g. Suggestive:0.3:blur (repeat for more)', parseRule, [])
    .action(async (flags: PolicyFlags & { rule: ModerationRule[] }) => {
      const { policyCommand } = await import('./policy');
      exit(await policyCommand(flags, flags.rule));
    });
}
