import { MeaningOptionError, provisionMeaning } from '../../../lambdas/search/meaning/runner-plugin';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';

const place = { prefix: 'unit', region: 'eu-west-1', userCredentials: false };

describe("the runner's search by meaning options", () => {
  it('is off without --meaning, and says what to add when searchByMeaning asks for it', async () => {
    await expect(provisionMeaning(undefined, DEFAULT_SETTINGS, place)).resolves.toBeUndefined();
    await expect(provisionMeaning(undefined, { ...DEFAULT_SETTINGS, searchByMeaning: 'titan' }, place)).rejects.toThrow(
      'searchByMeaning=titan on the runner needs --meaning: bedrock',
    );
  });

  it('refuses --meaning bedrock without credentials in the environment, saying how to put them there', async () => {
    const refused = provisionMeaning('bedrock', DEFAULT_SETTINGS, place);
    await expect(refused).rejects.toBeInstanceOf(MeaningOptionError);
    await expect(refused).rejects.toThrow('aws configure export-credentials --format env');
  });

  it('refuses a folder with no model manifest, naming it', async () => {
    await expect(provisionMeaning({ folder: '/nonexistent-model' }, DEFAULT_SETTINGS, place)).rejects.toThrow(
      '--meaning /nonexistent-model: no readable embedding.json',
    );
  });
});
