// The ids of the responses a columnar copy holds (cache.ts), to find those it lacks by a
// difference of sets rather than by a stored order of the responses. Each id is kept as a
// 53-bit hash in one sorted Float64Array: 8 bytes a response instead of a string in a Set
// (about ten times that). Two ids with one hash (odds about n² / 2^54, one in a billion at
// 100,000 responses) would hide a new response; the caller sees it in the count
// (`found` below is then larger than `size`) and loads the wave again.
//
// Pure: no database.

/** A 53-bit hash of a string (two 32-bit FNV-1a-like mixes): a whole number a double holds exactly. */
export function idKey(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 11) * 4294967296 + (b >>> 0);
}

export class HeldIds {
  private keys = new Float64Array(0);
  size = 0;

  /** The ids not held, and how many of the given ids are held. */
  difference(ids: readonly string[]): { missing: string[]; found: number } {
    const missing: string[] = [];
    let found = 0;
    for (const id of ids) {
      if (this.has(idKey(id))) found++;
      else missing.push(id);
    }
    return { missing, found };
  }

  add(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const keys = new Float64Array(this.size + ids.length);
    keys.set(this.keys.subarray(0, this.size));
    ids.forEach((id, i) => { keys[this.size + i] = idKey(id); });
    keys.sort();
    this.keys = keys;
    this.size = keys.length;
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
