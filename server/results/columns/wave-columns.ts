// A columnar copy of one wave's sealed answers, in the process: per item (question and
// matrix row) one small typed array of choice codes, one entry per response (0: no value);
// an item on which a respondent has several values (a checkbox) keeps one 0/1 array per
// choice instead; per question one 0/1 array "answered at all" (any row, also a text). The
// texts themselves are not copied. A count under any filters, split by any item, is then
// one pass over a few arrays: what the answers table needs seconds for at 100,000
// responses takes milliseconds here. The numbers are those of the SQL in ../repository.ts
// (test/unit/wave-columns.test.ts and test/integration/columns-equal-answers.test.ts).
//
// Pure: no database. cache.ts fills it from the sealed rows (repository.ts).
import type { Filter } from '../filters';
import type { Crosstab, GroupTally, Tally } from '../repository';
import { ANSWERED } from '../tallies/keys';
import { ANSWER, FIELD, NO_VALUE } from './repository';

/**
 * Codes fit in a byte. An item with more than 255 values and one value per respondent (a
 * number typed in: ages, amounts) keeps its codes in 32 bits instead (`wide`): 4 bytes per
 * response, not one array per value (which at 100,000 responses and 1,000 distinct numbers
 * would be 100 MB). Only a respondent with several values (a checkbox) makes it multi.
 */
const MAX_CODE = 255;

class Item {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  codes: Uint8Array;
  /** The codes when there are more than MAX_CODE values (codes is then empty): one value per respondent still. */
  wide: Uint32Array | null = null;
  /** Per value (code - 1), when some respondent has several values of this item. */
  multi: Uint8Array[] | null = null;

  constructor(readonly question: string, readonly row: string, capacity: number) {
    this.codes = new Uint8Array(capacity);
  }

  code(value: string): number {
    let code = this.index.get(value);
    if (code === undefined) {
      this.values.push(value);
      code = this.values.length;
      this.index.set(value, code);
      if (this.multi) this.multi.push(new Uint8Array(this.capacity()));
      else if (code > MAX_CODE && !this.wide) this.toWide();
    }
    return code;
  }

  /** The code of a value, 0 when nobody gave it. */
  known(value: string): number {
    return this.index.get(value) ?? 0;
  }

  set(i: number, value: string): void {
    const code = this.code(value);
    if (this.multi) {
      const bits = this.multi[code - 1];
      bits[i] = 1;
    } else if (this.wide) {
      if (this.wide[i] === 0 || this.wide[i] === code) this.wide[i] = code;
      else {
        // A second value for one respondent: from here on one array per value.
        const bits = this.toMulti()[code - 1];
        bits[i] = 1;
      }
    } else if (this.codes[i] === 0 || this.codes[i] === code) {
      this.codes[i] = code;
    } else {
      // A second value for one respondent: from here on one array per value.
      const multi = this.toMulti();
      const bits = multi[code - 1];
      bits[i] = 1;
    }
  }

  /** One 0/1 array per value from the codes (a checkbox, or more values than a byte holds). */
  private toMulti(): Uint8Array[] {
    const from = this.wide ?? this.codes;
    const multi = this.values.map((_, c) => {
      const bits = new Uint8Array(from.length);
      for (let j = 0; j < bits.length; j++) if (from[j] === c + 1) bits[j] = 1;
      return bits;
    });
    this.multi = multi;
    this.codes = new Uint8Array(from.length);
    this.wide = null;
    return multi;
  }

  /** The codes in 32 bits: more values than a byte holds, one per respondent. */
  private toWide(): void {
    this.wide = Uint32Array.from(this.codes);
    this.codes = new Uint8Array(0);
  }

  private capacity(): number {
    return this.wide ? this.wide.length : this.codes.length;
  }

