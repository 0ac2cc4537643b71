import { releaseRunDir } from '../runner-profiles';
import { releaseSharedMoto } from '../shared-moto';

/** The shared runners stop before the moto they run on. */
export default async function globalTeardown(): Promise<void> {
  await releaseRunDir();
  await releaseSharedMoto();
}
