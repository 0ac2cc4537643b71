import { readVisionRecording, undescribed } from '../../../lambdas/local/recorded-vision';
import { VISION_RECORDING } from '../../fixtures';
import { answerFor, RECORD_COMMAND, recordedFixtures } from '../../support/recorded-vision';

/**
 * The recording every test runner replays (lambdas/local/recorded-vision.ts) is what the models answer now: each
 * fixture's thumbnail made again by the core, the models run on it, and the answer compared with the recorded one
 * (bar the time it took). A model, a threshold, a label rule or a thumbnail that changed fails here, naming the
 * command that makes the file again, rather than the suites silently seeing stale answers.
 */
const recording = readVisionRecording(VISION_RECORDING);

/** The answer without its timing; scores to 4 places, so that a change that shows is a change in what is found. */
function comparable(vision: Record<string, unknown>): unknown {
  return JSON.parse(
    JSON.stringify({ ...vision, inference: { ...(vision.inference as object), durationMs: 0 } }, (_key, value) =>
      typeof value === 'number' ? Math.round(value * 1e4) / 1e4 : value,
    ),
  );
}

/** The digests of the thumbnails the fixtures make now, as the cases below see them (they run in order). */
const made = new Set<string>();

describe(`the recorded vision answers (${RECORD_COMMAND} makes them)`, () => {
  it('was made by the command this test names', () => {
    expect(recording.made).toBe(RECORD_COMMAND);
  });

  it.each(recordedFixtures())(
    '%s: recorded for the thumbnail the pipeline makes now, as the models answer it',
    async (file) => {
      const now = await answerFor(file);
      if (!now) {
        // The core rejects it: nothing is recorded for it.
        expect(Object.values(recording.answers).filter((answer) => answer.file === file)).toEqual([]);
        return;
      }
      made.add(now.digest);
      const recorded = recording.answers[now.digest];
      expect({ file, digest: now.digest, recorded: recorded !== undefined }).toEqual({
        file,
        digest: now.digest,
        recorded: true,
      });
      expect(comparable(recorded?.vision ?? {})).toEqual(comparable(now.vision));
    },
  );

  it.each(['vision/person-hopper.jpg', 'vision/person-astronaut.jpg'])(
    '%s: the answer replayed without face grouping is what the models answer with the faces not described',
    async (file) => {
      const answer = (await answerFor(file, { describeFaces: false })) ?? { digest: '', vision: {} };
      const recorded = recording.answers[answer.digest]?.vision ?? {};
      expect(Object.keys(answer.vision.inference as object)).toContain('models');
      expect(comparable(undescribed(recorded))).toEqual(comparable(answer.vision));
    },
  );

  it('holds no answer for a thumbnail no fixture makes now', () => {
    expect(made.size).toBeGreaterThan(0);
    expect(Object.keys(recording.answers).filter((digest) => !made.has(digest))).toEqual([]);
  });
});
