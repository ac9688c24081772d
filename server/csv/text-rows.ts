// The export's lines written straight from the stored JSON text of a response, without
// parsing it whole. JSON.parse of every response (40 keys and values, a matrix an object
// of its own) and the collections of what it made were half of a 100,000-row export's CPU,
// and most of what it made was written as one of a few texts: a quickscan answer is a
// handful of choices. So the text is scanned once for its top-level keys; each answer's
// own JSON text (a matrix's: each row's) is looked up among the ones seen before, whose
// cells were written once by the row writer itself (rowWriter over that question's columns,
// on `{question: JSON.parse(answer)}`); only an answer not seen before is parsed. A cell of
// the export reads nothing but its own question's answer (answerOf), so the row is the
// same text as rowWriter of the whole parsed response; test/unit/csv/text-rows.test.ts
// compares them on every instrument, and on texts with repeated keys, white space and
// faults. A text with an escape (a free text with a quote or a line break), one that is no
// object, or a fault gives undefined, and the caller parses the text as before (and fails
// as before on a fault): without escapes a string ends at the next quote, which the
// scanner finds with indexOf instead of reading every character.
import type { CsvColumn } from './columns';
import { rowWriter, RowQuery } from './row-writer';

/** A variable of the k-anonymity plan whose value is read from one question's answer. */
export interface QuestionValue {
  question: string;
  valueOf(data: Record<string, unknown>): string;
}

export interface TextRows {
  /**
   * The row's cells as rowWriter(columns, query) writes them for JSON.parse(text) (no
   * blanks), and in `values` (when given) each variable's value; undefined when this text
   * is not one the scanner reads: then nothing is known, parse it.
   */
  write(text: string, day: string, values?: string[]): string | undefined;
}

/**
 * What the answers seen before may take of an export's memory, shared by every reader of
 * the export (a combined export has one per wave): characters of answer texts and cells,
 * and ENTRY for each entry kept (its objects). An answer text longer than LONGEST is not
 * kept (a free text is seldom seen twice). 2 M characters are a few MB however varied the
 * answers; a quickscan wave of 100,000 responses takes 55,000 of them.
 */
export interface KeptAnswers {
  chars: number;
}

export const keptAnswers = (): KeptAnswers => ({ chars: 2 * 1024 * 1024 });
const ENTRY = 64;
const LONGEST = 200;
/** Answer texts kept per hash: a lookup compares at most this many texts. */
export const MAX_CHAIN = 4;

/** An answer text seen before: its own text (to tell it from another of the same hash), and what it gives. */
interface Seen<T> {
  raw: string;
  made: T;
  /** Another answer text of the same hash. */
  next: Seen<T> | undefined;
}

/**
 * Answer texts by a hash of their length and a few of their characters: looking one up
 * makes no string (a slice per key and answer, hashed again by a Map, took as long as
 * JSON.parse itself), and the text is compared in full only with the ones of its hash.
 */
export class SeenTexts<T> {
  private readonly byHash = new Map<number, Seen<T>>();

  /** `maxChain`: MAX_CHAIN for answers; none for the instrument's own question names, which must all be found. */
  constructor(private readonly maxChain = MAX_CHAIN) {}

  get(text: string, start: number, end: number): T | undefined {
    for (let seen = this.byHash.get(spanHash(text, start, end)); seen; seen = seen.next) {
      if (sameText(seen.raw, text, start, end)) return seen.made;
    }
    return undefined;
  }

  /**
   * Keeps an answer text unless MAX_CHAIN others of its hash are kept: the hash reads six
   * characters, so respondents could send thousands of answers of one hash (free texts
   * differing elsewhere), and every lookup would compare them all. Such a text is simply
   * not kept: it is parsed again each time, as without this cache.
   */
  set(raw: string, made: T): boolean {
    const hash = spanHash(raw, 0, raw.length);
    const first = this.byHash.get(hash);
    let chain = 0;
    for (let seen = first; seen; seen = seen.next) chain++;
    if (chain >= this.maxChain) return false;
    this.byHash.set(hash, { raw, made, next: first });
    return true;
  }
}

/** Per answer text of a question: the text of each of its runs of columns, and its variables' values. */
interface Answer {
  runs: string[];
  values: string[];
}