  grow(capacity: number): void {
    if (this.wide) {
      const wide = new Uint32Array(capacity);
      wide.set(this.wide);
      this.wide = wide;
    } else {
      const codes = new Uint8Array(capacity);
      codes.set(this.codes);
      this.codes = codes;
    }
    if (this.multi) this.multi = this.multi.map((bits) => { const b = new Uint8Array(capacity); b.set(bits); return b; });
  }

  bytes(): number {
    return this.codes.byteLength + (this.wide?.byteLength ?? 0) + (this.multi ? this.multi.reduce((n, b) => n + b.byteLength, 0) : 0);
  }
}

const itemKey = (question: string, row: string) => `${question}${FIELD}${row}`;

/** Remembered counts of one selection by one grouping (WaveColumns.crosstab), of the responses before upTo. */
interface Counted {
  byItem: Item | null;
  /** Values of byItem when counted: a new one is a new group (counted again). */
  groups: number;
  upTo: number;
  /** Respondents per group (index 0: no answer to `by`). */
  sizes: Int32Array;
  /** Per item counts[group * width + code], or for an item of several values per respondent per value counts[group * 2 + 1]. */
  items: Map<Item, { multi: boolean; width: number; counts: Int32Array; perValue: Int32Array[] }>;
  /** Per question those who answered it, counts[group * 2 + 1]; only these questions when answeredFor is given. */
  answered: Map<string, Int32Array>;
  answeredFor: readonly string[] | undefined;
  /** The crosstab of these counts, made once per upTo. */
  result: Crosstab | null;
}

export class WaveColumns {
  /** Responses in the copy. */
  n = 0;
  private capacity = 1024;
  private readonly items = new Map<string, Item>();
  private readonly answered = new Map<string, Uint8Array>();
  /**
   * The last crosstabs counted: one summary asks for the same selection and grouping
   * several times (its tables, its comparisons, their complement checks), and a read after
   * a change asks for those of the read before. Kept as counts up to a response and brought
   * up to date by counting the responses added since (catchUp), not counted again: after a
   * seal of a few hundred at 100,000 responses, a comparison read counted the whole wave
   * again (20-25 ms a crosstab on SQLite) where the tallies read a few hundred rows.
   */
  private readonly memo = new Map<string, Counted>();

  /** Each distinct encoded answer, decoded once: a wave has a few hundred, repeated millions of times. */
  private readonly decoded = new Map<string, { question: string; row: string; key: string; value: string | null }>();

  /** Adds responses as loadAnswersOf gives them (one string of answers each). */
  addEncoded(responses: readonly string[]): void {
    for (const encoded of responses) {
      const i = this.next();
      if (encoded === '') continue;
      for (const answer of encoded.split(ANSWER)) {
        let d = this.decoded.get(answer);
        if (!d) {
          const [question, row, value] = answer.split(FIELD);
          d = { question, row, key: itemKey(question, row), value: value === NO_VALUE ? null : value };
          if (this.decoded.size < 100_000) this.decoded.set(answer, d);
        }
        this.add(i, d.question, d.row, d.value, d.key);
      }
    }
  }

  /** Adds one response (tests; the pure form of addEncoded). */
  addResponse(answers: ReadonlyArray<{ question: string; row: string; value: string | null }>): void {
    const i = this.next();
    for (const a of answers) this.add(i, a.question, a.row, a.value);
  }

  private next(): number {
    // Remembered selections and counts stay: each takes in the responses added on its next use.
    if (this.n === this.capacity) {
      this.capacity *= 2;
      for (const item of this.items.values()) item.grow(this.capacity);
      for (const [question, bits] of this.answered) {
        const grown = new Uint8Array(this.capacity);
        grown.set(bits);
        this.answered.set(question, grown);
      }
    }
    return this.n++;
  }

  private add(i: number, question: string, row: string, value: string | null, key = itemKey(question, row)): void {
    let answered = this.answered.get(question);
    if (!answered) this.answered.set(question, (answered = new Uint8Array(this.capacity)));
    answered[i] = 1;
    if (value === null) return;
    let item = this.items.get(key);
    if (!item) this.items.set(key, (item = new Item(question, row, this.capacity)));
    item.set(i, value);
  }

