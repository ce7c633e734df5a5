import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string, like the 32-character tokens and keys Drone generates (uniuri). */
export function randomToken(length = 32): string {
  let token = '';
  for (let i = 0; i < length; i++) token += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return token;
}

/** Unix seconds, Drone's unit for every time column. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
