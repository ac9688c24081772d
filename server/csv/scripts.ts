// SPSS syntax and an R script that read a wave's export (`export.csv?missing=codes`, with
// the same sep, texts and full as asked here) and label it: variable labels, value labels,
// missing values and measurement levels. Written from the variables' descriptions
// (variables.ts), which come from the export's own column list, so a script always fits the
// file the same user downloads with the same query. Neither holds a single answer.
import { z } from 'zod';
import type { WaveRecord } from '../waves/repository';
import type { InstrumentVersion } from '../instruments/repository';
import type { MissingCodes } from '../survey/model';
import type { Variable } from './variables';

export const scriptQuerySchema = z.object({
  sep: z.enum([',', ';']).default(','),
  texts: z.enum(['0', '1']).default('0'),
  full: z.enum(['0', '1']).default('0'),
}).strict().transform((q) => ({ ...q, labels: '0' as const, missing: 'codes' as const }));

/** The same for a combined export: the waves as well. */
export const combinedScriptQuerySchema = z.object({
  waves: z.string().min(1).max(1000),
  sep: z.enum([',', ';']).default(','),
  texts: z.enum(['0', '1']).default('0'),
  full: z.enum(['0', '1']).default('0'),
}).strict();

export interface ScriptInput {
  wave: Pick<WaveRecord, 'id' | 'label'>;
  instrument: InstrumentVersion;
  codes: MissingCodes;
  query: { sep: string; texts: string; full: string };
  csvFileName: string;
  variables: Variable[];
  /** Where the file is downloaded, when not the wave's own export (a combined export). */
  exportPath?: string;
}

/** Where to get the file the script reads, as a path on this server with the query that makes it. */
export function exportPath(input: ScriptInput): string {
  if (input.exportPath) return input.exportPath;
  const params = new URLSearchParams({ missing: 'codes' });
  if (input.query.sep !== ',') params.set('sep', input.query.sep);
  if (input.query.texts === '1') params.set('texts', '1');
  if (input.query.full === '1') params.set('full', '1');
  return `/api/v1/waves/${input.wave.id}/export.csv?${params.toString()}`;
}

const scriptName = (input: ScriptInput, ext: string) => input.csvFileName.replace(/\.csv$/, `.${ext}`);

// ---------------------------------------------------------------- SPSS

/** SPSS caps a variable label at 256 bytes and a value label at 120. */
const VARIABLE_LABEL_BYTES = 250;
const VALUE_LABEL_BYTES = 120;
const RESERVED = new Set(['ALL', 'AND', 'BY', 'EQ', 'GE', 'GT', 'LE', 'LT', 'NE', 'NOT', 'OR', 'TO', 'WITH']);

/**
 * SPSS names: a letter first, then letters, digits, '_', '.'; no '.' at the end; at most 64
 * bytes; not a reserved word; unique regardless of case. `e_toelichting-Comment` becomes
 * `e_toelichting_Comment`; the header stays in the variable label's reach through the codebook.
 */
export function spssNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let base = name.normalize('NFKD').replace(/[^A-Za-z0-9_.]/g, '_').replace(/\.+$/, '');
    if (!/^[A-Za-z]/.test(base)) base = `v_${base}`;
    if (RESERVED.has(base.toUpperCase())) base = `${base}_`;
    base = base.slice(0, 60);
    let candidate = base;
    for (let i = 2; taken.has(candidate.toUpperCase()); i++) candidate = `${base.slice(0, 56)}_${i}`;
    taken.add(candidate.toUpperCase());
    return candidate;
  });
}

/** A string literal of SPSS syntax: single quotes doubled, one line, cut at a byte limit without splitting a character. */
function spssString(text: string, maxBytes = 32000): string {
  let value = text.replace(/\s+/g, ' ').trim();
  while (Buffer.byteLength(value, 'utf8') > maxBytes) value = [...value].slice(0, -1).join('');
  return `'${value.replace(/'/g, "''")}'`;
}

