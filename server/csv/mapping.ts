// The mapping step for a file whose headers are not Spiegel's own (a Google Forms export
// of an earlier round has the question texts as headers and the answer texts as cells).
// The manager points each column at a question, matrix row or choice, and each answer text
// at a choice; applying the mapping rewrites the file into the export's format, which then
// takes the ordinary import path. Pure functions: no I/O, no knex, no Express.
import type { CsvColumn, ValueLabel } from './columns';
import { DAY_COLUMN, SEQUENCE_COLUMN, joinTitle } from './columns';
import { normalised, optionFor } from './read-rows';
import type { FileProblem } from './csv-text';
import { t } from '../i18n/messages';

/** Where a column can go: one export column, or a whole multi-select question (`q.*`) whose cells list the chosen answers. */
export interface Target {
  name: string;
  label: string;
  /** The question text (with the row or choice for a single matrix-row or choice column). */
  title: string;
  /** The export columns the target fills: one, or every choice of a whole multi-select question. */
  columns: CsvColumn[];
  /** Answers that a cell's text is matched to. */
  options: ValueLabel[];
  whole: boolean;
}

export interface Mapping {
  /** Per header of the file (same order): a target name, or '' to leave the column out. */
  columns: string[];
  /**
   * Per target, per answer text as written in the file (normalised): the chosen value, or ''
   * for "leave empty". Both keys come from the manager's form, so these are Maps: a plain
   * object keyed `__proto__` would write to Object.prototype, which every request shares.
   */
  answers: Map<string, Map<string, string>>;
}

export const WHOLE_SUFFIX = '.*';

export function mappingTargets(columns: CsvColumn[]): Target[] {
  const targets: Target[] = [];
  const wholeDone = new Set<string>();
  for (const column of columns) {
    if (column.name === SEQUENCE_COLUMN) continue;
    if (column.kind === 'flag' && !wholeDone.has(column.question)) {
      wholeDone.add(column.question);
      const flags = columns.filter((c) => c.kind === 'flag' && c.question === column.question);
      const title = column.questionTitle;
      targets.push({
        name: column.question + WHOLE_SUFFIX, label: `${column.question}: ${title} ${t('csv.mapping.wholeQuestion')}`, title,
        columns: flags, options: flags.map((f) => f.choice!), whole: true,
      });
    }
    targets.push({ name: column.name, label: `${column.name}: ${column.title}`, title: column.title, columns: [column], options: column.options, whole: false });
  }
  return targets;
}

/** A first guess per header: Spiegel's own column name, the question text, `Question [row]`, or a timestamp. */
export function suggestColumns(headers: string[], targets: Target[]): string[] {
  const used = new Set<string>();
  const guess = guesser(targets);
  return headers.map((header) => {
    const target = guess(header);
    if (!target || used.has(target)) return '';
    used.add(target);
    return target;
  });
}

/**
 * The targets looked up by normalised text, built once per file: a file may have thousands
 * of headers, and comparing each with every target's text would multiply the two.
 * The first target with a text wins, as a search in the list's order would find it.
 */
function guesser(targets: Target[]): (header: string) => string | undefined {
  const firstBy = (pick: (tg: Target) => boolean, key: (tg: Target) => string) => {
    const map = new Map<string, string>();
    for (const tg of targets) if (pick(tg) && !map.has(normalised(key(tg)))) map.set(normalised(key(tg)), tg.name);
    return map;
  };
  const byName = firstBy(() => true, (tg) => tg.name);
  // One column answering the whole question (a multiple text's number or date item answers a part of it).
  const byQuestion = firstBy((tg) => tg.whole || (['choice', 'text', 'number', 'date'].includes(tg.columns[0]!.kind) && tg.columns[0]!.row === undefined), (tg) => tg.title);
  const byPart = firstBy((tg) => !tg.whole, (tg) => tg.title);
  // A form tool often drops or adds the final '?' or ':' of a question: matched without it, after an exact match failed.
  const looseMap = (map: Map<string, string>) => {
    const loose = new Map<string, string>();
    for (const [key, name] of map) if (!loose.has(withoutFinalMark(key))) loose.set(withoutFinalMark(key), name);
    return loose;
  };
  const byQuestionLoose = looseMap(byQuestion);
  const byPartLoose = looseMap(byPart);
  return (header) => {
    const key = normalised(header);
    if (byName.has(key)) return byName.get(key);
    if (/^(tijdstempel|timestamp|datum|date|tijd)$/i.test(header.trim())) return DAY_COLUMN;
    if (byQuestion.has(key)) return byQuestion.get(key);
    // Google Forms writes a grid row or a checkbox-grid choice as "Question [Row]".
    const grid = gridHeader(header);
    if (grid) {
      const part = normalised(joinTitle(grid.question, grid.part));
      return byPart.get(part) ?? byPartLoose.get(withoutFinalMark(part)) ?? byPartLoose.get(withoutFinalMark(normalised(joinTitle(withoutFinalMark(grid.question), grid.part))));
    }
    return byQuestionLoose.get(withoutFinalMark(key));
  };
}

