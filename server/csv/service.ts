// The rules of data in and out: export and codebook (only the caller's organisation,
// streamed page by page), and import, where every row takes the live submission's own
// validation and storage path, all rows or none are stored, and one file is imported
// into a wave once.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { InstrumentVersion } from '../instruments/repository';
import type { WaveService } from '../waves/service';
import type { WaveRecord } from '../waves/repository';
import type { CurrentUser } from '../auth/scope';
import { badRequest, conflict, invalid } from '../http/errors';
import { assertCan } from '../auth/policy';
import { t } from '../i18n/messages';
import { dayInNetherlands } from '../util/dates';
import { prepareResponse, PreparedResponse } from '../responses/service';
import { storeResponses } from '../responses/storage';
import { computedColumns, csvColumns, CsvColumn, optionValues } from './columns';
import { BOM, csvCell, Delimiter, FileProblem, parseCsvFile, unparseRows } from './csv-text';
import { backgroundValue, columnKey, exportRow, SUPPRESSED } from './export-rows';
import { Anonymity, codebookRows, dateFormat, NOT_STORED, notStoredReason, suppressedCount } from './codebook';
import { assigner, combinationKey, planSuppression, SuppressionPlan } from './k-anonymity';
import { matchHeaders, readRow } from './read-rows';
import { missingCodesOf, MissingCodes } from '../survey/model';
import { rowWriter, RowQuery } from './row-writer';
import { heldRows } from './held-rows';
import type { PlacedText, RowPlace, StoredText } from './repository';
import { KeptAnswers, keptAnswers, textRows } from './text-rows';
import { describeVariables, routingOf } from './variables';
import { namedRefusal, routingTally, RoutingWarning } from './import-report';

/** What an export is asked with, for one wave and for several. */
const exportFields = {
  labels: z.enum(['0', '1']).default('0'),
  sep: z.enum([',', ';']).default(','),
  /** An admin's export of an anonymous wave as it is stored: every value, the day, the texts, in order. Recorded. */
  full: z.enum(['0', '1']).default('0'),
  /** Free texts in a k-anonymous export. */
  texts: z.enum(['0', '1']).default('0'),
  /** Missing-value answers as their text values (default) or as numeric codes, listed in the codebook. */
  missing: z.enum(['values', 'codes']).default('values'),
};
const codesAreNotLabels = {
  message: 'labels=1 en missing=codes gaan niet samen: codes zijn getallen, labels teksten', path: ['missing'],
};

export const exportQuerySchema = z.object(exportFields).strict()
  .refine((q) => !(q.labels === '1' && q.missing === 'codes'), codesAreNotLabels);

type ExportQuery = z.infer<typeof exportQuerySchema>;

/** The combined export of several waves: the export's query and the waves, comma-separated. */
export const combinedExportQuerySchema = z.object({ waves: z.string().min(1).max(1000), ...exportFields }).strict()
  .refine((q) => !(q.labels === '1' && q.missing === 'codes'), codesAreNotLabels);

type CombinedExportQuery = z.infer<typeof combinedExportQuerySchema>;

/** The first column of a combined export: which wave a row belongs to (its label). */
export const WAVE_COLUMN = 'meting';
const MAX_COMBINED_WAVES = 20;

export const importQuerySchema = z.object({ dryRun: z.enum(['0', '1']).default('0') }).strict();

/** Rows per page of the export in the stored order: enough to keep queries few, small enough to keep memory flat. */
const EXPORT_PAGE = 2000;
/** Rows per page of a k-anonymous export, written in a random order. */
const RANDOM_PAGE = 1000;
/**
 * The text of rows a k-anonymous export holds at most (in characters) between reading the
 * wave and writing it in a random order. 100,000 quickscan responses are 15 MB; rows past
 * it are read again at their places (see RowPlace), a page at a time, as are rows with blanks.
 */
export const EXPORT_HOLDS = { chars: 32 * 1024 * 1024 };
/** Rows of a file at most (they are checked in memory, and stored all or nothing). */
export const MAX_IMPORT_ROWS = 2000;
/**
 * Rows stored per transaction of an import: each holds SQLite's one writer, and so every
 * live submission, for as long as it takes (200 rows: ~0.1 s idle, up to a second with six
 * readers beside them on a loaded machine; bench/submissions.ts).
 */
export const IMPORT_CHUNK = 50;
/**
 * The pause between two chunks. Since the process's writes take turns in order of arrival
 * (server/db/write-queue.ts), the submissions that waited for a chunk go first the moment
 * it ends; the pause only spaces the import's turns. (Before, a waiting submission slept in
 * SQLite's busy handler up to 100 ms at a time, and the pause had to be longer than that.)
 */
export const IMPORT_PAUSE_MS = 10;
/**
 * An import is background work beside live submissions: while others write beside it, it
 * pauses after each chunk this many times as long as the chunk took, its wait for the write
 * turn included, so that it writes at most a quarter of the time and takes less the busier
 * the database is; alone, it goes on after IMPORT_PAUSE_MS. Measured (bench/submissions.ts,
 * SQLite, 50 clients): the writer was busy all the time with the submissions and their seals
 * alone, and chunks 10 ms apart took ~45% of its turns from them (the submissions' p99
 * 1.5-3 times the idle one); paced, ~14%.
 */