const spssValue = (value: string | number | boolean, numeric: boolean) => (numeric ? String(value) : spssString(String(value)));

/** Bytes a string variable needs: its longest value or code, at least 8; a free text as much as it may hold. */
function stringWidth(variable: Variable): number {
  const kind = variable.column.kind;
  if (kind === 'text' || kind === 'item') return 20000; // 5,000 characters of up to 4 bytes: the longest text stored
  if (kind === 'day') return 10;
  return Math.max(8, ...variable.values.map((v) => Buffer.byteLength(String(v.value), 'utf8')));
}

/** A day (YYYY-MM-DD) is read as an SPSS date, SDATE10 (yyyy/mm/dd, any separator); year and month alone stay a string. */
const isDay = (v: Variable) => v.column.kind === 'date' && !v.column.month;

const spssFormat = (v: Variable) => (v.numeric ? (v.column.kind === 'number' ? 'F12.3' : 'F8.0') : isDay(v) ? 'SDATE10' : `A${stringWidth(v)}`);

export function spssSyntax(input: ScriptInput): { fileName: string; text: string } {
  const names = spssNames(input.variables.map((v) => v.column.name));
  const lines: string[] = [];
  const comment = (text: string) => lines.push(`* ${text.replace(/\s+/g, ' ')}.`);
  comment(`Spiegel: ${input.wave.label}, ${input.instrument.title} (versie ${input.instrument.version})`);
  comment(`Leest ${input.csvFileName}: download dat bestand via ${exportPath(input)} en zet het in dezelfde map als dit bestand, of pas /FILE aan`);
  comment(`Ontbrekende waarden: ${[...input.codes.codes.map((c) => `${c.code} = ${c.value}`), `${input.codes.suppressed} = onderdrukt (k-anonimiteit)`].join(', ')}`);
  lines.push('GET DATA', '  /TYPE=TXT', `  /FILE=${spssString(input.csvFileName)}`, "  /ENCODING='UTF8'", '  /ARRANGEMENT=DELIMITED',
    '  /DELCASE=LINE', '  /FIRSTCASE=2', `  /DELIMITERS=${spssString(input.query.sep)}`, `  /QUALIFIER='"'`, '  /VARIABLES=');
  input.variables.forEach((v, i) => lines.push(`    ${names[i]} ${spssFormat(v)}`));
  lines.push('.', '');

  lines.push('VARIABLE LABELS');
  input.variables.forEach((v, i) => lines.push(`  ${i === 0 ? '' : '/'}${names[i]} ${spssString(v.column.title || v.column.name, VARIABLE_LABEL_BYTES)}`));
  lines.push('.', '');

  const labelled = input.variables.map((v, i) => ({ v, name: names[i]! })).filter(({ v }) => v.values.length > 0);
  if (labelled.length > 0) {
    lines.push('VALUE LABELS');
    for (const [i, { v, name }] of labelled.entries()) {
      lines.push(`  ${i === 0 ? '' : '/'}${name}`);
      for (const value of v.values) lines.push(`    ${spssValue(value.value, v.numeric)} ${spssString(value.label, VALUE_LABEL_BYTES)}`);
    }
    lines.push('.', '');
  }

  const withMissing = input.variables.map((v, i) => ({ v, name: names[i]! })).filter(({ v }) => v.values.some((x) => x.missing));
  if (withMissing.length > 0) {
    lines.push('MISSING VALUES');
    withMissing.forEach(({ v, name }, i) => {
      const codes = v.values.filter((x) => x.missing).map((x) => x.value);
      // Numeric: every code lies at or below the highest one, every real value above it. A string takes three values.
      const list = v.numeric ? `LOWEST THRU ${input.codes.highest}` : codes.slice(0, 3).map((c) => spssValue(c, false)).join(', ');
      lines.push(`  ${i === 0 ? '' : '/'}${name} (${list})`);
    });
    lines.push('.', '');
  }

  lines.push('VARIABLE LEVEL');
  input.variables.forEach((v, i) => lines.push(`  ${i === 0 ? '' : '/'}${names[i]} (${v.level.toUpperCase()})`));
  lines.push('.', '', 'EXECUTE.', '');
  return { fileName: scriptName(input, 'sps'), text: `\uFEFF${lines.join('\n')}` };
}