  /** Bytes held by the arrays (the strings of the dictionaries aside: a few per item). */
  bytes(): number {
    let n = 0;
    for (const item of this.items.values()) n += item.bytes();
    for (const bits of this.answered.values()) n += bits.byteLength;
    for (const { selected } of this.selections.values()) n += selected.buffer.byteLength;
    return n;
  }

  /** Whether `by` splits respondents into groups here: one value each (not a checkbox). */
  canGroupBy(by: { question: string; row: string }): boolean {
    const item = this.items.get(itemKey(by.question, by.row));
    // More than 255 groups do not fit the byte of a group per respondent: the SQL answers.
    return !item?.multi && !item?.wide;
  }

  /**
   * The last selections (a summary counts one selection a dozen times), each as of response
   * upTo: responses are only ever added (a deletion starts a new copy: cache.ts), so the
   * responses after it are filtered and appended on the next use.
   */
  private readonly selections = new Map<string, { selected: Int32Array; upTo: number }>();

  /** The respondents who gave every filter answer, as indexes in ascending order. Not to be changed by the caller (remembered). */
  select(filters: readonly Filter[]): Int32Array {
    const key = WaveColumns.filterKey(filters);
    let entry = this.selections.get(key);
    if (entry && entry.upTo < this.n) {
      const added = this.selectNow(filters, entry.upTo);
      if (added.length > 0) {
        const selected = new Int32Array(entry.selected.length + added.length);
        selected.set(entry.selected);
        selected.set(added, entry.selected.length);
        entry.selected = selected;
      }
      entry.upTo = this.n;
    }
    if (!entry) {
      entry = { selected: this.selectNow(filters, 0), upTo: this.n };
      if (this.selections.size >= 8) this.selections.delete(this.selections.keys().next().value!);
      this.selections.set(key, entry);
    }
    return entry.selected;
  }

  /** The respondents from index `from` on who gave every filter answer. */
  private selectNow(filters: readonly Filter[], from: number): Int32Array {
    let selected = new Int32Array(this.n - from);
    for (let i = from; i < this.n; i++) selected[i - from] = i;
    for (const f of filters) {
      const item = this.items.get(itemKey(f.question, f.row));
      const code = item ? item.known(f.value) : 0;
      if (!item || code === 0) return new Int32Array(0);
      let kept = 0;
      if (item.multi) {
        const bits = item.multi[code - 1];
        for (let k = 0; k < selected.length; k++) if (bits[selected[k]] === 1) selected[kept++] = selected[k];
      } else {
        const codes = item.wide ?? item.codes;
        for (let k = 0; k < selected.length; k++) if (codes[selected[k]] === code) selected[kept++] = selected[k];
      }
      selected = selected.subarray(0, kept);
    }
    return selected;
  }

  /** As ResultsRepository.distribution: respondents per answer, and per question answered. */
  distribution(selected: Int32Array, answeredFor?: readonly string[], memoKey?: string): Tally[] {
    return this.crosstab(selected, null, answeredFor, memoKey).cells.map(({ group: _group, ...tally }) => tally);
  }

  /**
   * As ResultsRepository.crosstab (by: null, one group '' of all selected respondents).
   * Respondents without a value of `by` are in no group. One pass per item.
   */
  crosstab(selected: Int32Array, by: { question: string; row: string } | null, answeredFor?: readonly string[], memoKey?: string): Crosstab {
    if (memoKey === undefined) return this.count(selected, by, answeredFor);
    // Remembered with the answered counts of every question, which cost a pass each but let
    // callers that ask for different ones share the rest.
    const key = JSON.stringify([memoKey, by]);
    let counted = this.memo.get(key);
    if (counted && !this.catchUp(counted, selected)) counted = undefined;
    if (!counted) {
      const fresh = this.countNow(selected, by);
      if (!fresh) return { groups: [], cells: [] };
      counted = fresh;
      if (this.memo.size >= 64) this.memo.delete(this.memo.keys().next().value!);
      this.memo.set(key, counted);
    }
    const result = (counted.result ??= this.render(counted));
    // Copies: the caller may add to them.
    const cells = answeredFor ? result.cells.filter((c) => c.row !== '' || c.value !== ANSWERED || answeredFor.includes(c.question)) : [...result.cells];
    return { groups: [...result.groups], cells };
  }