export const IMPORT_BACKOFF = 3;

/** The pause after a chunk that took `chunkMs`, its wait for the write turn included; `othersWrote`: transactions of others began meanwhile. */
export function pauseAfterChunk(chunkMs: number, othersWrote: boolean): number {
  return othersWrote ? Math.max(IMPORT_PAUSE_MS, IMPORT_BACKOFF * chunkMs) : IMPORT_PAUSE_MS;
}

export interface ImportError {
  line: number;
  column: string | null;
  message: string;
}

export type ImportOutcome =
  | { status: 'imported'; imported: number; warnings?: RoutingWarning[] }
  | { status: 'valid'; valid: number; warnings?: RoutingWarning[] }
  | { status: 'refused'; errors: ImportError[]; rejected: RejectedRows | null; valid?: number; refusedLines?: number[]; warnings?: RoutingWarning[] };

export interface RejectedRows {
  headers: string[];
  rows: Array<{ line: number; cells: string[]; problems: string[] }>;
}

/** A file in the export's format, as read from a request or rewritten by the mapping step. */
export interface ImportFile {
  headers: string[];
  rows: string[][];
  /** Hash of the file as the manager chose it, for the "imported once" rule. */
  hash: string;
  fileName: string | null;
  /** Per Spiegel column, the header it came from in the manager's file (mapping step). */
  sourceHeader?: Map<string, string>;
  /** The manager's file as it was, for the CSV of rejected rows. */
  original: { headers: string[]; rows: string[][] };
  problems?: FileProblem[];
}

