import { ApiError, reasonOf } from '../api-client';
import { errorText } from './subscriber';

/** What a smoke step prints: its line, and its reasons in words. */

/** A step did not pass; the message is the reason printed on its line. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

/** `processed  FAIL  60.0 s  still PENDING after 60 s: ...`: the name, the mark, the time, what happened. */
export function stepLine(name: string, mark: 'PASS' | 'FAIL' | 'skip', ms: number | undefined, text: string): string {
  const time = ms === undefined ? '' : elapsed(ms);
  return `${name.padEnd(11)}${mark}${time.padStart(8)}  ${text}`;
}

/** `POST /uploads: 401 Unauthorized` as `POST /uploads answered 401 Unauthorized`; fetch's failure with its cause. */
export function apiErrorText(error: unknown): string {
  if (error instanceof ApiError) return error.message.replace(/^(\S+ \S+): (\d{3}) /, '$1 answered $2 ');
  if (error instanceof TypeError && error.message === 'fetch failed') return `no answer: ${reasonOf(error)}`;
  return errorText(error);
}

export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** A configured wait: `10 s`, `2.5 s`. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** A measured time, always with its tenths (`2.0 s`, never `2 s`): read and compared as a measurement. */
export function elapsed(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A step ended by Ctrl-C. */
export const INTERRUPTED = 'interrupted (Ctrl-C)';