  /** The filters as a memo key (crosstab): the same set in any order. */
  static filterKey(filters: readonly Filter[]): string {
    return JSON.stringify(filters.map((f) => [f.question, f.row, f.value]).sort());
  }

  private count(selected: Int32Array, by: { question: string; row: string } | null, answeredFor?: readonly string[]): Crosstab {
    const counted = this.countNow(selected, by, answeredFor);
    return counted ? this.render(counted) : { groups: [], cells: [] };
  }

  /** The selected respondents' counts per group of `by` (one group without it); null when nobody answered `by`. */
  private countNow(selected: Int32Array, by: { question: string; row: string } | null, answeredFor?: readonly string[]): Counted | null {
    const byItem = by ? this.items.get(itemKey(by.question, by.row)) : undefined;
    if (by && !byItem) return null;
    if (byItem?.multi || byItem?.wide) throw new Error('a checkbox, or an item of more than 255 values, cannot split respondents into groups here');
    const stride = (byItem ? byItem.values.length : 1) + 1;
    const counted: Counted = {
      byItem: byItem ?? null, groups: stride - 1, upTo: this.n, sizes: new Int32Array(stride), items: new Map(), answered: new Map(), answeredFor, result: null,
    };
    this.addCounts(counted, selected);
    return counted;
  }

  /**
   * Adds these respondents (none counted yet) to the counts. Items and values that appeared
   * since the counts were made are new to the responses added since, and start from zero.
   */
  private addCounts(counted: Counted, selected: Int32Array): void {
    const stride = counted.sizes.length;
    // Per selected respondent their group (0: none).
    const groupOf = new Uint8Array(selected.length);
    if (counted.byItem) gather(counted.byItem.codes, selected, groupOf);
    else groupOf.fill(1);
    for (let k = 0; k < groupOf.length; k++) counted.sizes[groupOf[k]]++;
    for (const item of this.items.values()) {
      let own = counted.items.get(item);
      if (!own) counted.items.set(item, (own = { multi: Boolean(item.multi), width: 0, counts: new Int32Array(0), perValue: [] }));
      if (item.multi) {
        for (let c = 0; c < item.multi.length; c++) {
          const counts = (own.perValue[c] ??= new Int32Array(stride * 2));
          countCodes(item.multi[c], selected, groupOf, 2, counts);
        }
        continue;
      }
      const width = item.values.length + 1;
      if (width !== own.width) {
        // New values since: the same counts, laid out wider.
        const wider = new Int32Array(stride * width);
        for (let g = 0; g < stride; g++) wider.set(own.counts.subarray(g * own.width, (g + 1) * own.width), g * width);
        own.counts = wider;
        own.width = width;
      }
      if (item.wide) countWideCodes(item.wide, selected, groupOf, width, own.counts);
      else countCodes(item.codes, selected, groupOf, width, own.counts);
    }
    for (const [question, bits] of this.answered) {
      if (counted.answeredFor && !counted.answeredFor.includes(question)) continue;
      let counts = counted.answered.get(question);
      if (!counts) counted.answered.set(question, (counts = new Int32Array(stride * 2)));
      countCodes(bits, selected, groupOf, 2, counts);
    }
  }

