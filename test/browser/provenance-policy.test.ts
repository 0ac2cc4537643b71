/// <reference lib="dom" />
/**
 * A provenance-flagged image in the web app (issue 62), in headless Chromium against the local runner with inference
 * none (the `jwt` profile): the default policy flags a tampered copy of a C2PA-signed image, and its detail page's
 * Moderation panel says it is flagged and by which rule, with no vision to say so; a plain photo, which nothing
 * checked, has no such panel.
 */

import { fixture } from '../fixtures';
import { credentialFixtures } from '../support/provenance';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const { tampered } = await credentialFixtures(fixture('photos/cups.jpg'));
  ids.set('tampered', await api.upload(tampered, { filename: 'tampered.jpg' }));
  ids.set('plain', await api.upload(fixture('photos/boats.jpg'), { filename: 'boats.jpg' }));
  for (const id of ids.values()) await api.waitForFinal(id, 120_000);
});
const panel = () => suite.page.getByRole('region', { name: 'Moderation' });

/** The image's page, its technical details (where the Moderation panel is) opened. */
async function detailPage(id: string | undefined) {
  await suite.page.goto(suite.app(`images/${id}`));
  await suite.page.getByText('Technical details', { exact: true }).click();
}

describe('a provenance-flagged image in the web app', () => {
  it('says on the detail page that the default policy flagged the tampered copy, and why', async () => {
    await detailPage(ids.get('tampered'));
    await panel().waitFor();
    expect(await panel().getByText('Flagged.', { exact: true }).count()).toBe(1);
    const rules = panel().getByRole('list', { name: 'Policy rules that acted' });
    expect(await rules.textContent()).toBe('Tampered Credentials flag at 100% (100%)');
  });

  it('shows no Moderation panel for a plain photo nothing checked', async () => {
    await detailPage(ids.get('plain'));
    await suite.page.getByRole('region', { name: 'Hashes' }).waitFor();
    expect(await panel().count()).toBe(0);
  });
});
