import { holdSharedMoto } from '../shared-moto';

/** Every project that talks to AWS: the run's one moto server (started by the first project that asks). */
export default async function globalSetup(): Promise<void> {
  await holdSharedMoto();
}
