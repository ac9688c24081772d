// Reads and checks the instrument files in surveys/. A broken file stops the start with a
// message that names the file, the element and the rule.
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

export class InstrumentFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Instrument files are invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'InstrumentFileError';
  }
}

const wrapperSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/, 'key is lowercase letters, digits and dashes'),
  title: z.string().min(1),
  meta: z.object({
    attribution: z.string().min(1),
    source: z.record(z.unknown()),
    items: z.record(z.unknown()),
    missingValues: z.array(z.union([z.string(), z.number()])).default([]),
    sensitive: z.array(z.string()).default([]),
    contactQuestions: z.array(z.string()).default([]),
    /** The minimum group size a new wave gets when none is given (never below the floor of 3). */
    minGroupSize: z.number().int().min(3).max(10000).optional(),
  }).passthrough(),
  definition: z.record(z.unknown()),
}).strict();

export function loadInstrumentFiles(dir: string): InstrumentFile[] {
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  const problems: string[] = [];
  const instruments: InstrumentFile[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    try {
      instruments.push(parseInstrumentFile(name, fs.readFileSync(file, 'utf8')));
    } catch (err) {
      if (err instanceof InstrumentFileError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new InstrumentFileError(problems);
  return instruments;
}

export function parseInstrumentFile(fileName: string, text: string): InstrumentFile {
  const where = `surveys/${fileName}`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InstrumentFileError([`${where}: not valid JSON (${(err as Error).message})`]);
  }
  const parsed = wrapperSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InstrumentFileError(parsed.error.issues.map((i) => `${where}: ${i.path.join('.') || '(file)'}: ${i.message}`));
  }
  const { key, title, meta, definition } = parsed.data;
  const problems: string[] = [];
  if (`${key}.json` !== fileName) problems.push(`${where}: key "${key}" must match the file name`);
  for (const message of schemaErrors(definition)) problems.push(`${where}: (schema) ${message}`);
  for (const v of checkDefinition(definition, meta)) problems.push(`${where}: element "${v.element}": ${v.rule}`);
  if (problems.length > 0) throw new InstrumentFileError(problems);
  return { key, title, meta, definition, hash: contentHash({ key, title, meta, definition }), file: where };
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