export function createCsvService(store: Store, waves: WaveService, instruments: InstrumentCatalogue) {
  async function load(actor: CurrentUser, waveId: string) {
    const wave = await waves.get(actor, waveId); // 404 for another organisation's wave
    const instrument = await instruments.byVersionId(wave.instrumentVersionId);
    if (!instrument) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
    return { wave, instrument, columns: csvColumns(instrument) };
  }

  /**
   * The wave's responses in the stored order (day, id), a page at a time, the next page
   * asked for while the caller works on this one: the database reads it (SQLite on a worker
   * thread, PostgreSQL in its own process) while this process writes rows, instead of one
   * waiting for the other (a sixth of a 100,000-row export's time on SQLite before).
   */
  async function* storedPages(waveId: string): AsyncGenerator<PlacedText[]> {
    const repository = store.repos.csv;
    let next = repository.responsePage(waveId, null, EXPORT_PAGE);
    for (;;) {
      const page = await next;
      if (page.length === 0) return;
      const last = page[page.length - 1]!;
      next = repository.responsePage(waveId, { day: last.day, id: last.id }, EXPORT_PAGE);
      // Awaited on the next turn; should the caller stop before (the client went away), its failure is nobody's.
      next.catch(() => undefined);
      yield page;
    }
  }

  /**
   * The k-anonymity plan of a wave's rows, and which background values of which response are
   * blanked. Where only part of a combination's rows lose a value, which rows those are is
   * fixed per wave (a hash of wave and response id, never the order of arrival), so that two
   * downloads blank the same rows: with rows chosen anew each time, lining two downloads up
   * by their answers would undo the partial blanks. Read page by page; memory holds the
   * ids and one entry per distinct combination, and whatever `read` keeps of the responses.
   * `read` puts a response's values of `background` in `values` (valuesReader, or a row
   * reader that writes its line in the same pass).
   */
  async function survey(wave: WaveRecord, background: QuasiIdentifier[], read: (response: PlacedText, values: string[]) => void = valuesReader(background, keptAnswers())): Promise<{
    ids: string[]; places: RowPlace[]; plan: SuppressionPlan; blankedAt: (row: number) => ReadonlySet<string>;
  }> {
    const ids: string[] = [];
    const places: RowPlace[] = [];
    // Per row the number of its combination, not its key: a key per row outlived every young
    // collection of the read (as the held rows did, see held-rows.ts).
    const combinationOfRow: number[] = [];
    const numberOf = new Map<string, number>();
    const combinations: Array<{ key: string; values: string[]; count: number }> = [];
    const values = new Array<string>(background.length);
    for await (const page of storedPages(wave.id)) {
      for (const r of page) {
        read(r, values);
        const key = combinationKey(values);
        let n = numberOf.get(key);
        if (n === undefined) {
          n = combinations.length;
          numberOf.set(key, n);
          combinations.push({ key, values: values.slice(), count: 0 });
        }
        combinations[n]!.count += 1;
        ids.push(r.id);
        places.push(r.place);
        combinationOfRow.push(n);
      }
    }
    const plan = planSuppression(new Map(combinations.map((c) => [c.key, c.count])), background.length, wave.minGroupSize);
    const rank = (id: string) => crypto.createHash('sha256').update(`${wave.id}:${id}`).digest('hex');
    const touched: Array<{ row: number; values: string[]; rank: string }> = [];
    ids.forEach((id, i) => {
      const combination = combinations[combinationOfRow[i]!]!;
      if (plan.blanked.has(combination.key)) touched.push({ row: i, values: combination.values, rank: rank(id) });
    });
    touched.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    const blanks = assigner(plan);
    // By the row's number in the read, not its id: a lookup per row written, and a number is not hashed.
    const blanked = new Map<number, ReadonlySet<string>>();
    for (const row of touched) {
      const shown = blanks(row.values);
      const names = background.filter((_, v) => shown[v] === null).map((q) => q.key);
      if (names.length > 0) blanked.set(row.row, new Set(names));
    }
    const none: ReadonlySet<string> = new Set();
    return { ids, places, plan, blankedAt: (row) => blanked.get(row) ?? none };
  }

  /**
   * A wave's rows as CSV text, a page at a time. `rest` writes a response's line after its
   * running number (from its delimiter on); `prefix` comes before the number (the wave's
   * label in a combined export). In the stored order; or, for a k-anonymous export, the wave
   * read once in the stored order for the plan and the rows' text (up to EXPORT_HOLDS.chars), then
   * written in a random order, rows with blanks written anew with them. Pages are read as
   * the reader takes the text (the route pipes with backpressure), one page ahead: an export
   * in the stored order holds two pages, a k-anonymous one the ids, at most
   * EXPORT_HOLDS.chars of rows and two pages of rows read again.
   */
  async function* waveLines(wave: WaveRecord, instrument: InstrumentVersion, kAnonymous: boolean, prefix: string,
    numbering: { sequence: number }, rest: RowText,
  ): AsyncGenerator<string> {
    const repository = store.repos.csv;
    const numbered = (text: string) => `${prefix}${++numbering.sequence}${text}`;
    if (!kAnonymous) {
      const line = rest.reader([]);
      for await (const page of storedPages(wave.id)) {
        const lines = new Array<string>(page.length);
        for (let i = 0; i < page.length; i++) lines[i] = numbered(line(page[i]!.text, page[i]!.day));
        yield lines.join('');
      }
      return;
    }
    const held = heldRows();
    let heldChars = 0;
    const quasi = quasiIdentifiersOf(instrument);
    const line = rest.reader(quasi);
    const valuesOnly = valuesReader(quasi, rest.kept);
    const { ids, places, blankedAt } = await survey(wave, quasi, (r, values) => {
      if (heldChars >= EXPORT_HOLDS.chars) {
        valuesOnly(r, values);
        held.add(undefined);
        return;
      }
      const text = line(r.text, '', values);
      heldChars += text.length;
      held.add(text);
    });
    const order = shuffledOrder(ids.length);
    // The rows of a page to read again (blanks, or not held), asked for a page ahead as in storedPages.
    const reread = (start: number): Promise<Map<string, StoredText>> => {
      const wanted: Array<{ id: string; place: RowPlace }> = [];
      for (const k of order.subarray(start, start + RANDOM_PAGE)) if (!held.has(k) || blankedAt(k).size > 0) wanted.push({ id: ids[k]!, place: places[k]! });
      if (wanted.length === 0) return Promise.resolve(new Map());
      const read = repository.responsesAt(wave.id, wanted).then((rows) => new Map(rows.map((r) => [r.id, r])));
      read.catch(() => undefined);
      return read;
    };
    let next = order.length > 0 ? reread(0) : null;
    for (let i = 0; i < order.length; i += RANDOM_PAGE) {
      const page = order.subarray(i, i + RANDOM_PAGE);
      const byId = await next!;
      next = i + RANDOM_PAGE < order.length ? reread(i + RANDOM_PAGE) : null;
      const lines: string[] = [];
      for (const k of page) {
        const blanked = blankedAt(k);
        let text = blanked.size === 0 ? held.get(k) : undefined;
        if (text === undefined) {
          const r = byId.get(ids[k]!);
          if (!r) continue; // deleted meanwhile
          text = blanked.size === 0 ? line(r.text, '') : rest.ofData({ day: '', data: JSON.parse(r.text) as Record<string, unknown> }, blanked);
        }
        lines.push(numbered(text));
      }
      if (lines.length > 0) yield lines.join('');
    }
  }

  /**
   * The export asked with this query, described: its columns, the codes of missing values
   * (with `missing=codes`), each variable's level, values and routing, and for a
   * k-anonymous export how many values were blanked (a pass over the data, unless counts is false).
   */
  async function describe(actor: CurrentUser, waveId: string, query: ExportQuery, { counts = true } = {}) {
    const { wave, instrument, columns } = await load(actor, waveId);
    let anonymity: Anonymity | null = null;
    let shown = columns;
    let omitted: CsvColumn[] = [];
    const codes: MissingCodes | null = query.missing === 'codes' ? missingCodesOf(instrument.meta, optionValues(columns)) : null;
    const background = quasiIdentifiersOf(instrument, columns);
    const kAnonymous = isKAnonymous(wave, query);
    if (kAnonymous) {
      ({ shown, omitted } = anonymousColumns(columns, query));
      const suppressed = counts ? (await survey(wave, background)).plan.counts : background.map(() => 0);
      anonymity = {
        k: wave.minGroupSize, suppressed: new Map(background.map((q, v) => [q.key, suppressed[v]!])), omitted,
        suppressedValue: codes ? codes.suppressed : SUPPRESSED,
      };
    }
    const variables = describeVariables([...shown, ...omitted], instrument, { codes, suppressible: new Set(kAnonymous ? background.map((q) => q.key) : []) });
    const computed = computedColumns(instrument);
    const codebook = () => codebookRows(shown, anonymity, variables, computed);
    return { wave, instrument, shown, variables, anonymity, codes, codebook, computed };
  }

  /** The waves of a combined export, each checked as its own export; they must share their columns. */
  async function loadWaves(actor: CurrentUser, query: Pick<CombinedExportQuery, 'waves' | 'full'>) {
    const ids = [...new Set(query.waves.split(',').map((w) => w.trim()).filter((w) => w !== ''))];
    if (ids.length < 2 || ids.length > MAX_COMBINED_WAVES) throw badRequest(t('csv.combined.count', { max: MAX_COMBINED_WAVES }));
    const loaded: Array<Awaited<ReturnType<typeof load>>> = [];
    for (const waveId of ids) {
      const one = await load(actor, waveId); // 404 for another organisation's wave
      assertCan(actor, 'wave.export', one.wave);
      if (query.full === '1') assertCan(actor, 'wave.export.full', one.wave);
      loaded.push(one);
    }
    const first = loaded[0]!;
    const names = (columns: CsvColumn[]) => columns.map((c) => c.name).join('\u0000');
    const other = loaded.find((l) => l.instrument.key !== first.instrument.key || names(l.columns) !== names(first.columns));
    if (other) throw invalid([], t('csv.combined.otherInstrument', { wave: other.wave.label, first: first.wave.label }));
    return loaded;
  }

  return {
    load,

    async exportCsv(actor: CurrentUser, waveId: string, query: ExportQuery) {
      const { wave, instrument, columns } = await load(actor, waveId);
      assertCan(actor, 'wave.export', wave);
      if (query.full === '1') {
        assertCan(actor, 'wave.export.full', wave);
        // Recorded before the first byte: a download broken off has still been asked for.
        await store.repos.csv.recordFullExport({
          id: crypto.randomUUID(), waveId: wave.id, userId: actor.id, userEmail: actor.email, exportedAt: new Date().toISOString(),
        });
      }
      const delimiter = query.sep as Delimiter;
      const labels = query.labels === '1';
      const anonymous = isKAnonymous(wave, query);
      const shown = anonymous ? anonymousColumns(columns, query).shown : columns;
      const codes = query.missing === 'codes' ? missingCodesOf(instrument.meta, optionValues(columns)) : null;
      const rest = rowText(shown, { labels, codes, delimiter });

      async function* chunks(): AsyncGenerator<string> {
        yield BOM + unparseRows([shown.map((c) => c.name)], delimiter);
        yield* waveLines(wave, instrument, anonymous, '', { sequence: 0 }, rest);
      }
      return { fileName: exportFileName(wave, query), chunks: chunks() };
    },

    async codebookCsv(actor: CurrentUser, waveId: string, query: ExportQuery) {
      const { wave, codebook } = await describe(actor, waveId, query);
      return { fileName: fileNameFor(wave, 'codeboek'), text: BOM + unparseRows(codebook(), query.sep as Delimiter) };
    },

    /** The codebook as JSON: one entry per column of the export asked with the same query. */
    async codebookJson(actor: CurrentUser, waveId: string, query: ExportQuery) {
      const { wave, instrument, variables, anonymity, codes, shown, computed } = await describe(actor, waveId, query);
      const inFile = new Set(shown.map((c) => c.name));
      return {
        wave: { id: wave.id, label: wave.label, mode: wave.mode },
        instrument: { key: instrument.key, version: instrument.version },
        file: exportFileName(wave, query),
        k: anonymity?.k ?? null,
        missingCodes: codes ? [...codes.codes.map((c) => ({ value: c.value, code: c.code })), ...(anonymity ? [{ value: SUPPRESSED, code: codes.suppressed }] : [])] : null,
        variables: variables.map((v) => ({
          name: v.column.name, question: v.column.question, title: v.column.title, kind: v.column.kind, level: v.level,
          type: v.numeric ? 'numeric' : dateFormat(v.column) === 'YYYY-MM-DD' ? 'date' : 'string', format: dateFormat(v.column), shownIf: v.shownIf,
          inFile: inFile.has(v.column.name),
          values: v.values.map((x) => ({ value: x.value, label: x.label, missing: x.missing })),
          suppressedValues: suppressedCount(anonymity, v.column) ?? null,
        })),
        // Computed questions and cells: no column (not stored), listed with their expression.
        notStored: computed.map((c) => ({ name: c.name, question: c.question, title: c.title, expression: c.expression ?? '', value: NOT_STORED, reason: notStoredReason(c) })),
      };
    },

    /** What the SPSS syntax and the R script describe: the export's columns as the same query writes them, with codes. */
    async scriptVariables(actor: CurrentUser, waveId: string, query: ExportQuery) {
      const { wave, instrument } = await load(actor, waveId);
      assertCan(actor, 'wave.export', wave);
      if (query.full === '1') assertCan(actor, 'wave.export.full', wave);
      const coded: ExportQuery = { ...query, missing: 'codes', labels: '0' };
      const { variables, shown, codes } = await describe(actor, waveId, coded, { counts: false });
      const inFile = new Set(shown.map((c) => c.name));
      return {
        wave, instrument, codes: codes!, query: coded, csvFileName: exportFileName(wave, coded),
        variables: variables.filter((v) => inFile.has(v.column.name)),
      };
    },

    /**
     * Several waves of one instrument in one file, with the wave in a first column `meting`
     * (its label). Each wave's rows are written as that wave's own export would write them:
     * an anonymous wave k-anonymous on its own rows with its own minimum, never on the
     * pooled rows. The wave is printed, so pooling would let a professional who is alone
     * in her sector in one wave hide among another wave's colleagues in the plan while her
     * row still says which wave it is: exactly the row the wave's own export blanks.
     */
    async exportWavesCsv(actor: CurrentUser, query: CombinedExportQuery) {
      const loaded = await loadWaves(actor, query);
      const first = loaded[0]!;
      if (query.full === '1') {
        for (const { wave } of loaded) {
          await store.repos.csv.recordFullExport({
            id: crypto.randomUUID(), waveId: wave.id, userId: actor.id, userEmail: actor.email, exportedAt: new Date().toISOString(),
          });
        }
      }
      // One set of columns for every row: without the day and (unless asked) the texts as soon as one wave is k-anonymous.
      const anyAnonymous = loaded.some((l) => isKAnonymous(l.wave, query));
      const shown = anyAnonymous ? anonymousColumns(first.columns, query).shown : first.columns;
      const codes = query.missing === 'codes' ? missingCodesOf(first.instrument.meta, optionValues(first.columns)) : null;
      const labels = query.labels === '1';
      const delimiter = query.sep as Delimiter;
      const waveLabels = labelsOf(loaded.map((l) => l.wave));
      const numbering = { sequence: 0 };
      const written = rowText(shown, { labels, codes, delimiter });
      // No day once any wave is k-anonymous (the columns have none then; '' as before, to be sure).
      const rest: RowText = anyAnonymous ? {
        kept: written.kept,
        ofData: (r, blanked) => written.ofData({ day: '', data: r.data }, blanked),
        reader: (variables) => {
          const read = written.reader(variables);
          return (text, _day, values) => read(text, '', values);
        },
      } : written;

      async function* chunks(): AsyncGenerator<string> {
        yield BOM + unparseRows([[WAVE_COLUMN, ...shown.map((c) => c.name)]], delimiter);
        for (const [i, { wave, instrument }] of loaded.entries()) {
          // Each row the wave's label, then the row as the wave's own export writes it.
          yield* waveLines(wave, instrument, isKAnonymous(wave, query), csvCell(waveLabels[i]!, delimiter) + delimiter, numbering, rest);
        }
      }
      return { fileName: combinedFileName(first.instrument.key, query), chunks: chunks() };
    },

    /** The SPSS syntax's and R script's view of a combined export: the `meting` column first, then the first wave's columns. */
    async scriptVariablesForWaves(actor: CurrentUser, query: Pick<CombinedExportQuery, 'waves' | 'full' | 'sep' | 'texts'>) {
      const loaded = await loadWaves(actor, query);
      const first = loaded[0]!;
      const coded = { ...query, labels: '0' as const, missing: 'codes' as const };
      const anyAnonymous = loaded.some((l) => isKAnonymous(l.wave, coded));
      const shown = anyAnonymous ? anonymousColumns(first.columns, coded).shown : first.columns;
      const codes = missingCodesOf(first.instrument.meta, optionValues(first.columns));
      const labels = labelsOf(loaded.map((l) => l.wave));
      const waveColumn: CsvColumn = {
        name: WAVE_COLUMN, kind: 'choice', question: '', title: 'Meting', questionTitle: 'Meting',
        options: labels.map((label) => ({ value: label, label })),
      };
      const variables = describeVariables([waveColumn, ...shown], first.instrument, {
        codes, suppressible: new Set(anyAnonymous ? quasiIdentifiersOf(first.instrument, first.columns).map((q) => q.key) : []),
      });
      const params = new URLSearchParams({ waves: loaded.map((l) => l.wave.id).join(','), missing: 'codes' });
      if (query.sep !== ',') params.set('sep', query.sep);
      if (query.texts === '1') params.set('texts', '1');
      if (query.full === '1') params.set('full', '1');
      return {
        wave: { ...first.wave, label: labels.join(', ') }, instrument: first.instrument, codes, query: coded,
        csvFileName: combinedFileName(first.instrument.key, coded), variables, exportPath: `/api/v1/export.csv?${params.toString()}`,
      };
    },

    /** Admins see who exported a wave in full, and when. */
    async listFullExports(actor: CurrentUser, waveId: string) {
      const wave = await waves.get(actor, waveId);
      assertCan(actor, 'wave.export.full', wave);
      return store.repos.csv.listFullExports(wave.id);
    },

    /** Reads a request body as a file in the export's format; file-level problems come back as a refusal. */
    readExportFormat(bytes: Buffer, fileName: string | null): ImportFile | ImportOutcome {
      const parsed = parseCsvFile(bytes);
      if (!parsed.ok) return refusedWith(parsed.errors);
      const { headers, rows, text } = parsed.table;
      return { headers, rows, hash: hashOf(text), fileName, original: { headers, rows } };
    },

    /**
     * Checks every row of a file and, unless it is a dry run, stores them all in one
     * transaction with the record of the import. Nothing is stored when any row is refused.
     */
    async importFile(actor: CurrentUser, waveId: string, file: ImportFile, { dryRun }: { dryRun: boolean }): Promise<ImportOutcome> {
      const { wave, instrument, columns } = await load(actor, waveId);
      assertCan(actor, 'csv.import', wave);
      // A team wave holds one shared record, not rows of responses (server/team-records/).
      if (wave.mode === 'team') throw conflict(t('team.useRecord'));
      if (await store.repos.csv.hasImport(wave.id, file.hash)) throw conflict(t('csv.import.duplicateFile'));
      const checked = await checkRows(file, wave, instrument, columns);
      if (checked.errors.length > 0) {
        return {
          status: 'refused', errors: checked.errors, rejected: rejectedRows(file, checked.errors),
          valid: checked.prepared.length, refusedLines: refusedLines(checked.errors), warnings: checked.warnings,
        };
      }
      if (dryRun) return { status: 'valid', valid: checked.prepared.length, warnings: checked.warnings };

      const toStore = checked.prepared.map((row) => ({ waveId: wave.id, prepared: row.prepared, submissionId: crypto.randomUUID(), submittedOn: row.day }));
      const importId = crypto.randomUUID();
      // In transactions of IMPORT_CHUNK rows, each in a few multi-row statements, with a turn
      // for others between them (pauseAfterChunk): a transaction holds SQLite's one writer, and so every live
      // submission; the whole file in one held them up for seconds. Should a later chunk
      // fail, the chunks stored before are taken out again (undoImport): all or nothing, as
      // before, except for a process that stops in the middle of an import.
      let stored = 0;
      // Transactions begun in this process so far: more than the chunk's own since the last
      // chunk ended means others write beside the import (pauseAfterChunk).
      let begun = store.transactionsBegun();
      try {
        for (let i = 0; i < toStore.length; i += IMPORT_CHUNK) {
          const began = performance.now();
          await store.transaction(async (repos) => {
            if (i === 0) {
              const recorded = await repos.csv.recordImport({
                id: importId, waveId: wave.id, userId: actor.id, userEmail: actor.email, importedAt: new Date().toISOString(),
                rows: checked.prepared.length, fileHash: file.hash, fileName: file.fileName,
              });
              if (!recorded) throw conflict(t('csv.import.duplicateFile'));
            }
            await storeResponses(repos, toStore.slice(i, i + IMPORT_CHUNK));
          });
          stored = i + IMPORT_CHUNK;
          const took = performance.now() - began;
          const othersWrote = store.transactionsBegun() - begun > 1;
          begun = store.transactionsBegun();
          if (stored < toStore.length) await new Promise((resolve) => setTimeout(resolve, pauseAfterChunk(took, othersWrote)));
        }
      } catch (err) {
        if (stored > 0) {
          await store.transaction(async (repos) => {
            await repos.responses.undoImport(wave.id, toStore.slice(0, stored).map((r) => r.submissionId));
            await repos.csv.forgetImport(importId);
          });
        }
        throw err;
      }
      return { status: 'imported', imported: checked.prepared.length, warnings: checked.warnings };
    },

    async listImports(actor: CurrentUser, waveId: string) {
      const wave = await waves.get(actor, waveId);
      return store.repos.csv.listImports(wave.id);
    },
  };
}

