/**
 * The first call's promise, shared by every later call (a model is loaded once per process), except that a
 * rejection is not kept: the next call tries again and reports its own error.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      pending = load();
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}
