import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Use, UsedResource, UseOf } from '../../lambdas/kit/uses';

/** A resource of the stack that grants its own uses, as a CDK resource owns its `grantX` methods. */
export interface UseTarget<U extends Use = Use> {
  grantUse(grantee: IGrantable, use: U): void;
}

/**
 * Every resource a use may name, by the name its uses give it (lambdas/kit/uses.ts). `null`: switched off by
 * the deployment's settings, so a use of it grants nothing (the function has nothing there to reach). Absent: not
 * given to this part of the stack, and a use of it is refused at synth.
 */
export type UseTargets = Readonly<Record<string, UseTarget<UseOf<UsedResource>> | null>>;

/** Grant a function what its manifest entry says it uses, in the order it says so, by each resource's own grants. */
export function grantUses(grantee: IFunction, declared: readonly Use[], to: UseTargets): void {
  for (const use of declared) {
    const target = to[use.resource] as UseTarget | null | undefined;
    if (target === undefined) {
      throw new Error(`${grantee.node.path} uses ${use.resource} (${use.kind}), which is not given here`);
    }
    target?.grantUse(grantee, use);
  }
}
