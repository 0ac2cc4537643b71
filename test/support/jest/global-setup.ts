import { holdRunDir } from '../runner-profiles';
import { holdSharedMoto } from '../shared-moto';

/**
 * Every project that talks to AWS: the run's one moto server (started by the first project that asks), and the
 * directory of the run's shared runners (runner-profiles.ts).
 */
export default async function globalSetup(): Promise<void> {
  await holdSharedMoto();
  holdRunDir();
}
