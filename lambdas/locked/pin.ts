import { hashPassword, verifyPassword } from '../shares/secrets';

/*
 * A locked folder's PIN (or passphrase): kept only as a slow hash, as a share link's password is (shares/secrets.ts:
 * scrypt with N=16384, r=8, p=1, a fresh 16-byte salt, a 32-byte key; about 50 ms and 16 MiB a check), and guessed
 * at a bounded pace (`lockoutSeconds`).
 */

/** `scrypt$N$r$p$<salt>$<hash>`: what the table keeps of a PIN. */
export const hashPin = (pin: string): Promise<string> => hashPassword(pin);

/** Whether `pin` is the one `stored` was made from, in constant time. */
export const verifyPin = (pin: string, stored: string): Promise<boolean> => verifyPassword(pin, stored);

/** Wrong PINs in a row that cost nothing but the wrong answer; each one past them locks the folder a while. */
export const FREE_FAILURES = 4;
const FIRST_LOCKOUT_SECONDS = 30;
const MAX_LOCKOUT_SECONDS = 3600;

/**
 * How long the folder stays shut after the `failures`-th wrong PIN in a row: nothing for the first four, then 30 s
 * after the fifth, doubling with each further one, at most an hour. Ten guesses take 15 minutes, a hundred four days.
 */
export function lockoutSeconds(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_LOCKOUT_SECONDS, FIRST_LOCKOUT_SECONDS * 2 ** (failures - FREE_FAILURES - 1));
}