  /**
   * Brings remembered counts up to this.n with the respondents of `selected` (the same
   * selection, now) added since. False when they must be counted again: a new group of `by`,
   * or an item whose respondents now hold several values (laid out per value: rare, once).
   */
  private catchUp(counted: Counted, selected: Int32Array): boolean {
    if (counted.upTo === this.n) return true;
    const { byItem } = counted;
    if (byItem && (byItem.multi || byItem.wide || byItem.values.length !== counted.groups)) return false;
    for (const [item, own] of counted.items) if (own.multi !== Boolean(item.multi)) return false;
    // The selection is in ascending order: those added since are at its end.
    let lo = 0;
    let hi = selected.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (selected[mid] < counted.upTo) lo = mid + 1;
      else hi = mid;
    }
    this.addCounts(counted, selected.subarray(lo));
    counted.upTo = this.n;
    counted.result = null;
    return true;
  }

  /** The counts as a crosstab: cells in the order of the items, then the answered counts (as counted once). */
  private render(counted: Counted): Crosstab {
    const { byItem } = counted;
    const stride = counted.sizes.length;
    const groupName = (g: number) => (byItem ? byItem.values[g - 1] : '');
    const groups: Crosstab['groups'] = [];
    for (let g = 1; g < stride; g++) if (counted.sizes[g] > 0) groups.push({ value: groupName(g), respondents: counted.sizes[g] });
    const cells: GroupTally[] = [];
    for (const item of this.items.values()) {
      const own = counted.items.get(item)!;
      if (item.multi) {
        own.perValue.forEach((counts, c) => {
          for (let g = 1; g < stride; g++) {
            const n = counts[g * 2 + 1];
            if (n > 0) cells.push({ group: groupName(g), question: item.question, row: item.row, value: item.values[c], respondents: n });
          }
        });
        continue;
      }
      const { width, counts } = own;
      for (let g = 1; g < stride; g++) {
        for (let c = 1; c < width; c++) {
          const n = counts[g * width + c];
          if (n > 0) cells.push({ group: groupName(g), question: item.question, row: item.row, value: item.values[c - 1], respondents: n });
        }
      }
    }
    for (const [question] of this.answered) {
      const counts = counted.answered.get(question);
      if (!counts) continue;
      for (let g = 1; g < stride; g++) {
        const n = counts[g * 2 + 1];
        if (n > 0) cells.push({ group: groupName(g), question, row: '', value: ANSWERED, respondents: n });
      }
    }
    return { groups, cells };
  }

  /** The last group sizes (groupSizes), while the copy does not change: a filter's siblings are counted for every selection that holds it. */
  private readonly sizes = new Map<string, { upTo: number; sizes: ReadonlyMap<string, number> }>();

  /** As ResultsRepository.groupSizes; with memoKey (filterKey of the selection) remembered while the copy is unchanged. */
  groupSizes(selected: Int32Array, by: { question: string; row: string }, memoKey?: string): Map<string, number> {
    if (memoKey === undefined) return this.groupSizesNow(selected, by);
    const key = JSON.stringify([memoKey, by.question, by.row]);
    let entry = this.sizes.get(key);
    if (!entry || entry.upTo !== this.n) {
      // One pass over the selection: counted again after a change.
      entry = { upTo: this.n, sizes: this.groupSizesNow(selected, by) };
      if (this.sizes.size >= 64) this.sizes.delete(this.sizes.keys().next().value!);
      this.sizes.set(key, entry);
    }
    return new Map(entry.sizes); // a copy: the caller may change it
  }

  private groupSizesNow(selected: Int32Array, by: { question: string; row: string }): Map<string, number> {
    const item = this.items.get(itemKey(by.question, by.row));
    const sizes = new Map<string, number>();
    if (!item) return sizes;
    if (item.multi) {
      item.multi.forEach((bits, c) => {
        let n = 0;
        for (let k = 0; k < selected.length; k++) n += bits[selected[k]];
        if (n > 0) sizes.set(item.values[c], n);
      });
      return sizes;
    }
    const counts = new Int32Array(item.values.length + 1);
    const codes = item.wide ?? item.codes;
    for (let k = 0; k < selected.length; k++) counts[codes[selected[k]]]++;
    for (let c = 1; c < counts.length; c++) if (counts[c] > 0) sizes.set(item.values[c - 1], counts[c]);
    return sizes;
  }

  /** As ResultsRepository.differences; null when a question of a pair is a checkbox here (the SQL answers). */
  differences(selected: Int32Array, pairs: ReadonlyArray<{ first: string; second: string }>, scale: readonly string[]): Array<{ first: string; difference: number; respondents: number }> | null {
    // Per first question and difference, as the SQL groups them (a question may lead two pairs).
    const out = new Map<string, { first: string; difference: number; respondents: number }>();
    for (const pair of pairs) {
      const first = this.items.get(itemKey(pair.first, ''));
      const second = this.items.get(itemKey(pair.second, ''));
      if (first?.multi || second?.multi || first?.wide || second?.wide) return null;
      if (!first || !second) continue;
      // Per code its number on the scale, NaN off the scale.
      const numbers = (item: Item) => Float64Array.from([NaN, ...item.values.map((v) => (scale.includes(v) ? Math.trunc(Number(v)) : NaN))]);
      const f = numbers(first);
      const s = numbers(second);
      const counts = new Map<number, number>();
      for (let k = 0; k < selected.length; k++) {
        const d = s[second.codes[selected[k]]] - f[first.codes[selected[k]]];
        if (!Number.isNaN(d)) counts.set(d, (counts.get(d) ?? 0) + 1);
      }
      for (const [difference, respondents] of counts) {
        const key = `${pair.first}${FIELD}${difference}`;
        const seen = out.get(key);
        if (seen) seen.respondents += respondents;
        else out.set(key, { first: pair.first, difference, respondents });
      }
    }
    return [...out.values()];
  }

  /** As ResultsRepository.jointCounts; null when a question is a checkbox here (the SQL answers). */
  jointCounts(selected: Int32Array, first: string, second: string | null): Array<{ first: string | null; second: string | null; respondents: number }> | null {
    const a = this.items.get(itemKey(first, ''));
    const b = second === null ? undefined : this.items.get(itemKey(second, ''));
    if (a?.multi || b?.multi || a?.wide || b?.wide) return null;
    const aWidth = (a?.values.length ?? 0) + 1;
    const counts = new Int32Array(aWidth * ((b?.values.length ?? 0) + 1));
    for (let k = 0; k < selected.length; k++) {
      counts[(b ? b.codes[selected[k]] : 0) * aWidth + (a ? a.codes[selected[k]] : 0)]++;
    }
    const out: Array<{ first: string | null; second: string | null; respondents: number }> = [];
    counts.forEach((n, cell) => {
      if (n === 0) return;
      const ca = cell % aWidth;
      const cb = Math.floor(cell / aWidth);
      out.push({ first: ca === 0 ? null : a!.values[ca - 1], second: second === null ? null : cb === 0 ? null : b!.values[cb - 1], respondents: n });
    });
    return out;
  }
}

/** out[k] = codes[selected[k]]. */
function gather(codes: Uint8Array, selected: Int32Array, out: Uint8Array): void {
  for (let k = 0; k < selected.length; k++) out[k] = codes[selected[k]];
}

/**
 * The hot loop: counts[group * width + code] over the selected respondents. Monomorphic
 * (byte arrays only) and without closures, so that V8 keeps it tight.
 */
function countCodes(codes: Uint8Array, selected: Int32Array, groupOf: Uint8Array, width: number, counts: Int32Array): void {
  const n = selected.length;
  for (let k = 0; k < n; k++) counts[groupOf[k] * width + codes[selected[k]]]++;
}

/** countCodes for the 32-bit codes of an item with more than 255 values (kept apart, so countCodes stays monomorphic). */
function countWideCodes(codes: Uint32Array, selected: Int32Array, groupOf: Uint8Array, width: number, counts: Int32Array): void {
  const n = selected.length;
  for (let k = 0; k < n; k++) counts[groupOf[k] * width + codes[selected[k]]]++;
}
