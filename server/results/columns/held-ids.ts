// The ids of the responses a columnar copy holds (cache.ts), to find those it lacks by a
// difference of sets rather than by a stored order of the responses. Each id is kept as a
// 52-bit key (keyAt) in one sorted Float64Array: 8 bytes a response instead of a string in
// a Set (about ten times that). Two ids with one key (odds about n² / 2^53, one in a
// million at 100,000 responses) would hide a new response; the caller sees it in the count
// (`found` below is then larger than `size`) and loads the wave again.
//
// Pure: no database.

/** The value of a hex digit, -1 for another character. */
function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The key of text.slice(start, end): for a random UUID (all our ids) 52 of its random bits
 * read straight from the text (hex digits 1-8, 10-13 and 16; the 15th is the version), no
 * string made; for anything else a 53-bit hash (two 32-bit FNV-1a-like mixes). Whole
 * numbers a double holds exactly.
 */
export function keyAt(text: string, start: number, end: number): number {
  if (end - start === 36 && text.charCodeAt(start + 8) === 45 && text.charCodeAt(start + 13) === 45) {
    let key = 0;
    let ok = true;
    for (let k = 0; k < UUID_DIGITS.length; k++) {
      const d = hex(text.charCodeAt(start + UUID_DIGITS[k]));
      if (d < 0) ok = false;
      key = key * 16 + d;
    }
    if (ok) return key;
  }
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 11) * 4294967296 + (b >>> 0);
}

const UUID_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 15];

export const idKey = (id: string): number => keyAt(id, 0, id.length);

export class HeldIds {
  private keys = new Float64Array(0);
  size = 0;

  /** The ids not held, and how many of the given ids are held. */
  difference(ids: readonly string[]): { missing: string[]; found: number } {
    return this.differenceOf(ids.join(','));
  }

  /** As difference, of ids joined by commas (as the database gives them): only the missing ones become strings. */
  differenceOf(joined: string): { missing: string[]; found: number } {
    const missing: string[] = [];
    let found = 0;
    for (let start = 0; start < joined.length;) {
      let end = joined.indexOf(',', start);
      if (end < 0) end = joined.length;
      if (this.has(keyAt(joined, start, end))) found++;
      else missing.push(joined.slice(start, end));
      start = end + 1;
    }
    return { missing, found };
  }

  /** Adds ids not held yet: the new keys sorted, then merged into the held ones (a copy takes in a few hundred at a time beside 100,000). */
  add(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const fresh = Float64Array.from(ids, idKey).sort();
    const keys = new Float64Array(this.size + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.size && j < fresh.length) keys[k++] = this.keys[i] <= fresh[j] ? this.keys[i++] : fresh[j++];
    while (i < this.size) keys[k++] = this.keys[i++];
    while (j < fresh.length) keys[k++] = fresh[j++];
    this.keys = keys;
    this.size = keys.length;
  }

  /** Whether this id is held. */
  holds(id: string): boolean {
    return this.has(idKey(id));
  }

  bytes(): number {
    return this.keys.byteLength;
  }

  private has(key: number): boolean {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const k = this.keys[middle];
      if (k === key) return true;
      if (k < key) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}
