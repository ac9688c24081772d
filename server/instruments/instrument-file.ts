// Reads and checks instruments: the files in surveys/ and definitions uploaded by staff. A
// problem is named by file, element, rule and the allowed values; a broken file in surveys/
// is reported and skipped, it does not stop the server.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { schemaErrors } from './schema-check';
import { checkDefinition } from './definition-rules';

export interface InstrumentFile {
  key: string;
  title: string;
  meta: Record<string, unknown>;
  definition: Record<string, unknown>;
  hash: string;
  file: string;
}

/** One problem of an instrument, as the API lists it: where, which rule, and what to do. */
export interface InstrumentProblem {
  /** `surveys/x.json: element "q1"`, or the upload's name and the element. */
  path: string;
  rule: string;
  message: string;
}

export class InstrumentFileError extends Error {
  readonly problems: string[];
  constructor(readonly details: InstrumentProblem[]) {
    const problems = details.map((d) => `${d.path}: ${d.message}`);
    super(`Instrument files are invalid:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
    this.name = 'InstrumentFileError';
  }
}

const KEY = /^[a-z0-9-]+$/;

/** Spiegel's wrapper around a SurveyJS definition. meta's source references are required of curated files only (definition-rules). */
const wrapperSchema = z.object({
  key: z.string().regex(KEY, 'key is lowercase letters, digits and dashes'),
  title: z.string().min(1),
  meta: z.object({
    attribution: z.string().min(1).optional(),
    source: z.record(z.unknown()).optional(),
    items: z.record(z.unknown()).optional(),
    missingValues: z.array(z.union([z.string(), z.number()])).default([]),
    sensitive: z.array(z.string()).default([]),
    contactQuestions: z.array(z.string()).default([]),
    /** The minimum group size a new wave gets when none is given (never below the floor of 3). */
    minGroupSize: z.number().int().min(3).max(10000).optional(),
  }).passthrough().default({}),
  definition: z.record(z.unknown()),
}).strict();

/** Spiegel's own files carry attribution and a source per question. */
const curatedMetaSchema = z.object({ attribution: z.string().min(1), source: z.record(z.unknown()), items: z.record(z.unknown()) }).passthrough();

/** Reads every file in surveys/; a broken file throws (tests and the command line want to know). */
export function loadInstrumentFiles(dir: string): InstrumentFile[] {
  const { files, problems } = readInstrumentFiles(dir);
  if (problems.length > 0) throw new InstrumentFileError(problems);
  return files;
}

/**
 * Reads every file in surveys/ and keeps those that pass; the problems of the others are
 * returned (the server logs them and shows them to admins) rather than stopping the start.
 */
export function readInstrumentFiles(dir: string): { files: InstrumentFile[]; problems: InstrumentProblem[] } {
  const names = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  const problems: InstrumentProblem[] = [];
  const files: InstrumentFile[] = [];
  for (const name of names) {
    try {
      files.push(parseInstrumentFile(name, fs.readFileSync(path.join(dir, name), 'utf8')));
    } catch (err) {
      if (err instanceof InstrumentFileError) problems.push(...err.details);
      else throw err;
    }
  }
  return { files, problems };
}

/** A file in surveys/: Spiegel's wrapper whose key is the file name, or a bare SurveyJS definition named by the file. */
export function parseInstrumentFile(fileName: string, text: string): InstrumentFile {
  return parseInstrument(`surveys/${fileName}`, text, { fileKey: fileName.replace(/\.json$/, '') });
}

/**
 * An instrument from a text: Spiegel's `{key, title, meta, definition}`, or a SurveyJS
 * definition as SurveyJS Creator saves it (then the key comes from the file name, the
 * caller, or the survey's title). Every problem is collected before anything is refused.
 */
export function parseInstrument(where: string, text: string, { fileKey, key: givenKey }: { fileKey?: string; key?: string } = {}): InstrumentFile {
  const problem = (element: string | null, rule: string, message: string): InstrumentProblem =>
    ({ path: element ? `${where}: element "${element}"` : where, rule, message });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InstrumentFileError([problem(null, 'json', `not valid JSON (${(err as Error).message})`)]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InstrumentFileError([problem(null, 'json', 'een vragenlijst is een JSON-object met pages of elements')]);
  }
  const wrapped = Object.hasOwn(raw, 'definition');
  let key: string;
  let title: string;
  let meta: Record<string, unknown>;
  let definition: Record<string, unknown>;
  if (wrapped) {
    const parsed = wrapperSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InstrumentFileError(parsed.error.issues.map((i) => problem(null, i.path.join('.') || 'wrapper', `${i.path.join('.') || '(file)'}: ${i.message}`)));
    }
    ({ key, title, meta, definition } = parsed.data);
  } else {
    definition = raw as Record<string, unknown>;
    title = localisedDefault(definition.title) ?? givenKey ?? fileKey ?? '';
    key = givenKey ?? fileKey ?? slug(title);
    meta = { missingValues: [], sensitive: [], contactQuestions: [] };
  }
  definition = normaliseDefinition(definition);
  const problems: InstrumentProblem[] = [];
  if (!KEY.test(key)) problems.push(problem(null, 'key', `de sleutel "${key}" bestaat uit kleine letters, cijfers en streepjes`));
  if (fileKey !== undefined && key !== fileKey) problems.push(problem(null, 'key', `key "${key}" must match the file name`));
  if (title.trim() === '') problems.push(problem(null, 'title', 'de vragenlijst heeft een titel nodig (title)'));
  const curated = Object.hasOwn(meta, 'items');
  if (curated) {
    const checked = curatedMetaSchema.safeParse(meta);
    if (!checked.success) for (const i of checked.error.issues) problems.push(problem(null, `meta.${i.path.join('.')}`, `meta.${i.path.join('.')}: ${i.message}`));
  }
  for (const message of schemaErrors(definition)) problems.push(problem(null, 'schema', `(schema) ${message}`));
  for (const v of checkDefinition(definition, meta, { curated })) problems.push(problem(v.element, v.code ?? 'rule', v.rule));
  if (problems.length > 0) throw new InstrumentFileError(problems);
  return { key, title, meta, definition, hash: contentHash({ key, title, meta, definition }), file: where };
}

/**
 * SurveyJS also takes questions at the top (`elements` or the older `questions`) without
 * pages, and `questions` inside a page: brought to the one shape the rest of Spiegel reads.
 */
export function normaliseDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...definition };
  if (!Array.isArray(copy.pages)) {
    const elements = copy.elements ?? copy.questions;
    if (Array.isArray(elements)) {
      copy.pages = [{ name: 'page1', elements }];
      delete copy.elements;
      delete copy.questions;
    }
  }
  if (Array.isArray(copy.pages)) {
    copy.pages = (copy.pages as unknown[]).map((page) => {
      if (!page || typeof page !== 'object' || Array.isArray(page)) return page;
      const p = { ...(page as Record<string, unknown>) };
      if (!Array.isArray(p.elements) && Array.isArray(p.questions)) {
        p.elements = p.questions;
        delete p.questions;
      }
      return p;
    });
  }
  return copy;
}

function localisedDefault(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const texts = value as Record<string, unknown>;
    for (const locale of ['nl', 'default', 'en']) if (typeof texts[locale] === 'string') return texts[locale] as string;
  }
  return undefined;
}

/** "Klanttevredenheid 2026" -> "klanttevredenheid-2026". */
function slug(title: string): string {
  const ascii = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = ascii.slice(0, 200).split(/[^a-z0-9]+/).filter(Boolean);
  return words.join('-').slice(0, 60).replace(/-+$/, '') || 'vragenlijst';
}

/** A hash of the content, independent of whitespace and key order in the file. */
export function contentHash(value: unknown): string {
  return crypto.createHash('sha256').update(stableStringify(value)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object).sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
