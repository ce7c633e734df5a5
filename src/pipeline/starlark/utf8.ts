// Conversions between JS strings (UTF-16) and Starlark's byte strings (one UTF-8 byte per char code).

const ASCII = /^[\x00-\x7f]*$/;

export function isAscii(s: string): boolean {
  return ASCII.test(s);
}

/** A JS string → its UTF-8 bytes as a byte string. */
export function encodeUtf8(s: string): string {
  return isAscii(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** A byte string → a JS string; invalid UTF-8 becomes U+FFFD. */
export function decodeUtf8(bytes: string): string {
  return isAscii(bytes) ? bytes : Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Decodes the UTF-8 sequence starting at byte i: its code point (0xFFFD if invalid) and length in bytes. */
export function decodeRuneAt(bytes: string, i: number): { rune: number; size: number } {
  const b0 = bytes.charCodeAt(i);
  if (b0 < 0x80) return { rune: b0, size: 1 };
  const need = b0 >= 0xf0 && b0 < 0xf5 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc2 && b0 < 0xe0 ? 1 : -1;
  if (need < 0 || (b0 >= 0xf5)) return { rune: 0xfffd, size: 1 };
  let rune = b0 & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    const b = bytes.charCodeAt(i + k);
    if (Number.isNaN(b) || (b & 0xc0) !== 0x80) return { rune: 0xfffd, size: 1 };
    rune = (rune << 6) | (b & 0x3f);
  }
  const min = [0, 0x80, 0x800, 0x10000][need];
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune < 0xe000)) return { rune: 0xfffd, size: 1 };
  return { rune, size: need + 1 };
}

/** The code points of a byte string with the byte offset of each. */
export function* runes(bytes: string): Generator<{ rune: number; start: number; size: number }> {
  for (let i = 0; i < bytes.length; ) {
    const { rune, size } = decodeRuneAt(bytes, i);
    yield { rune, start: i, size };
    i += size;
  }
}

export function encodeRune(rune: number): string {
  return encodeUtf8(String.fromCodePoint(rune));
}
