import path from 'node:path';
import { calibrationDigest, readVisionRecording, undescribed } from '../../../lambdas/local/recorded-vision';
import { VISION_RECORDINGS } from '../../fixtures';
import { answerFor, calibrationOf, RECORD_COMMAND, recordedFixtures } from '../../support/recorded-vision';

/**
 * The recordings the test runners replay (lambdas/local/recorded-vision.ts) are what the models answer now: each
 * fixture's thumbnail made again by the core, the models run on it at each recording's calibration, and the answer
 * compared with the recorded one (bar the time it took). A model, a threshold, a label rule or a thumbnail that
 * changed fails here, naming the command that makes the files again, rather than the suites silently seeing stale
 * answers.
 */

/*
 * The recordings differ in their calibration alone, which sets the thresholds applied to the models' answers, not
 * what the models answer for a thumbnail: each model runs once a thumbnail (and options), and the other recording's
 * cases are given a copy of that answer, the one running it again would give.
 */
jest.mock('../../../lambdas/vision/face-cascade', () =>
  require('../../support/answered-once').answeredOnce(jest.requireActual('../../../lambdas/vision/face-cascade'), [
    'cascadeFaces',
  ]),
);
jest.mock('../../../lambdas/vision/face-descriptor', () =>
  require('../../support/answered-once').answeredOnce(jest.requireActual('../../../lambdas/vision/face-descriptor'), [
    'describeFaces',
  ]),
);
jest.mock('../../../lambdas/vision/moderation', () =>
  require('../../support/answered-once').answeredOnce(jest.requireActual('../../../lambdas/vision/moderation'), [
    'moderate',
  ]),
);
jest.mock('../../../lambdas/vision/objects', () =>
  require('../../support/answered-once').answeredOnce(jest.requireActual('../../../lambdas/vision/objects'), [
    'detectObjectsWithViews',
  ]),
);
jest.mock('../../../lambdas/vision/ocr', () =>
  require('../../support/answered-once').answeredOnce(jest.requireActual('../../../lambdas/vision/ocr'), [
    'recognizeText',
  ]),
);

/** The answer without its timing; scores to 4 places, so that a change that shows is a change in what is found. */
function comparable(vision: Record<string, unknown>): unknown {
  return JSON.parse(
    JSON.stringify({ ...vision, inference: { ...(vision.inference as object), durationMs: 0 } }, (_key, value) =>
      typeof value === 'number' ? Math.round(value * 1e4) / 1e4 : value,
    ),
  );
}

describe.each(VISION_RECORDINGS.map((recording) => [path.basename(recording.file), recording] as const))(
  `%s (${RECORD_COMMAND} makes it)`,
  (_name, { file: recordingFile, calibration: calibrationFile }) => {
    const recording = readVisionRecording(recordingFile);
    const calibration = calibrationOf(calibrationFile);
    /** The digests of the thumbnails the fixtures make now, as the cases below see them (they run in order). */
    const made = new Set<string>();

    it('was made by the command this test names, at the calibration it names', () => {
      expect(recording.made).toBe(RECORD_COMMAND);
      expect(recording.calibration).toBe(calibrationDigest(calibration));
    });

    it.each(recordedFixtures())(
      '%s: recorded for the thumbnail the pipeline makes now, as the models answer it',
      async (file) => {
        const now = await answerFor(file, { calibration });
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
        const answer = (await answerFor(file, { describeFaces: false, calibration })) ?? { digest: '', vision: {} };
        const recorded = recording.answers[answer.digest]?.vision ?? {};
        expect(Object.keys(answer.vision.inference as object)).toContain('models');
        expect(comparable(undescribed(recorded))).toEqual(comparable(answer.vision));
      },
    );

    it('holds no answer for a thumbnail no fixture makes now', () => {
      expect(made.size).toBeGreaterThan(0);
      expect(Object.keys(recording.answers).filter((digest) => !made.has(digest))).toEqual([]);
    });
  },
);
