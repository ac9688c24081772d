// The alternative to the columnar copy that issue 17 names, measured rather than argued: a
// per-wave wide table, one row per response and one column per item (a matrix row, a
// checkbox choice as '1'), built once from the answers table, and the same counts as a
// filtered crosstab asked of it in SQL. PostgreSQL unpivots each row once (LATERAL VALUES,
// one scan, hash aggregate); SQLite has no LATERAL, so one GROUP BY per item (UNION ALL).
// The filter columns the benchmark uses are indexed, as a real wide table would index them.
// Respondents per answer only, as the other references (bench/reference-queries.ts).
import type { Knex } from 'knex';
import { dialectName, rawRows } from '../server/db/dialect';
import type { InstrumentModel } from '../server/results/instrument-model';
import type { Filter } from '../server/results/filters';

export interface WideColumn {
  name: string;
  question: string;
  row: string;
  /** A checkbox choice: the column holds '1' for those who ticked it. */
  choice?: string;
}

export interface WideTable {
  table: string;
  columns: WideColumn[];
  buildSeconds: number;
  bytesPerResponse: number | null;
}

const INDEXED = ['b_role', 'c_collegas'];

export function wideColumns(model: InstrumentModel): WideColumn[] {
  const columns: WideColumn[] = [];
  for (const q of model.questions) {
    if (q.kind === 'single') columns.push({ name: '', question: q.name, row: '' });
    else if (q.kind === 'matrix') for (const r of q.rows) columns.push({ name: '', question: q.name, row: r.key });
    else if (q.kind === 'multi') for (const c of q.choices) columns.push({ name: '', question: q.name, row: '', choice: c.key });
  }
  return columns.map((c, i) => ({ ...c, name: `c${i}` }));
}

/** Builds the wave's wide table (or reuses one with as many rows as the wave has responses). */
export async function ensureWideTable(db: Knex, waveId: string, model: InstrumentModel, responses: number, log: (line: string) => void): Promise<WideTable> {
  const table = 'bench_wide';
  const columns = wideColumns(model);
  const started = process.hrtime.bigint();
  const exists = await db.schema.hasTable(table);
  const rows = exists ? Number((await db(table).count({ n: '*' }).first())?.n) : -1;
  if (rows !== responses || !exists || !(await db.schema.hasColumn(table, columns[columns.length - 1].name))) {
    if (exists) await db.schema.dropTable(table);
    await db.schema.createTable(table, (t) => {
      t.string('response_id', 36).primary();
      for (const c of columns) t.text(c.name);
    });
    const cases = columns.map((c) => (c.choice === undefined
      ? `max(case when a.question = ? and a."row" = ? then a.value end) as ${c.name}`
      : `max(case when a.question = ? and a.value = ? then '1' end) as ${c.name}`));
    await db.raw(`insert into ${table} (response_id, ${columns.map((c) => c.name).join(', ')})
      select r.id, ${cases.join(', ')} from responses r join answers a on a.response_id = r.id where r.wave_id = ? group by r.id`,
    [...columns.flatMap((c) => [c.question, c.choice ?? c.row]), waveId]);
    for (const question of INDEXED) {
      const c = columns.find((x) => x.question === question && x.row === '' && x.choice === undefined);
      if (c) await db.raw(`create index ${table}_${c.name} on ${table} (${c.name})`);
    }
    if (dialectName(db) === 'postgres') await db.raw(`analyze ${table}`);
    else await db.raw(`analyze ${table}`);
  }
  const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(`${dialectName(db)}: wide table of ${columns.length} item columns ${rows === responses ? 'reused' : `built in ${buildSeconds.toFixed(0)} s`}`);
  return { table, columns, buildSeconds: rows === responses ? 0 : buildSeconds, bytesPerResponse: await bytesOf(db, table, responses) };
}

async function bytesOf(db: Knex, table: string, responses: number): Promise<number | null> {
  try {
    if (dialectName(db) === 'postgres') {
      const [row] = rawRows<{ n: unknown }>(db, await db.raw('select pg_total_relation_size(?::regclass) as n', [table]));
      return Number(row.n) / responses;
    }
    const [row] = rawRows<{ n: unknown }>(db, await db.raw("select sum(pgsize) as n from dbstat where name = ? or name like ?", [table, `${table}_%`]));
    return Number(row.n) / responses;
  } catch {
    return null; // SQLite built without dbstat
  }
}

/** Respondents per (group, item, value) among the filtered respondents, from the wide table; by: null for one group ''. */
export function wideCrosstab(db: Knex, wide: Pick<WideTable, 'table' | 'columns'>, filters: readonly Filter[], by: { question: string; row: string } | null) {
  const column = (q: string, row: string, value?: string) => {
    const multi = wide.columns.find((c) => c.question === q && c.choice !== undefined && c.choice === value);
    const c = multi ?? wide.columns.find((x) => x.question === q && x.row === row && x.choice === undefined);
    if (!c) throw new Error(`no column for ${q} ${row}`);
    return { name: c.name, value: multi ? '1' : value ?? '' };
  };
  const where = filters.map((f) => column(f.question, f.row, f.value));
  const byColumn = by ? column(by.question, by.row).name : null;
  const conditions = [...where.map((w) => `w.${w.name} = ?`), ...(byColumn ? [`w.${byColumn} is not null`] : [])];
  const bindings = where.map((w) => w.value);
  const grp = byColumn ? `w.${byColumn}` : "''";
  return async () => {
    if (dialectName(db) === 'postgres') {
      const values = wide.columns.map((c) => `('${c.name}', w.${c.name})`).join(', ');
      return db.raw(`select ${grp} as grp, v.item, v.value, count(*) as respondents from ${wide.table} w
        cross join lateral (values ${values}) v(item, value)
        where ${[...conditions, 'v.value is not null'].join(' and ')} group by 1, 2, 3`, bindings);
    }
    const parts = wide.columns.map((c) => `select ${grp} as grp, '${c.name}' as item, w.${c.name} as value, count(*) as respondents from ${wide.table} w
      where ${[...conditions, `w.${c.name} is not null`].join(' and ')} group by 1, 3`);
    return db.raw(parts.join(' union all '), wide.columns.flatMap(() => bindings));
  };
}
