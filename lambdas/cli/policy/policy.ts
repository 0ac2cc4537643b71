import type { ModerationRule } from '../../policy/contract';
import type { PolicyAnswer } from '../../policy/functions/policy-contract';
import { failureOf, ImageApiClient } from '../api-client';
import { WEBHOOKS_EXIT as EXIT, exitOf, type Out } from '../webhooks/webhooks';

/*
 * `image-intel policy get|set`: an owner's moderation policy (`GET`/`PUT /policy`, docs/vision.md "Moderation").
 */

export interface PolicyFlags {
  api: string;
  apiKey?: string;
  token?: string;
  /** Admins: another owner's policy. */
  owner?: string;
  json?: boolean;
}

function policyLines(policy: PolicyAnswer): string[] {
  const whose =
    policy.source === 'default' ? 'the default policy (none set)' : `set by ${policy.updatedBy} at ${policy.updatedAt}`;
  const lines = [`Owner ${policy.owner}: ${whose}`];
  if (policy.rules.length === 0) lines.push('  no rules: moderation labels are recorded, nothing is done');
  for (const rule of policy.rules) lines.push(`  ${rule.category} >= ${rule.threshold}: ${rule.action}`);
  return lines;
}

/** One call, printed; a failure is one line on stderr, in the API's words, and its exit code. */
export async function policyCommand(
  flags: PolicyFlags,
  rules: ModerationRule[] | undefined,
  io: { out?: Out; err?: Out; client?: Pick<ImageApiClient, 'call'> } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  const client = io.client ?? new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  const query = flags.owner ? `?owner=${encodeURIComponent(flags.owner)}` : '';
  try {
    const policy = (await client.call(rules ? 'PUT' : 'GET', `/policy${query}`, rules && { rules })) as PolicyAnswer;
    if (flags.json) out(JSON.stringify(policy));
    else for (const line of policyLines(policy)) out(line);
    return EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return exitOf(error);
  }
}
