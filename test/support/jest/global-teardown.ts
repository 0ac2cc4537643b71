import { releaseSharedMoto } from '../shared-moto';

export default async function globalTeardown(): Promise<void> {
  await releaseSharedMoto();
}