// ---------------------------------------------------------------- R

/** An R string literal in ASCII (\u escapes), so the script reads the same in any locale. */
export function rString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code > 0x7e) out += code > 0xffff ? `\\U{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const rValue = (value: string | number | boolean, numeric: boolean) => (numeric ? String(value) : rString(String(value)));
const rVector = (items: string[]) => `c(${items.join(', ')})`;

export function rScript(input: ScriptInput): { fileName: string; text: string } {
  const lines: string[] = [];
  const col = (v: Variable) => `spiegel[[${rString(v.column.name)}]]`;
  lines.push(
    `# Spiegel: ${rComment(input.wave.label)}, ${rComment(input.instrument.title)} (versie ${input.instrument.version})`,
    `# Leest ${rComment(input.csvFileName)}: download dat bestand via ${exportPath(input)}`,
    '# en zet het in de werkmap van R (getwd()), of geef het pad mee: spiegel_bestand <- "pad/naar/bestand.csv".',
    '# Ontbrekende waarden worden NA; welke code wat was, staat in het codeboek (codebook.csv?missing=codes).',
    `if (!exists("spiegel_bestand")) spiegel_bestand <- ${rString(input.csvFileName)}`,
    '',
  );
  const classes = input.variables.map((v) => `${rString(v.column.name)} = ${rString(v.numeric ? 'numeric' : 'character')}`);
  lines.push('spiegel <- utils::read.csv(spiegel_bestand, fileEncoding = "UTF-8-BOM", check.names = FALSE,',
    `  sep = ${rString(input.query.sep)}, na.strings = "", stringsAsFactors = FALSE, colClasses = c(`);
  lines.push(classes.map((c) => `    ${c}`).join(',\n'));
  lines.push('  ))', '');

  for (const v of input.variables) {
    const name = col(v);
    const missing = v.values.filter((x) => x.missing).map((x) => rValue(x.value, v.numeric));
    if (missing.length > 0) lines.push(`${name}[${name} %in% ${rVector(missing)}] <- NA`);
    const substantive = v.values.filter((x) => !x.missing);
    if (v.column.kind === 'day' || isDay(v)) {
      lines.push(`${name} <- as.Date(${name})`);
    } else if (substantive.length > 0 && v.level !== 'scale') {
      const levels = rVector(substantive.map((x) => rValue(x.value, v.numeric)));
      const labels = rVector(substantive.map((x) => rString(x.label)));
      lines.push(`${name} <- factor(${name}, levels = ${levels}, labels = ${labels}${v.level === 'ordinal' ? ', ordered = TRUE' : ''})`);
    } else if (substantive.length > 0) {
      // A scale keeps its numbers; the labels go along as an attribute, as haven writes them.
      lines.push(`attr(${name}, "labels") <- stats::setNames(${rVector(substantive.map((x) => rValue(x.value, v.numeric)))}, ${rVector(substantive.map((x) => rString(x.label)))})`);
    }
    lines.push(`attr(${name}, "label") <- ${rString(v.column.title || v.column.name)}`);
    if (v.shownIf) lines.push(`attr(${name}, "shown_if") <- ${rString(v.shownIf)}`);
    lines.push(`attr(${name}, "level") <- ${rString(v.level)}`);
  }
  lines.push('');
  return { fileName: scriptName(input, 'R'), text: lines.join('\n') };
}

/** A comment's text: one line, ASCII only. */
const rComment = (text: string) => text.replace(/\s+/g, ' ').normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
