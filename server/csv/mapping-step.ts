// The import's mapping step in the browser: a file is uploaded once and waits in the
// database; the manager maps its columns and answer texts, sees a preview with every
// problem, and confirms. The confirmed import is the ordinary one (service.ts).
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store';
import type { CurrentUser } from '../auth/scope';
import { badRequest, notFound } from '../http/errors';
import { assertCan } from '../auth/policy';
import { t } from '../i18n/messages';
import type { CsvService, ImportFile, ImportOutcome } from './service';
import { hashOf, refusedWith } from './service';
import { parseCsvFile, CsvTable } from './csv-text';
import { answerTexts, applyMapping, Mapping, mappingTargets, normalisedKey, suggestColumns, Target } from './mapping';
import { optionFor } from './read-rows';
import type { UploadedFile } from './form-upload';
import { listedErrors } from '../http/error-list';

/** Uploads older than this are removed when the next one arrives. */
const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;
const PREVIEW_ROWS = 5;
/** The answer select's value for "not chosen yet": the cell then goes on as it is. */
export const NOT_MAPPED = '?';

export function createMappingStep(store: Store, csv: CsvService) {
  async function uploaded(actor: CurrentUser, waveId: string, uploadId: string) {
    const loaded = await csv.load(actor, waveId);
    assertCan(actor, 'csv.import', loaded.wave);
    const upload = await store.repos.csv.findUpload(loaded.wave.id, uploadId, actor.id);
    if (!upload) throw notFound(t('csv.mapping.uploadGone'));
    return { ...loaded, upload, parsed: parseCsvFile(upload.bytes) };
  }

  /** The file rewritten by the mapping, ready for the ordinary import. */
  function mappedFile(table: CsvTable, mapping: Mapping, targets: ReturnType<typeof mappingTargets>, fileName: string | null): ImportFile {
    const mapped = applyMapping(table.headers, table.rows, mapping, targets);
    return {
      headers: mapped.headers, rows: mapped.rows, hash: hashOf(table.text), fileName, sourceHeader: mapped.sourceHeader,
      original: { headers: table.headers, rows: table.rows }, problems: mapped.problems,
    };
  }

  async function prepare(actor: CurrentUser, waveId: string, uploadId: string, form: Record<string, string> | null, given?: Mapping) {
    const { wave, columns, upload, parsed } = await uploaded(actor, waveId, uploadId);
    if (!parsed.ok) return { ok: false as const, wave, upload, fileErrors: parsed.errors };
    const targets = mappingTargets(columns);
    // The page sends the whole mapping with every step; the API keeps the last one it was sent with the upload.
    const saved = !form && !given && upload.mapping ? mappingFromJson(upload.mapping) : null;
    const mapping = given ?? saved ?? (form ? mappingFromForm(form, parsed.table.headers.length) : { columns: suggestColumns(parsed.table.headers, targets), answers: new Map() });
    return { ok: true as const, wave, upload, table: parsed.table, targets, mapping, file: mappedFile(parsed.table, mapping, targets, upload.fileName) };
  }

  async function waveOfUpload(actor: CurrentUser, uploadId: string): Promise<string> {
    const waveId = await store.repos.csv.uploadWave(uploadId, actor.id);
    if (!waveId) throw notFound(t('csv.mapping.uploadGone'));
    return waveId;
  }

  return {
    async saveUpload(actor: CurrentUser, waveId: string, file: UploadedFile): Promise<string> {
      const { wave } = await csv.load(actor, waveId);
      assertCan(actor, 'csv.import', wave);
      const id = crypto.randomUUID();
      const now = new Date();
      await store.repos.csv.deleteUploadsBefore(new Date(now.getTime() - UPLOAD_LIFETIME_MS).toISOString());
      await store.repos.csv.saveUpload({ id, waveId: wave.id, userId: actor.id, fileName: file.fileName, bytes: file.bytes }, now.toISOString());
      return id;
    },

    /** Everything the mapping page shows: columns with examples, answer texts, a preview and the problems left. */
    async view(actor: CurrentUser, waveId: string, uploadId: string, form: Record<string, string> | null) {
      const step = await prepare(actor, waveId, uploadId, form);
      if (!step.ok) return { wave: step.wave, fileName: step.upload.fileName, fileErrors: step.fileErrors };
      const { wave, upload, table, targets, mapping, file } = step;
      const outcome = await dryRun(csv, actor, waveId, file);
      const texts = answerTexts(table.headers, table.rows, mapping, targets).map((a) => ({
        ...a,
        options: targets.find((tg) => tg.name === a.target)!.options,
        texts: a.texts.map((x) => ({ ...x, chosen: mapping.answers.get(a.target)?.get(normalisedKey(x.text)) ?? x.suggestion ?? NOT_MAPPED })),
      }));
      return {
        wave, fileName: upload.fileName, fileErrors: null,
        columns: table.headers.map((header, i) => ({ header, target: mapping.columns[i] ?? '', examples: examplesOf(table.rows, i) })),
        targets: targets.map((tg) => ({ name: tg.name, label: tg.label })),
        answerTexts: texts,
        preview: previewOf(file, targets),
        rows: table.rows.length,
        valid: outcome.status === 'valid' ? outcome.valid : outcome.status === 'refused' ? outcome.valid ?? 0 : 0,
        refusedLines: outcome.status === 'refused' ? outcome.refusedLines ?? [] : [],
        warnings: outcome.status === 'imported' ? [] : outcome.warnings ?? [],
        ...(outcome.status === 'refused' ? { moreErrors: 0, ...listedErrors(outcome.errors) } : { errors: [], moreErrors: 0 }),
      };
    },

    async confirm(actor: CurrentUser, waveId: string, uploadId: string, form: Record<string, string>): Promise<ImportOutcome> {
      const step = await prepare(actor, waveId, uploadId, form);
      if (!step.ok) return refusedWith(step.fileErrors);
      const outcome = await csv.importFile(actor, waveId, step.file, { dryRun: false });
      if (outcome.status === 'imported') await store.repos.csv.deleteUpload(uploadId);
      return outcome;
    },

    /** The API's view of an upload: the wave it belongs to comes from the upload (only its own user finds it). */
    async apiView(actor: CurrentUser, uploadId: string) {
      const waveId = await waveOfUpload(actor, uploadId);
      return apiShape(uploadId, waveId, await this.view(actor, waveId, uploadId, null));
    },

    /** Checks and keeps a mapping sent through the API; answers as apiView. */
    async apiSave(actor: CurrentUser, uploadId: string, body: unknown) {
      const waveId = await waveOfUpload(actor, uploadId);
      const { columns, upload, parsed } = await uploaded(actor, waveId, uploadId);
      if (!parsed.ok) throw badRequest(t('csv.mapping.fileUnreadable'));
      const mapping = mappingFromApi(body, parsed.table.headers.length, mappingTargets(columns));
      await store.repos.csv.saveMapping(upload.id, mappingToJson(mapping));
      return apiShape(uploadId, waveId, await this.view(actor, waveId, uploadId, null));
    },

    async apiConfirm(actor: CurrentUser, uploadId: string): Promise<ImportOutcome> {
      const waveId = await waveOfUpload(actor, uploadId);
      const step = await prepare(actor, waveId, uploadId, null);
      if (!step.ok) return refusedWith(step.fileErrors);
      const outcome = await csv.importFile(actor, waveId, step.file, { dryRun: false });
      if (outcome.status === 'imported') await store.repos.csv.deleteUpload(uploadId);
      return outcome;
    },

    async rejected(actor: CurrentUser, waveId: string, uploadId: string, form: Record<string, string>): Promise<ImportOutcome> {
      const step = await prepare(actor, waveId, uploadId, form);
      if (!step.ok) return refusedWith(step.fileErrors);
      return csv.importFile(actor, waveId, step.file, { dryRun: true });
    },
  };
}

