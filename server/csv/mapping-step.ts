// The import's mapping step in the browser: a file is uploaded once and waits in the
// database; the manager maps its columns and answer texts, sees a preview with every
// problem, and confirms. The confirmed import is the ordinary one (service.ts).
import crypto from 'node:crypto';
import type { Store } from '../store';
import type { CurrentUser } from '../auth/scope';
import { notFound } from '../http/errors';
import { assertCan } from '../auth/policy';
import { t } from '../i18n/messages';
import type { CsvService, ImportFile, ImportOutcome } from './service';
import { hashOf, refusedWith } from './service';
import { parseCsvFile, CsvTable } from './csv-text';
import { answerTexts, applyMapping, Mapping, mappingTargets, normalisedKey, suggestColumns } from './mapping';
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

  async function prepare(actor: CurrentUser, waveId: string, uploadId: string, form: Record<string, string> | null) {
    const { wave, columns, upload, parsed } = await uploaded(actor, waveId, uploadId);
    if (!parsed.ok) return { ok: false as const, wave, upload, fileErrors: parsed.errors };
    const targets = mappingTargets(columns);
    const mapping = form ? mappingFromForm(form, parsed.table.headers.length) : { columns: suggestColumns(parsed.table.headers, targets), answers: new Map() };
    return { ok: true as const, wave, upload, table: parsed.table, targets, mapping, file: mappedFile(parsed.table, mapping, targets, upload.fileName) };
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
        valid: outcome.status === 'valid' ? outcome.valid : 0,
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
