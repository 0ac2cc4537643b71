/** How long a PIN or passphrase may be (plain data: the routes' schemas read it). */
export const MIN_PIN_CHARS = 4;
export const MAX_PIN_CHARS = 64;
