import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { apiClientLookup } from '../../../lambdas/api/api-clients';

const ssm = mockClient(SSMClient);
const directory = { k1: { name: 'web', admin: false } };
const answer = (value: unknown) => ({ Parameter: { Value: JSON.stringify(value) } });

describe('apiClientLookup', () => {
  beforeEach(() => {
    ssm.reset();
    process.env.AWS_REGION = 'eu-west-1';
  });

  it('reads the directory once and keeps it for the following requests', async () => {
    ssm.on(GetParameterCommand, { Name: 'clients-a' }).resolves(answer(directory));
    const lookup = apiClientLookup('clients-a');
    expect(await lookup()).toEqual(directory);
    expect(await lookup()).toEqual(directory);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('reads it again when asked to refresh, at most once in ten seconds', async () => {
    ssm.on(GetParameterCommand, { Name: 'clients-b' }).resolvesOnce(answer(directory)).resolves(answer({}));
    const lookup = apiClientLookup('clients-b');
    await lookup();
    expect(await lookup({ refresh: true })).toEqual({});
    // A stream of unknown keys does not become a stream of SSM reads.
    await lookup({ refresh: true });
    await lookup({ refresh: true });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('is empty without a parameter, reading nothing', async () => {
    expect(await apiClientLookup('')()).toEqual({});
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it('fails clearly on a parameter that is not a directory', async () => {
    ssm.on(GetParameterCommand, { Name: 'clients-c' }).resolves(answer({ k1: { name: 'Not A Name' } }));
    await expect(apiClientLookup('clients-c')()).rejects.toThrow(
      'the SSM parameter clients-c is not an API client directory',
    );
  });
});