/** A normalised text without the '?' or ':' (and spaces) it ends with. By hand: a regex anchored at the end backtracks. */
export function withoutFinalMark(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '?' || text[end - 1] === ':' || text[end - 1] === ' ')) end--;
  return text.slice(0, end);
}

/**
 * "Question [Row]" split in two: the text before the first '[' and the text up to the last
 * ']', which must end the header. By hand rather than with /^(.*?)\s*\[(.*)\]\s*$/, whose
 * backtracking takes time quadratic in the header's length (seconds for a 60 kB header).
 */
export function gridHeader(header: string): { question: string; part: string } | null {
  const text = header.trimEnd();
  if (!text.endsWith(']')) return null;
  const open = text.indexOf('[');
  if (open < 0) return null;
  return { question: text.slice(0, open).trimEnd(), part: text.slice(open + 1, -1) };
}

export interface AnswerTexts {
  target: string;
  header: string;
  texts: Array<{ text: string; count: number; suggestion: string | null }>;
}

/** The distinct answer texts of every column mapped to a choice target, with a suggested choice for each. */
export function answerTexts(headers: string[], rows: string[][], mapping: Mapping, targets: Target[]): AnswerTexts[] {
  const byName = new Map(targets.map((tg) => [tg.name, tg]));
  const result: AnswerTexts[] = [];
  mapping.columns.forEach((name, i) => {
    const target = byName.get(name);
    if (!target || target.options.length === 0 || target.columns[0]!.kind === 'flag' && !target.whole) return;
    const counts = new Map<string, { text: string; count: number }>();
    for (const row of rows) {
      for (const text of cellTexts(row[i] ?? '', target)) {
        const key = normalised(text);
        const entry = counts.get(key) ?? { text: text.trim(), count: 0 };
        entry.count += 1;
        counts.set(key, entry);
      }
    }
    const texts = [...counts.values()].map(({ text, count }) => ({ text, count, suggestion: suggestionFor(target, text) }));
    result.push({ target: name, header: headers[i]!, texts });
  });
  return result;
}

const suggestionFor = (target: Target, text: string): string | null => {
  const option = optionFor(target.options, text);
  return option ? String(option.value) : null;
};

export interface MappedFile {
  headers: string[];
  rows: string[][];
  /** Per export column, the file's own header: errors name the column the manager knows. */
  sourceHeader: Map<string, string>;
  problems: FileProblem[];
}