export type MappingStep = ReturnType<typeof createMappingStep>;

/** A file imported before is not an error on the page: the preview says so in its list of problems. */
async function dryRun(csv: CsvService, actor: CurrentUser, waveId: string, file: ImportFile): Promise<ImportOutcome> {
  try {
    return await csv.importFile(actor, waveId, file, { dryRun: true });
  } catch (err) {
    if ((err as { status?: number }).status === 409) return refusedWith([{ line: 1, message: (err as Error).message }]);
    throw err;
  }
}

/**
 * The form's fields: `column_<i>` per header of the file, and per answer text a pair
 * `answerFor_<k>` (the target and the text, as JSON) and `answer_<k>` (the chosen value).
 */
export function mappingFromForm(form: Record<string, string>, headerCount: number): Mapping {
  const field = (name: string) => (Object.hasOwn(form, name) ? String(form[name]) : undefined);
  const columns = Array.from({ length: headerCount }, (_, i) => field(`column_${i}`) ?? '');
  const answers: Mapping['answers'] = new Map();
  for (const [key, value] of Object.entries(form)) {
    const match = /^answerFor_(\d+)$/.exec(key);
    if (!match) continue;
    let pair: unknown;
    try {
      pair = JSON.parse(value);
    } catch {
      continue;
    }
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') continue;
    const chosen = field(`answer_${match[1]}`) ?? NOT_MAPPED;
    if (chosen === NOT_MAPPED) continue;
    const texts = answers.get(pair[0]) ?? new Map<string, string>();
    texts.set(normalisedKey(pair[1]), chosen);
    answers.set(pair[0], texts);
  }
  return { columns, answers };
}

