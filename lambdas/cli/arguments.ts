import { InvalidArgumentError } from 'commander';
import { OwnerSchema } from '../store/owner';

/** Parsers of the commands' arguments: a bad value is commander's usage error (exit 2), naming the option. */

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
/** An owner id (`backfill --owner`, `token --user`: the user a token is for becomes the owner of what they upload). */
export const ownerId = (value: string): string => {
  const parsed = OwnerSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'not an owner id');
  return parsed.data;
};
