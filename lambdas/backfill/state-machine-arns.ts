/** What Step Functions names beside a state machine. */
export type StateMachineChild = 'execution' | 'mapRun';

/**
 * The ARN prefix Step Functions gives a state machine's executions or map runs: `arn:…:stateMachine:<name>` →
 * `arn:…:execution:<name>` (an execution adds `:<its name>`, a map run `/<its label>:<its id>`).
 */
export function arnUnder(stateMachineArn: string, child: StateMachineChild): string {
  const [head, name, ...rest] = stateMachineArn.split(':stateMachine:');
  if (name === undefined || rest.length > 0) throw new Error(`not a state machine's ARN: ${stateMachineArn}`);
  return `${head}:${child}:${name}`;
}