export type CsvService = ReturnType<typeof createCsvService>;

type Prepared = Extract<PreparedResponse, { ok: true }>;

async function checkRows(file: ImportFile, wave: WaveRecord, instrument: InstrumentVersion, columns: CsvColumn[]) {
  const errors: ImportError[] = (file.problems ?? []).map((p) => ({ line: p.line, column: p.column ?? null, message: p.message }));
  const columnName = (name: string) => file.sourceHeader?.get(name) ?? name;
  const { matched, unknown } = matchHeaders(file.headers, columns);
  for (const header of unknown) errors.push({ line: 1, column: header, message: t('csv.import.unknownColumn', { header }) });
  if (file.rows.length > MAX_IMPORT_ROWS) errors.push({ line: MAX_IMPORT_ROWS + 2, column: null, message: t('csv.file.tooManyRows', { max: MAX_IMPORT_ROWS }) });
  if (errors.length > 0) return { errors, prepared: [], warnings: [] };

  // An anonymous wave keeps the day a response came in and nothing finer; for an import
  // that is the import day, so a date column of the file is not used.
  const byHeader = matched.map((c) => (c.kind === 'day' && wave.mode === 'anonymous' ? null : c));
  const today = dayInNetherlands();
  const headerIndex = new Map<string, number>();
  file.headers.forEach((h, i) => { if (!headerIndex.has(h.trim().toLowerCase())) headerIndex.set(h.trim().toLowerCase(), i); });
  const prepared: Array<{ prepared: Prepared; day: string }> = [];
  // What the routing drops of the file's answers, per column, to warn about before confirming.
  const tally = routingTally();
  const byName = new Map(columns.map((c) => [c.name, c]));
  const order = new Map<string, number>();
  byHeader.forEach((c, i) => { if (c && !order.has(c.name)) order.set(c.name, i); });
  const notAChoice = t('errors.notAChoice');
  for (const [i, cells] of file.rows.entries()) {
    const line = i + 2;
    const row = readRow(byHeader, cells);
    for (const p of row.problems) errors.push({ line, column: columnName(p.column), message: p.message });
    const outcome = prepareResponse(instrument, row.data);
    tally.add(line, row.data, outcome.ok ? outcome.data : null, row.columnsOf, byName, order);
    if (!outcome.ok) {
      for (const e of outcome.errors) {
        const question = (e.question ?? '').replace(/-Comment$/, '');
        // Not a choice: say which answer, and of which question.
        const named = e.message === notAChoice ? namedRefusal(question, row.data, columns) : null;
        if (named) {
          errors.push({ line, column: named.column ? columnName(named.column) : null, message: named.message });
          continue;
        }
        const column = row.unmatched.get(question) ?? row.columnsOf.get(e.question ?? '')?.[0] ?? row.columnsOf.get(question)?.[0] ?? e.question ?? null;
        const index = column ? headerIndex.get(column.toLowerCase()) : undefined;
        const cell = index !== undefined ? cells[index] : undefined;
        const message = cell !== undefined && row.unmatched.has(question) ? t('csv.import.cellValue', { value: cell.trim(), message: e.message }) : e.message;
        errors.push({ line, column: column ? columnName(column) : null, message });
      }
    } else if (row.problems.length === 0) {
      prepared.push({ prepared: outcome, day: row.day ?? today });
    }
    // survey-core validation is CPU work: let live submissions through between rows.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { errors, prepared, warnings: tally.warnings(routingOf(instrument.definition), columnName, byName) };
}

/** The lines of the file with a problem, in order: the rows that keep the file from being imported. */
function refusedLines(errors: ImportError[]): number[] {
  return [...new Set(errors.filter((e) => e.line >= 2).map((e) => e.line))].sort((a, b) => a - b);
}

function rejectedRows(file: ImportFile, errors: ImportError[]): RejectedRows | null {
  const byLine = new Map<number, string[]>();
  for (const e of errors) {
    if (e.line < 2 || e.line - 2 >= file.original.rows.length) continue;
    const problems = byLine.get(e.line) ?? [];
    problems.push(e.column ? `${e.column}: ${e.message}` : e.message);
    byLine.set(e.line, problems);
  }
  if (byLine.size === 0) return null;
  return {
    headers: file.original.headers,
    rows: [...byLine].sort(([a], [b]) => a - b).map(([line, problems]) => ({ line, cells: file.original.rows[line - 2]!, problems })),
  };
}

/** The rejected rows as CSV: the line number, the problems, then the row as it was, to fix and import again. */
export function rejectedCsv(rejected: RejectedRows): string {
  const rows = [[t('csv.ui.rejectedLine'), t('csv.ui.rejectedProblems'), ...rejected.headers],
    ...rejected.rows.map((r) => [r.line, r.problems.join(' | '), ...r.cells])];
  return BOM + unparseRows(rows, ',');
}

export function refusedWith(problems: FileProblem[]): ImportOutcome {
  return { status: 'refused', errors: problems.map((p) => ({ line: p.line, column: p.column ?? null, message: p.message })), rejected: null };
}

export const isImportFile = (value: ImportFile | ImportOutcome): value is ImportFile => 'rows' in value;

/** The same text is the same file, whatever the BOM or line ends an editor saved it with. */
export function hashOf(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A row's line after its running number, which the export's first column always is: the
 * other columns as exportRow or codedRow write them (a running number is written as a
 * number is, so `n + rest` is the whole row), from the delimiter on (see row-writer.ts).
 */
interface RowText {
  /** The line of a parsed response, with what it has blanked. */
  ofData(response: { day: string; data: Record<string, unknown> }, blanked?: ReadonlySet<string>): string;
  /**
   * A reader of stored responses (text-rows.ts), for a wave whose plan reads `variables`:
   * the line of a response's JSON text without blanks, and in `values` (when given) its
   * values of `variables`; a text the scanner does not read is parsed and written by ofData.
   */
  reader(variables: readonly QuasiIdentifier[]): (text: string, day: string, values?: string[]) => string;
  /** What its readers may keep of the answers they saw, together (text-rows.ts). */
  kept: KeptAnswers;
}

function rowText(shown: CsvColumn[], query: RowQuery): RowText {
  if (shown[0]?.kind !== 'sequence') throw new Error('the export\'s first column is the running number');
  const columns = shown.slice(1);
  const write = rowWriter(columns, query);
  const line = (cells: string) => (columns.length === 0 ? '\r\n' : query.delimiter + cells + '\r\n');
  const kept = keptAnswers();
  return {
    kept,
    ofData: (r, blanked) => line(write(r, blanked)),
    reader(variables) {
      const rows = textRows(columns, query, variables, kept);
      return (text, day, values) => {
        const cells = rows.write(text, day, values);
        if (cells !== undefined) return line(cells);
        const data = JSON.parse(text) as Record<string, unknown>;
        if (values) for (let v = 0; v < variables.length; v++) values[v] = variables[v]!.valueOf(data);
        return line(write({ day, data }));
      };
    },
  };
}

/** A stored response's values of `variables` (see QuasiIdentifier) into `values`, from its text. */
function valuesReader(variables: readonly QuasiIdentifier[], kept: KeptAnswers): (response: StoredText, values: string[]) => void {
  const rows = textRows([], { labels: false, codes: null, delimiter: ',' }, variables, kept);
  return (response, values) => {
    if (rows.write(response.text, response.day, values) !== undefined) return;
    const data = JSON.parse(response.text) as Record<string, unknown>;
    for (let v = 0; v < variables.length; v++) values[v] = variables[v]!.valueOf(data);
  };
}

/** An anonymous wave's rows go out k-anonymous, unless an admin asked for them in full. */
export const isKAnonymous = (wave: WaveRecord, query: ExportQuery) => wave.mode === 'anonymous' && query.full !== '1';

/** Free text can name anyone; in a k-anonymous export it is left out unless asked for, and the day always. */
export function anonymousColumns(columns: CsvColumn[], query: ExportQuery): { shown: CsvColumn[]; omitted: CsvColumn[] } {
  const isText = (c: CsvColumn) => c.kind === 'text' || c.kind === 'item';
  // A date is a quasi-identifier: year and month only (and blanked where the plan says so).
  const withoutDay = columns.filter((c) => c.kind !== 'day').map((c) => (c.kind === 'date' ? { ...c, month: true } : c));
  if (query.texts === '1') return { shown: withoutDay, omitted: [] };
  return { shown: withoutDay.filter((c) => !isText(c)), omitted: withoutDay.filter(isText) };
}

/**
 * One variable of the k-anonymity plan: its key in the set of what a row has blanked (a
 * question name, or columnKey of a date column) and its value in a row as printed.
 */
export interface QuasiIdentifier {
  key: string;
  /** The question whose answer alone it reads. */
  question: string;
  valueOf(data: Record<string, unknown>): string;
}

/**
 * What a k-anonymous export is k-anonymous on: the background questions (meta.background),
 * then every date column as year and month. A date (when she started, a child's birthday)
 * points at a person as surely as a sector does; generalised to its month and blanked
 * where still too rare, it stays in the file instead of being left out as a free text.
 * The dates come after the background questions: on a tie the plan blanks them first.
 */
export function quasiIdentifiersOf(instrument: Pick<InstrumentVersion, 'definition' | 'meta'>, columns: CsvColumn[] = csvColumns(instrument)): QuasiIdentifier[] {
  const background = backgroundOf(instrument).map((q) => ({ key: q, question: q, valueOf: (data: Record<string, unknown>) => backgroundValue(data[q]) }));
  // One variable per date question or item, and per date column of a table (its cells in
  // every row together, in row order: equal values print equal cells).
  const groups = new Map<string, CsvColumn[]>();
  for (const c of columns) {
    if (c.kind !== 'date') continue;
    const group = groups.get(columnKey(c));
    if (group) group.push({ ...c, month: true }); else groups.set(columnKey(c), [{ ...c, month: true }]);
  }
  const dates = [...groups].map(([key, months]) => ({
    key,
    question: months[0]!.question,
    valueOf: (data: Record<string, unknown>) => {
      const cells = exportRow(months, { sequence: 0, day: '', data }, false);
      return months.length === 1 ? String(cells[0]) : cells.every((cell) => cell === '') ? '' : JSON.stringify(cells);
    },
  }));
  return [...background, ...dates];
}

export function backgroundOf(instrument: Pick<InstrumentVersion, 'meta'>): string[] {
  const names = instrument.meta.background;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

/**
 * 0..n-1 in a random order, so that the order of the rows says nothing about the order of
 * arrival: Fisher-Yates with a CSPRNG, its numbers drawn in blocks (crypto.randomInt per
 * row took 0.1 s of a 100,000-row export) and unbiased by rejection.
 */
export function shuffledOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const block = new Uint32Array(4096);
  let used = block.length;
  for (let i = n - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = 2 ** 32 - (2 ** 32 % bound); // the numbers below it fall evenly on 0..i
    let r: number;
    do {
      if (used === block.length) {
        crypto.randomFillSync(block);
        used = 0;
      }
      r = block[used++]!;
    } while (r >= limit);
    const j = r % bound;
    const kept = order[i]!;
    order[i] = order[j]!;
    order[j] = kept;
  }
  return order;
}

/** The waves' labels as the `meting` column writes them; a label two waves share gets the start of the wave's id. */
export function labelsOf(waves: WaveRecord[]): string[] {
  const count = new Map<string, number>();
  for (const w of waves) count.set(w.label, (count.get(w.label) ?? 0) + 1);
  return waves.map((w) => (count.get(w.label)! > 1 ? `${w.label} (${w.id.slice(0, 8)})` : w.label));
}

const combinedFileName = (key: string, query: Pick<ExportQuery, 'missing'>) =>
  `${key}-metingen-${query.missing === 'codes' ? 'antwoorden-codes' : 'antwoorden'}.csv`;

/** The file name of the export: the scripts read it by this name, so a coded export has its own. */
export function exportFileName(wave: WaveRecord, query: Pick<ExportQuery, 'missing'>): string {
  return fileNameFor(wave, query.missing === 'codes' ? 'antwoorden-codes' : 'antwoorden');
}

function fileNameFor(wave: WaveRecord, what: string): string {
  const slug = wave.label.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').toLowerCase().slice(0, 60) || 'meting';
  return `${slug}-${what}.csv`;
}
