import { arnUnder } from '../../../lambdas/backfill/state-machine-arns';

describe('arnUnder', () => {
  const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:image-intel-backfill';

  it("names a state machine's executions and map runs as Step Functions does", () => {
    expect(arnUnder(machine, 'execution')).toBe('arn:aws:states:eu-west-1:123456789012:execution:image-intel-backfill');
    expect(arnUnder(machine, 'mapRun')).toBe('arn:aws:states:eu-west-1:123456789012:mapRun:image-intel-backfill');
  });

  it("refuses what is not a state machine's ARN", () => {
    expect(() => arnUnder('arn:aws:states:eu-west-1:123456789012:activity:x', 'execution')).toThrow(
      "not a state machine's ARN",
    );
  });
});