interface Question {
  name: string;
  /** Its columns (indexes in the row), each with its writer over that one column. */
  columns: number[];
  writers: Array<(response: { day: string; data: Record<string, unknown> }) => string>;
  /**
   * Its columns in runs of neighbours, each run one slot of the line (a matrix: each
   * column its own run): per run its slot and its columns' places in `columns`.
   */
  runs: Array<{ slot: number; from: number; to: number }>;
  seen: SeenTexts<Answer>;
  /** The variables read from it, by index in `values`. */
  variables: number[];
  /**
   * A matrix whose columns each read one row of the answer: its row names (each column
   * its own slot), the column's place in `columns` per row, and per column its cell per
   * answer text of its row (an answer of one character by its code).
   */
  rows: SeenTexts<number> | null;
  rowNames: string[];
  seenRows: Array<SeenTexts<string>>;
  oneCharacter: Array<Array<string | undefined>>;
  /** The question whose key followed this one's in the last text: tried first (a name compared, no lookup). */
  next: Question | undefined;
}

export function textRows(columns: readonly CsvColumn[], query: RowQuery, variables: readonly QuestionValue[] = [], kept: KeptAnswers = keptAnswers()): TextRows {
  const { delimiter } = query;
  // What JSON.parse gives for '{}': an object with the prototype, which choiceOf and valueOf read through.
  const empty = JSON.parse('{}') as Record<string, unknown>;
  const questions = new Map<string, Question>();
  const questionOf = (name: string): Question => {
    let q = questions.get(name);
    if (!q) {
      q = { name, columns: [], writers: [], runs: [], seen: new SeenTexts(), variables: [], rows: null, rowNames: [], seenRows: [], oneCharacter: [], next: undefined };
      questions.set(name, q);
    }
    return q;
  };
  columns.forEach((column, index) => {
    if (column.question !== '') questionOf(column.question).columns.push(index);
  });
  variables.forEach((v, i) => questionOf(v.question).variables.push(i));
  for (const q of questions.values()) {
    q.writers = q.columns.map((i) => rowWriter([columns[i]!], query));
    // A matrix (its columns one per row, and no variable of the plan read from it): each
    // row's answer looked up on its own, as 9 rows of 5 answers make 83,000 distinct answers
    // of the question in 100,000 responses but 5 of each row. A row named as a property of
    // every object ("constructor") is read from the prototype by choiceOf: not here.
    const matrix = q.columns.length > 0 && q.variables.length === 0 && q.columns.every((i) => columns[i]!.kind === 'matrixRow'
      && columns[i]!.cell === undefined && !Reflect.has(Object.prototype, columns[i]!.row!));
    if (matrix && new Set(q.columns.map((i) => columns[i]!.row)).size === q.columns.length) {
      const rows = new SeenTexts<number>(Infinity);
      q.columns.forEach((i, at) => rows.set(columns[i]!.row!, at));
      q.rows = rows;
      q.rowNames = q.columns.map((i) => columns[i]!.row!);
      q.seenRows = q.columns.map(() => new SeenTexts());
      q.oneCharacter = q.columns.map(() => []);
    }
  }
  // The slots of a line, joined by the delimiter: a run of neighbouring columns of one
  // question (a multi-select's flags), a matrix row's column, or a column of no question (the day).
  const absentCells = columns.map((column) => rowWriter([column], query)({ day: '', data: empty }));
  const absent: string[] = [];
  const own: Array<{ slot: number; write: (response: { day: string; data: Record<string, unknown> }) => string }> = [];
  columns.forEach((column, index) => {
    if (column.question === '') {
      own.push({ slot: absent.length, write: rowWriter([column], query) });
      absent.push(absentCells[index]!);
      return;
    }
    const q = questions.get(column.question)!;
    const at = q.columns.indexOf(index);
    const last = q.runs[q.runs.length - 1];
    // A matrix's columns are a slot each, in the order of its columns (matrixCells writes them one by one).
    if (q.rows === null && last && q.columns[last.to - 1] === index - 1) {
      last.to = at + 1;
      absent[last.slot] += delimiter + absentCells[index]!;
    } else {
      q.runs.push({ slot: absent.length, from: at, to: at + 1 });
      absent.push(absentCells[index]!);
    }
  });
  const absentValues = variables.map((v) => v.valueOf(empty));
  const named = new SeenTexts<Question>(Infinity);
  for (const q of questions.values()) named.set(q.name, q);
  // The question of the first key of the last text (see Question.next).
  let first: Question | undefined;
  const slots = new Array<string>(absent.length);

  /** The runs and values of one answer text (from `start` to `end`): kept, or written (and kept if there is room). */
  const answer = (q: Question, text: string, start: number, end: number): Answer => {
    const known = q.seen.get(text, start, end);
    if (known) return known;
    const raw = text.slice(start, end);
    const data = { [q.name]: JSON.parse(raw) as unknown };
    const response = { day: '', data };
    const cells = q.writers.map((write) => write(response));
    const made = { runs: q.runs.map((run) => cells.slice(run.from, run.to).join(delimiter)), values: q.variables.map((v) => variables[v]!.valueOf(data)) };
    const size = ENTRY + raw.length + cells.reduce((sum, c) => sum + c.length, 0);
    if (raw.length <= LONGEST && size <= kept.chars && q.seen.set(raw, made)) kept.chars -= size;
    return made;
  };
  /** One matrix row's cell (`at` its column's place in the question's columns), for its answer text. */
  const rowCell = (q: Question, at: number, text: string, start: number, end: number): string => {
    const one = end - start === 1 && text.charCodeAt(start) < 128 ? text.charCodeAt(start) : -1;
    const known = one >= 0 ? q.oneCharacter[at]![one] : q.seenRows[at]!.get(text, start, end);
    if (known !== undefined) return known;
    const raw = text.slice(start, end);
    const row = columns[q.columns[at]!]!.row!;
    const cell = q.writers[at]!({ day: '', data: { [q.name]: { [row]: JSON.parse(raw) as unknown } } });
    if (one >= 0) q.oneCharacter[at]![one] = cell;
    else if (raw.length <= LONGEST && ENTRY + raw.length + cell.length <= kept.chars && q.seenRows[at]!.set(raw, cell)) {
      kept.chars -= ENTRY + raw.length + cell.length;
    }
    return cell;
  };
  /** A matrix's answer, an object from `start` to `end`, row by row into its slots; false when it is not one the scanner reads. */
  const matrixCells = (q: Question, text: string, start: number, end: number): boolean => {
    const runs = q.runs;
    for (const run of runs) slots[run.slot] = absent[run.slot]!;
    let at = skipSpace(text, start + 1);
    if (text.charCodeAt(at) === CLOSE_BRACE) return at + 1 === end;
    let expected = 0; // rows usually come in the order of the columns: the next one is tried first
    for (;;) {
      if (text.charCodeAt(at) !== QUOTE) return false;
      let keyEnd: number;
      let column: number | undefined;
      const name = expected < q.rowNames.length ? q.rowNames[expected]! : '';
      if (name !== '' && text.charCodeAt(at + 1 + name.length) === QUOTE && sameText(name, text, at + 1, at + 1 + name.length)) {
        keyEnd = at + 1 + name.length;
        column = expected;
      } else {
        keyEnd = text.indexOf('"', at + 1);
        if (keyEnd < 0) return false;
        column = q.rows!.get(text, at + 1, keyEnd);
      }
      if (column !== undefined) expected = column + 1;
      const colon = skipSpace(text, keyEnd + 1);
      if (text.charCodeAt(colon) !== COLON) return false;
      const valueStart = skipSpace(text, colon + 1);
      const valueEnd = valueEndOf(text, valueStart);
      if (valueEnd < 0 || valueEnd > end) return false;
      // A row without a column: not written, but the key and the value checked as JSON.parse would.
      if (column === undefined) JSON.parse(`{${text.slice(at, keyEnd + 1)}:${text.slice(valueStart, valueEnd)}}`);
      else slots[runs[column]!.slot] = rowCell(q, column, text, valueStart, valueEnd);
      at = skipSpace(text, valueEnd);
      const next = text.charCodeAt(at);
      if (next === CLOSE_BRACE) return at + 1 === end;
      if (next !== COMMA) return false;
      at = skipSpace(text, at + 1);
    }
  };

  return {
    write(text, day, values) {
      if (text.indexOf('\\') >= 0) return undefined;
      try {
        for (let i = 0; i < absent.length; i++) slots[i] = absent[i]!;
        if (values) for (let v = 0; v < absentValues.length; v++) values[v] = absentValues[v]!;
        let at = skipSpace(text, 0);
        if (text.charCodeAt(at) !== OPEN_BRACE) return undefined;
        at = skipSpace(text, at + 1);
        if (text.charCodeAt(at) === CLOSE_BRACE) {
          if (skipSpace(text, at + 1) !== text.length) return undefined;
        } else {
          let previous: Question | undefined;
          let atFirst = true;
          let expected = first;
          for (;;) {
            if (text.charCodeAt(at) !== QUOTE) return undefined;
            let keyEnd: number;
            let q: Question | undefined;
            const name = expected === undefined ? '' : expected.name;
            if (name !== '' && text.charCodeAt(at + 1 + name.length) === QUOTE && sameText(name, text, at + 1, at + 1 + name.length)) {
              keyEnd = at + 1 + name.length;
              q = expected;
            } else {
              keyEnd = text.indexOf('"', at + 1);
              if (keyEnd < 0) return undefined;
              q = named.get(text, at + 1, keyEnd);
              if (atFirst) first = q;
              else if (previous !== undefined) previous.next = q;
            }
            atFirst = false;
            previous = q;
            expected = q?.next;
            const colon = skipSpace(text, keyEnd + 1);
            if (text.charCodeAt(colon) !== COLON) return undefined;
            const valueStart = skipSpace(text, colon + 1);
            const valueEnd = valueEndOf(text, valueStart);
            if (valueEnd < 0) return undefined;
            if (q === undefined) {
              // Not written, but the key and the value checked as JSON.parse would.
              JSON.parse(`{${text.slice(at, keyEnd + 1)}:${text.slice(valueStart, valueEnd)}}`);
            } else if (!(q.rows !== null && text.charCodeAt(valueStart) === OPEN_BRACE && matrixCells(q, text, valueStart, valueEnd))) {
              // A key seen twice: the last one counts, as in JSON.parse.
              const made = answer(q, text, valueStart, valueEnd);
              for (let r = 0; r < q.runs.length; r++) slots[q.runs[r]!.slot] = made.runs[r]!;
              if (values) for (let v = 0; v < q.variables.length; v++) values[q.variables[v]!] = made.values[v]!;
            }
            at = skipSpace(text, valueEnd);
            const next = text.charCodeAt(at);
            if (next === CLOSE_BRACE) {
              if (skipSpace(text, at + 1) !== text.length) return undefined;
              break;
            }
            if (next !== COMMA) return undefined;
            at = skipSpace(text, at + 1);
          }
        }
        for (const { slot, write } of own) slots[slot] = write({ day, data: empty });
        return slots.join(delimiter);
      } catch {
        return undefined; // not JSON: the caller's JSON.parse says so
      }
    },
  };
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Whether `text` from `start` to `end` is `part` (a loop: startsWith was a call per key, of several times the cost). */
function sameText(part: string, text: string, start: number, end: number): boolean {
  if (part.length !== end - start) return false;
  for (let i = 0; i < part.length; i++) if (part.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * A hash of a text's length and six of its characters, spread over it: cheap, and sameText
 * settles the rest. (Its first, middle and last alone left lists of choices, which all
 * start with `["` and end with `"]`, in long chains of the same hash.)
 */
function spanHash(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 0) return 0;
  const last = end - 1;
  let hash = Math.imul(length, 31) + text.charCodeAt(start);
  hash = Math.imul(hash, 31) + text.charCodeAt(Math.min(start + 2, last));
  hash = Math.imul(hash, 31) + text.charCodeAt(start + (length >> 2));
  hash = Math.imul(hash, 31) + text.charCodeAt(start + (length >> 1));
  hash = Math.imul(hash, 31) + text.charCodeAt(last - (length >> 2));
  return (Math.imul(hash, 31) + text.charCodeAt(Math.max(last - 2, start))) | 0;
}

/** The first position at or after `at` that is not JSON's white space (space, tab, LF, CR). */
function skipSpace(text: string, at: number): number {
  for (;;) {
    const c = text.charCodeAt(at);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return at;
    at++;
  }
}

/**
 * The position after the value starting at `at`, in a text without escapes: a string up
 * to the next quote, an object or list (brackets counted outside strings), anything else
 * up to the next delimiter. Only its extent: whether it is JSON is JSON.parse's to say, on
 * the value's own text. -1 when it does not end.
 */
function valueEndOf(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) {
    const end = text.indexOf('"', at + 1);
    return end < 0 ? -1 : end + 1;
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return -1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter or white space.
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === QUOTE || c === COLON || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      return i === at ? -1 : i;
    }
  }
  return -1;
}
