import { createHash } from 'node:crypto';

type AsyncFunction = (...args: unknown[]) => Promise<unknown>;

/**
 * A module whose named async functions run once for each distinct input, later calls with the same input (a raster
 * of the same pixels, the same options) answered with a copy of the first answer. For a model whose answer depends
 * on its input alone, it is the answer running it again would give. A call whose input holds a function (a model
 * passed in) is not remembered: it runs.
 */
export function answeredOnce<M extends object>(actual: M, names: readonly (keyof M & string)[]): M {
  const answers = new Map<string, Promise<unknown>>();
  const module = { ...actual } as Record<string, unknown>;
  for (const name of names) {
    const run = (actual as Record<string, unknown>)[name] as AsyncFunction;
    module[name] = async (...args: unknown[]) => {
      const key = keyOf(name, args);
      if (key === undefined) return run(...args);
      let answer = answers.get(key);
      if (!answer) {
        answer = run(...args);
        answers.set(key, answer);
      }
      // A copy: a caller may sort or filter what it is given in place.
      return structuredClone(await answer);
    };
  }
  return module as M;
}

/** A digest of the function's name and its arguments' contents, bytes and typed arrays included. */
function keyOf(name: string, args: unknown[]): string | undefined {
  const hash = createHash('sha256').update(name);
  const feed = (value: unknown): boolean => {
    if (typeof value === 'function') return false;
    if (ArrayBuffer.isView(value)) {
      hash
        .update(`<${value.constructor.name}>`)
        .update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return true;
    }
    if (value === null || typeof value !== 'object') {
      hash.update(`${typeof value}:${JSON.stringify(value) ?? ''};`);
      return true;
    }
    hash.update(Array.isArray(value) ? '[' : '{');
    for (const [key, item] of Object.entries(value)) {
      hash.update(`${JSON.stringify(key)}:`);
      if (!feed(item)) return false;
    }
    hash.update(Array.isArray(value) ? ']' : '}');
    return true;
  };
  return args.every(feed) ? hash.digest('hex') : undefined;
}
