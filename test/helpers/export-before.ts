// The CSV export as it was written before it was made fast (issue 17): pages of 500
// responses in (day, id) order, a k-anonymous export read twice (the background answers of
// every response, then every response again by id in a random order), each row built by
// exportRow or codedRow and written by papaparse. Kept as the reference the new export is
// compared with byte for byte (test/integration/export-equivalence.test.ts) and timed
// against (bench/export.ts). Only the reading and the writing are frozen here: the rules
// of a row (columns, values, codes, blanks) are the server's own functions, so that a new
// column type changes both sides alike.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import Papa from 'papaparse';
import type { InstrumentVersion } from '../../server/instruments/repository';
import type { WaveRecord } from '../../server/waves/repository';
import { csvColumns } from '../../server/csv/columns';
import { BOM, FORMULA_START } from '../../server/csv/csv-text';
import { backgroundValue, exportRow } from '../../server/csv/export-rows';
import { codedRow } from '../../server/csv/coded-rows';
import { missingCodesOf } from '../../server/survey/model';
import { optionValues } from '../../server/csv/columns';
import { assigner, combinationKey, planSuppression } from '../../server/csv/k-anonymity';
import { anonymousColumns, backgroundOf, isKAnonymous, labelsOf, WAVE_COLUMN } from '../../server/csv/service';

const PAGE = 500;

export interface ExportQueryBefore {
  labels: '0' | '1';
  sep: ',' | ';';
  full: '0' | '1';
  texts: '0' | '1';
  missing: 'values' | 'codes';
}

type Loaded = { wave: WaveRecord; instrument: InstrumentVersion };
type Stored = { id: string; day: string; data: Record<string, unknown> };

const unparse = (rows: Array<Array<string | number>>, delimiter: string) =>
  (rows.length === 0 ? '' : Papa.unparse(rows, { delimiter, newline: '\r\n', escapeFormulae: FORMULA_START }) + '\r\n');

async function page(db: Knex, waveId: string, after: { day: string; id: string } | null): Promise<Stored[]> {
  const query = db('responses').where({ wave_id: waveId }).select('id', 'submitted_on', 'data')
    .orderBy([{ column: 'submitted_on' }, { column: 'id' }]).limit(PAGE);
  if (after) query.andWhereRaw('(submitted_on, id) > (?, ?)', [after.day, after.id]);
  const rows = (await query) as Array<{ id: string; submitted_on: string; data: string }>;
  return rows.map((r) => ({ id: r.id, day: String(r.submitted_on), data: JSON.parse(r.data) }));
}

async function byIds(db: Knex, waveId: string, ids: string[]): Promise<Stored[]> {
  if (ids.length === 0) return [];
  const rows = (await db('responses').whereIn('id', ids).select('id', 'wave_id', 'submitted_on', 'data')) as
    Array<{ id: string; wave_id: string; submitted_on: string; data: string }>;
  return rows.filter((r) => r.wave_id === waveId).map((r) => ({ id: r.id, day: String(r.submitted_on), data: JSON.parse(r.data) }));
}

async function* inOrder(db: Knex, waveId: string): AsyncGenerator<Stored[]> {
  let after: { day: string; id: string } | null = null;
  for (;;) {
    const rows = await page(db, waveId, after);
    if (rows.length === 0) return;
    yield rows;
    after = { day: rows[rows.length - 1]!.day, id: rows[rows.length - 1]!.id };
  }
}

/** The two passes of the k-anonymous export: the plan from every response's background, then the responses in a random order. */
async function* anonymised(db: Knex, wave: WaveRecord, instrument: InstrumentVersion): AsyncGenerator<Array<Stored & { blanked: ReadonlySet<string> }>> {
  const background = backgroundOf(instrument);
  const ids: string[] = [];
  const keyOfRow: string[] = [];
  const counts = new Map<string, number>();
  const valuesOf = new Map<string, string[]>();
  for await (const rows of inOrder(db, wave.id)) {
    for (const r of rows) {
      const values = background.map((q) => backgroundValue(r.data[q]));
      const key = combinationKey(values);
      if (!valuesOf.has(key)) valuesOf.set(key, values);
      ids.push(r.id);
      keyOfRow.push(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const plan = planSuppression(counts, background.length, wave.minGroupSize);
  const rank = (id: string) => crypto.createHash('sha256').update(`${wave.id}:${id}`).digest('hex');
  const touched = ids.map((id, i) => ({ id, key: keyOfRow[i]!, rank: '' })).filter((row) => plan.blanked.has(row.key));
  for (const row of touched) row.rank = rank(row.id);
  touched.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  const blanks = assigner(plan);
  const blanked = new Map<string, ReadonlySet<string>>();
  for (const row of touched) {
    const shown = blanks(valuesOf.get(row.key)!);
    const names = background.filter((_, v) => shown[v] === null);
    if (names.length > 0) blanked.set(row.id, new Set(names));
  }
  const none: ReadonlySet<string> = new Set();
  for (let i = ids.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  for (let i = 0; i < ids.length; i += PAGE) {
    const wanted = ids.slice(i, i + PAGE);
    const byId = new Map((await byIds(db, wave.id, wanted)).map((r) => [r.id, r]));
    yield wanted.filter((id) => byId.has(id)).map((id) => ({ ...byId.get(id)!, day: '', blanked: blanked.get(id) ?? none }));
  }
}

/** A wave's export as it was written before; with several waves, the combined export with its wave column. */
export async function* exportBefore(db: Knex, loaded: Loaded[], query: ExportQueryBefore): AsyncGenerator<string> {
  const combined = loaded.length > 1;
  const first = loaded[0]!;
  const columns = csvColumns(first.instrument);
  const anyAnonymous = loaded.some((l) => isKAnonymous(l.wave, query));
  const shown = anyAnonymous ? anonymousColumns(columns, query).shown : columns;
  const codes = query.missing === 'codes' ? missingCodesOf(first.instrument.meta, optionValues(columns)) : null;
  const labels = query.labels === '1';
  const waveLabels = labelsOf(loaded.map((l) => l.wave));
  yield BOM + unparse([[...(combined ? [WAVE_COLUMN] : []), ...shown.map((c) => c.name)]], query.sep);
  let sequence = 0;
  for (const [w, { wave, instrument }] of loaded.entries()) {
    const row = (r: { day: string; data: Record<string, unknown> }, blanked?: ReadonlySet<string>) => {
      const response = { sequence: ++sequence, day: r.day, data: r.data };
      const cells = codes ? codedRow(shown, response, codes, blanked) : exportRow(shown, response, labels, blanked);
      return combined ? [waveLabels[w]!, ...cells] : cells;
    };
    if (!isKAnonymous(wave, query)) {
      for await (const rows of inOrder(db, wave.id)) yield unparse(rows.map((r) => row({ day: anyAnonymous ? '' : r.day, data: r.data })), query.sep);
    } else {
      for await (const rows of anonymised(db, wave, instrument)) yield unparse(rows.map((r) => row(r, r.blanked)), query.sep);
    }
  }
}
