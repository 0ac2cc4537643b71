import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

/** Where the models the project ships live (copied next to the handler in the inference image). */
export const MODELS_DIR = process.env.IMAGE_INTEL_MODELS_DIR ?? join(__dirname, 'models');

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/**
 * One ONNX Runtime session per model file for the life of the process (a Lambda container loads each model
 * once); every ONNX model (faces, OCR, the configured classifier) is loaded through here. Threads are capped:
 * inference shares the machine with libvips.
 */
export function loadSession(path: string): Promise<ort.InferenceSession> {
  let session = sessions.get(path);
  if (!session) {
    session = ort.InferenceSession.create(path, {
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
      // Idle ORT threads spin by default, taking a core from the JS and libvips work between runs (and from
      // other processes): without spinning a whole OCR call was 5 % faster here, far more on a busy machine.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    sessions.set(path, session);
    // A failed load is not cached: the next call tries again and reports its own error.
    session.catch(() => sessions.delete(path));
  }
  return session;
}

export { ort };