function examplesOf(rows: string[][], index: number): string[] {
  const seen = new Set<string>();
  for (const row of rows) {
    const cell = (row[index] ?? '').trim();
    if (cell !== '') seen.add(cell.length > 60 ? `${cell.slice(0, 57)}…` : cell);
    if (seen.size === 3) break;
  }
  return [...seen];
}

/** The first rows as they will be stored: per row the questions answered, with the answer's text. */
function previewOf(file: ImportFile, targets: ReturnType<typeof mappingTargets>) {
  const columns = new Map(targets.flatMap((tg) => tg.columns).map((c) => [c.name, c]));
  return file.rows.slice(0, PREVIEW_ROWS).map((cells, i) => ({
    line: i + 2,
    answers: file.headers.flatMap((name, j) => {
      const column = columns.get(name);
      const cell = (cells[j] ?? '').trim();
      if (!column || cell === '' || (column.kind === 'flag' && cell === '0')) return [];
      const shown = column.kind === 'flag' ? '✓' : optionFor(column.options, cell)?.label ?? cell;
      return [{ column: name, title: column.title, value: shown.length > 80 ? `${shown.slice(0, 77)}…` : shown }];
    }),
  }));
}

/** The mapping as the API takes it: `columns` per header of the file (a target or ''), `answers` as {target, text, value}. */
const apiMappingSchema = z.object({
  columns: z.array(z.string().max(300)),
  answers: z.array(z.object({ target: z.string().max(300), text: z.string().max(2000), value: z.string().max(300) }).strict()).max(5000).default([]),
}).strict();

export function mappingFromApi(body: unknown, headerCount: number, targets: Target[]): Mapping {
  const parsed = apiMappingSchema.safeParse(body ?? {});
  if (!parsed.success) throw badRequest(t('errors.badRequest'), parsed.error.issues.map((i) => ({ question: i.path.join('.') || undefined, message: i.message })));
  const { columns, answers } = parsed.data;
  const known = new Map(targets.map((tg) => [tg.name, tg]));
  if (columns.length !== headerCount) throw badRequest(t('csv.mapping.columnCount', { count: headerCount }));
  const unknown = columns.find((c) => c !== '' && !known.has(c));
  if (unknown !== undefined) throw badRequest(t('csv.mapping.unknownTarget', { target: unknown }));
  const result: Mapping = { columns, answers: new Map() };
  for (const a of answers) {
    const target = known.get(a.target);
    if (!target) throw badRequest(t('csv.mapping.unknownTarget', { target: a.target }));
    if (a.value !== '' && !target.options.some((o) => String(o.value) === a.value)) {
      throw badRequest(t('csv.import.notAChoice', { value: a.value, question: target.title }));
    }
    const texts = result.answers.get(a.target) ?? new Map<string, string>();
    texts.set(normalisedKey(a.text), a.value);
    result.answers.set(a.target, texts);
  }
  return result;
}

function mappingToJson(mapping: Mapping): string {
  return JSON.stringify({ columns: mapping.columns, answers: [...mapping.answers].flatMap(([target, texts]) => [...texts].map(([text, value]) => [target, text, value])) });
}

function mappingFromJson(json: string): Mapping {
  const saved = JSON.parse(json) as { columns: string[]; answers: Array<[string, string, string]> };
  const answers: Mapping['answers'] = new Map();
  for (const [target, text, value] of saved.answers) {
    const texts = answers.get(target) ?? new Map<string, string>();
    texts.set(text, value);
    answers.set(target, texts);
  }
  return { columns: saved.columns, answers };
}

type View = Awaited<ReturnType<MappingStep['view']>>;

/** The page's view as the API answers it: no wave record, no page-only fields; a choice not made yet is null. */
function apiShape(id: string, waveId: string, view: View) {
  if (view.fileErrors) return { id, waveId, fileName: view.fileName, rows: 0, valid: 0, refusedLines: [], errors: view.fileErrors, warnings: [] };
  const v = view as Exclude<View, { fileErrors: unknown[] }>;
  return {
    id, waveId, fileName: v.fileName, rows: v.rows, valid: v.valid, refusedLines: v.refusedLines,
    columns: v.columns, targets: v.targets,
    answerTexts: v.answerTexts.map((a) => ({
      target: a.target, header: a.header,
      options: a.options.map((o) => ({ value: o.value, label: o.label })),
      texts: a.texts.map((x) => ({ text: x.text, count: x.count, suggestion: x.suggestion, chosen: x.chosen === NOT_MAPPED ? null : x.chosen })),
    })),
    preview: v.preview, errors: v.errors, ...(v.moreErrors ? { moreErrors: v.moreErrors } : {}), warnings: v.warnings,
  };
}
