import { InvalidArgumentError } from 'commander';

/** Parsers of the commands' numeric arguments: a bad value is commander's usage error (exit 2), naming the option. */

export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
/** 0 or more: a distance (the API checks its range and says it in its 400). */
export const wholeNumber = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
};
