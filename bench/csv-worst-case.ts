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
import path from 'node:path';

const SURVEYS = path.resolve(__dirname, '..', '..', 'surveys');
const FILE_BYTES = 5 * 1024 * 1024;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const quoted = (cell: string) => `"${cell.replace(/"/g, '""')}"`;

/** A file of worst cases, about `bytes` long, whose sector column is a multi-select with a comma choice. */
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
  for (let i = 0; size < bytes; i++) {
    const line = `2023-05-0${1 + (i % 9)},Student,${quoted(cellShapes[i % cellShapes.length]!)}${filler}`;
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

if (require.main === module) {
  const report = runCsvBench();
  console.log(formatCsvReport(report));
  if (report.medians.total > report.budgetMs) process.exitCode = 1;
}