/** Rewrites the file into the export's format: Spiegel's headers, and choice values where the mapping says so. */
export function applyMapping(headers: string[], rows: string[][], mapping: Mapping, targets: Target[]): MappedFile {
  const byName = new Map(targets.map((tg) => [tg.name, tg]));
  const problems: FileProblem[] = [];
  const used: Array<{ index: number; target: Target }> = [];
  const taken = new Map<string, string>();
  mapping.columns.forEach((name, index) => {
    if (name === '') return;
    const target = byName.get(name);
    const header = headers[index] ?? '';
    if (!target) return problems.push({ line: 1, column: header, message: t('csv.mapping.unknownTarget', { target: name }) });
    for (const column of target.columns) {
      if (taken.has(column.name)) {
        problems.push({ line: 1, column: header, message: t('csv.mapping.twice', { header, other: taken.get(column.name)!, target: column.name }) });
        return;
      }
    }
    for (const column of target.columns) taken.set(column.name, header);
    used.push({ index, target });
  });
  if (used.length === 0 && problems.length === 0) problems.push({ line: 1, message: t('csv.mapping.nothingMapped') });

  const outHeaders = used.flatMap(({ target }) => target.columns.map((c) => c.name));
  const outRows = rows.map((row, r) => used.flatMap(({ index, target }) => {
    const cell = row[index] ?? '';
    if (target.whole) return wholeCells(cell, target, mapping.answers.get(target.name) ?? new Map(), r + 2, headers[index]!, problems);
    if (target.options.length === 0 || target.columns[0]!.kind === 'flag') return [cell];
    const chosen = mapping.answers.get(target.name)?.get(normalisedKey(cell));
    return [chosen ?? cell];
  }));
  return { headers: outHeaders, rows: outRows, sourceHeader: taken, problems };
}

/** One cell listing chosen answers ("Collega's, Cliënten") as 1/0 per choice, or all empty when the cell is. */
function wholeCells(cell: string, target: Target, answers: Map<string, string>, line: number, header: string, problems: FileProblem[]): string[] {
  if (cell.trim() === '') return target.columns.map(() => '');
  const chosen = new Set<string>();
  const reported = new Set<string>(); // one problem per text and cell, however often the cell repeats it
  for (const text of cellTexts(cell, target)) {
    const key = normalisedKey(text);
    const mapped = answers.get(key);
    const value = mapped !== undefined ? mapped : suggestionFor(target, text);
    if (value === null && !reported.has(key)) {
      reported.add(key);
      problems.push({ line, column: header, message: t('csv.mapping.unmappedAnswer', { text: text.trim() }) });
    } else if (value !== null && value !== '') chosen.add(value);
  }
  return target.columns.map((c) => (chosen.has(String(c.choice!.value)) ? '1' : '0'));
}

/**
 * The answers in one cell. A multi-select cell lists them separated by ';' or ', ' (Google
 * Forms); parts are joined back together where the joined text is one answer, so that a
 * choice text with a comma in it is not torn apart. The longest answer wins.
 *
 * Linear in the cell's length: a joined text holds exactly one separator fewer than it has
 * parts, so only as many parts are tried as the choice text with the most separators has,
 * not every run of parts (which took a minute on a 3 kB cell of commas).
 */
export function cellTexts(cell: string, target: Target): string[] {
  if (cell.trim() === '') return [];
  if (!target.whole) return [cell];
  const separator = cell.includes(';') ? ';' : ',';
  const { known, widest } = choiceTexts(target, separator);
  const parts = cell.split(separator).map((p) => p.trim());
  const texts: string[] = [];
  for (let i = 0; i < parts.length;) {
    let take = 1;
    for (let j = Math.min(parts.length, i + widest); j > i + 1; j--) {
      if (known.has(normalised(parts.slice(i, j).join(`${separator} `)))) { take = j - i; break; }
    }
    texts.push(parts.slice(i, i + take).join(`${separator} `));
    i += take;
  }
  return texts.filter((text) => text !== '');
}

/** A target's choice texts, normalised, and the most parts (split at `separator`) any of them has; made once per target. */
function choiceTexts(target: Target, separator: ';' | ','): { known: Set<string>; widest: number } {
  const cacheKey = separator === ';' ? semicolonTexts : commaTexts;
  let texts = cacheKey.get(target);
  if (!texts) {
    texts = { known: new Set(), widest: 1 };
    for (const text of target.options.flatMap((o) => [normalised(o.label), normalised(String(o.value))])) {
      texts.known.add(text);
      texts.widest = Math.max(texts.widest, text.split(separator).length);
    }
    cacheKey.set(target, texts);
  }
  return texts;
}
const commaTexts = new WeakMap<Target, { known: Set<string>; widest: number }>();
const semicolonTexts = new WeakMap<Target, { known: Set<string>; widest: number }>();

/** Answer texts are keyed as a person reads them: case, spaces and curly quotes do not matter. */
export const normalisedKey = normalised;
