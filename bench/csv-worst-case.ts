// The CSV mapping step on a file built to be slow: 5 MB of the shapes that once took minutes
// (cells of nothing but separators, long runs of parts that almost form a choice text with a
// comma in it, headers of 60 kB with spaces and brackets and no closing bracket, thousands of
// headers). Every step is linear now; this measures it against a budget. It reports and
// never fails a test: a timed assertion in a test fails on a busy machine for no reason.
//   npm run bench:csv    (or: node dist/bench/csv-worst-case.js [--runs 5] [--budget-ms 3000])
import { csvColumns } from '../server/csv/columns';
import { parseCsvFile } from '../server/csv/csv-text';
import { answerTexts, applyMapping, mappingTargets, suggestColumns } from '../server/csv/mapping';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, migrateToLatest } from '../server/db/connection';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/log';

const SURVEYS = path.resolve(__dirname, '..', '..', 'surveys');
/** Just under the upload limit (5 MiB), leaving room for the multipart form around it. */
const FILE_BYTES = 5 * 1024 * 1024 - 4096;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const quoted = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

/** A file of worst cases, at most `bytes` long, whose sector column is a multi-select with a comma choice. */
export function worstCaseFile(bytes: number): Buffer {
  const headers = [
    'Tijdstempel', 'Ben je professional of student?', 'In welke sector(en) werk je?',
    `Q${' '.repeat(30_000)}${'['.repeat(30_000)}x`, // the old header regex: seconds
    `${' ['.repeat(30_000)}x`,
    ...Array.from({ length: 2000 }, (_, i) => `kolom ${i} [rij ${i}]`), // many headers, each looked up
  ];
  const cellShapes = [
    ','.repeat(3000), // only separators: the old cellTexts tried every run of parts
    'Vrouwenopvang, '.repeat(200),
    ', '.repeat(1500) + 'Veilig Thuis',
    'a, b, '.repeat(500),
    ';'.repeat(3000),
  ];
  const lines = [headers.map(quoted).join(',')];
  let size = lines[0]!.length;
  const filler = ','.repeat(headers.length - 3);
  for (let i = 0; ; i++) {
    const line = `2023-05-0${1 + (i % 9)},Student,${quoted(cellShapes[i % cellShapes.length]!)}${filler}`;
    if (size + line.length + 1 > bytes) break;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

export interface CsvBenchReport {
  bytes: number;
  rows: number;
  runs: number;
  budgetMs: number;
  /** Median milliseconds per step, and of the whole. */
  medians: Record<'parse' | 'suggest' | 'answerTexts' | 'applyMapping' | 'total', number>;
}

export function runCsvBench({ runs = option('runs', 5), budgetMs = option('budget-ms', 3000) } = {}): CsvBenchReport {
  const instrument = loadInstrumentFiles(SURVEYS).find((f) => f.key === 'tno-quickscan')!;
  const targets = mappingTargets(csvColumns(instrument));
  const file = worstCaseFile(FILE_BYTES);
  const times = new Map<keyof CsvBenchReport['medians'], number[]>();
  const timed = <T>(step: keyof CsvBenchReport['medians'], work: () => T): T => {
    const start = process.hrtime.bigint();
    const result = work();
    times.set(step, [...(times.get(step) ?? []), Number(process.hrtime.bigint() - start) / 1e6]);
    return result;
  };
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    const parsed = timed('parse', () => parseCsvFile(file));
    if (!parsed.ok) throw new Error(`the worst-case file does not parse: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
    const { headers, rows: cells } = parsed.table;
    rows = cells.length;
    const columns = timed('suggest', () => suggestColumns(headers, targets));
    columns[2] = 'b_sector.*';
    const mapping = { columns, answers: new Map() };
    timed('answerTexts', () => answerTexts(headers, cells, mapping, targets));
    timed('applyMapping', () => applyMapping(headers, cells, mapping, targets));
    times.set('total', [...(times.get('total') ?? []), Number(process.hrtime.bigint() - start) / 1e6]);
  }
  const medians = Object.fromEntries([...times].map(([step, values]) => [step, median(values)])) as CsvBenchReport['medians'];
  return { bytes: file.length, rows, runs, budgetMs, medians };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function formatCsvReport(report: CsvBenchReport): string {
  const { medians, budgetMs } = report;
  const verdict = medians.total <= budgetMs ? 'within budget' : 'OVER BUDGET';
  return [
    `file: ${(report.bytes / 1024 / 1024).toFixed(1)} MB, ${report.rows} rows, ${report.runs} runs (medians)`,
    ...(['parse', 'suggest', 'answerTexts', 'applyMapping'] as const).map((step) => `  ${step.padEnd(13)} ${medians[step].toFixed(0).padStart(6)} ms`),
    `  ${'total'.padEnd(13)} ${medians.total.toFixed(0).padStart(6)} ms   budget ${budgetMs} ms: ${verdict}`,
  ].join('\n');
}

export interface CsvHttpReport {
  /** Milliseconds of each GET of the mapping page for the uploaded worst-case file. */
  pageMs: number[];
  /** The longest a /healthz probe (every 100 ms meanwhile) waited for its answer. */
  healthzMaxMs: number;
}

/**
 * The same file through the real app on SQLite: uploaded on the import page, then its
 * mapping page (parse, suggestions, answer texts, mapping and the dry run) asked for,
 * while /healthz is probed. The probe's longest wait is what a load balancer would see.
 */
export async function runCsvHttpBench({ runs = 3 } = {}): Promise<CsvHttpReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-bench-csv-'));
  const db = createDb({ databaseUrl: null, sqliteFile: path.join(dir, 'spiegel.sqlite3') });
  const server = http.createServer();
  try {
    await migrateToLatest(db);
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40), SURVEYS_DIR: SURVEYS });
    server.on('request', await createApp({ config, db, log: createLogger('silent') }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const password = 'correct horse battery';
    await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ organisation: 'Bench', email: 'bench@spiegel.test', password }) });
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'bench@spiegel.test', password }) });
    const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    const wave = await (await fetch(`${base}/api/v1/waves`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': await csrfOf(base, cookie) },
      body: JSON.stringify({ instrument: 'tno-quickscan', label: 'bench', mode: 'anonymous' }),
    })).json() as { id: string };
    const form = new FormData();
    form.append('_csrf', await csrfOf(base, cookie, `/waves/${wave.id}`));
    form.append('file', new Blob([worstCaseFile(FILE_BYTES)], { type: 'text/csv' }), 'worst-case.csv');
    const uploaded = await fetch(`${base}/waves/${wave.id}/import`, { method: 'POST', headers: { Cookie: cookie }, body: form, redirect: 'manual' });
    const mappingUrl = uploaded.headers.get('location');
    if (uploaded.status !== 303 || !mappingUrl) throw new Error(`upload answered ${uploaded.status}`);

    let healthzMaxMs = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const start = Date.now();
        await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
        healthzMaxMs = Math.max(healthzMaxMs, Date.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const pageMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = Date.now();
      const page = await fetch(base + mappingUrl, { headers: { Cookie: cookie } });
      await page.arrayBuffer();
      if (page.status !== 200) throw new Error(`mapping page answered ${page.status}`);
      pageMs.push(Date.now() - start);
    }
    probing = false;
    await probe;
    return { pageMs, healthzMaxMs };
  } finally {
    server.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function csrfOf(base: string, cookie: string, page = '/waves/new'): Promise<string> {
  const html = await (await fetch(base + page, { headers: { Cookie: cookie } })).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

export function formatCsvHttpReport(report: CsvHttpReport, budgetMs: number): string {
  const page = median(report.pageMs);
  return [
    `mapping page over HTTP (SQLite): median ${page.toFixed(0)} ms of ${report.pageMs.length}; /healthz waited at most ${report.healthzMaxMs} ms`,
    `  budget ${budgetMs} ms for the page and for /healthz: ${page <= budgetMs && report.healthzMaxMs <= budgetMs ? 'within budget' : 'OVER BUDGET'}`,
  ].join('\n');
}

/** Both parts, as `npm run bench` prints them. */
export async function csvBenchReport(): Promise<string> {
  const report = runCsvBench();
  return `${formatCsvReport(report)}\n${formatCsvHttpReport(await runCsvHttpBench(), report.budgetMs)}`;
}

if (require.main === module) {
  csvBenchReport().then((text) => {
    console.log(text);
    if (text.includes('OVER BUDGET')) process.exitCode = 1;
  }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
