import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stepElsewhere } from '../../../lambdas/kit/room';
import { ROOM_STEPS } from '../../../lambdas/manifest/steps';

/*
 * A step's runtime is bundled with the processor only (STEPS_ELSEWHERE, lambdas/kit/room.ts): esbuild leaves it out
 * of another function's bundle only where the manifest writes the condition out in full, so every room's every step
 * does, and a room that forgets fails here rather than carrying the processor into the trash's functions.
 */

const ROOT = path.join(__dirname, '../../..');
const GUARDED = /runtime: process\.env\.IMAGE_INTEL_STEPS_ELSEWHERE\s*\?\s*stepElsewhere\s*:\s*\(\) =>/g;

it("writes the condition out in every room's every step", () => {
  const manifests = readdirSync(path.join(ROOT, 'lambdas'))
    .filter((room) => room !== 'kit' && existsSync(path.join(ROOT, 'lambdas', room, 'room.ts')))
    .map((room) => readFileSync(path.join(ROOT, 'lambdas', room, 'room.ts'), 'utf8'));
  const steps = manifests.map((text) => /\n {2}steps: \[\n([\s\S]*?)\n {2}\],\n/.exec(text)?.[1] ?? '');
  const runtimes = steps.map((block) => (block.match(/runtime:/g) ?? []).length);
  const guarded = steps.map((block) => (block.match(GUARDED) ?? []).length);

  expect(guarded).toEqual(runtimes);
  expect(runtimes.reduce((sum, n) => sum + n, 0)).toBe(ROOM_STEPS.length);
});

it('has no runtime where the bundle says the steps are elsewhere, and says so if one is called', () => {
  expect(() => stepElsewhere()).toThrow("a processor step's runtime is bundled with the processor only");
});
