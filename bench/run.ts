// npm run bench: the benchmarks, one after the other, each printing its own report.
//   node dist/bench/run.js [--responses 100000] [--runs 7] [--only sqlite|postgres] [--keep DIR] [--skip-slow] [--warm-ms 2000]
// SPIEGEL_BENCH=results (or submissions, csv, …: a word of the benchmark's name; several,
// comma-separated) runs only the benchmarks whose name contains one; --keep DIR keeps the seeded results databases
// and reuses them next time (bench/results.ts), to measure the reads again quickly;
// --skip-slow leaves out the reads timed on the answers table (seconds to minutes each);
// --warm-ms: how long each read runs before it is timed (bench/results-queries.ts, WARM_MS).
// A benchmark reports; it never fails a test. Add a benchmark by adding it to BENCHES.
import { formatResultsReport, runResultsBench } from './results';
import { formatSubmissionReport, runSubmissionBench } from './submissions';
import { csvBenchReport } from './csv-worst-case';
import { kAnonymityBenchReport } from './k-anonymity';
import { formatLoginBurstReport, runLoginBurstBench } from './login-burst';
import { formatIdentifiedWritersReport, runIdentifiedWritersBench } from './identified-writers';
import { formatExportReport, runExportBench } from './export';
import { formatTargetsTable, TargetRunReports } from './targets';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function text(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function only(): 'sqlite' | 'postgres' | undefined {
  const index = process.argv.indexOf('--only');
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  return value === 'sqlite' || value === 'postgres' ? value : undefined;
}

/** What the benchmarks with targets hand over for the closing table (bench/targets.ts). */
const collected: TargetRunReports = {};

const BENCHES: Array<[string, () => Promise<string>]> = [
  ['results and comparisons (bench/results.ts)', async () => formatResultsReport(collected.results =
    await runResultsBench({ responses: option('responses', 100_000), runs: option('runs', 7), only: only(), keep: text('keep'), skipSlow: process.argv.includes('--skip-slow'),
      warmMs: text('warm-ms') === undefined ? undefined : Number(text('warm-ms')) }))],
  ['CSV export of the results wave (bench/export.ts)', async () => formatExportReport(collected.exports =
    await runExportBench({ responses: option('responses', 100_000), runs: option('runs', 5), only: only(), keep: text('keep') }))],
  ['submissions over HTTP, SQLite and PostgreSQL (bench/submissions.ts)', async () => formatSubmissionReport(collected.submissions = await runSubmissionBench())],
  ['identified submissions: writers of one wave on PostgreSQL (bench/identified-writers.ts)', async () => formatIdentifiedWritersReport(await runIdentifiedWritersBench())],
  ['CSV mapping step on 5 MB of worst cases (bench/csv-worst-case.ts)', csvBenchReport],
  ['respondents during a burst of wrong logins (bench/login-burst.ts)', async () => formatLoginBurstReport(await runLoginBurstBench())],
  ['local suppression for the k-anonymous export (bench/k-anonymity.ts)', kAnonymityBenchReport],
];

async function main(): Promise<void> {
  // Several words, comma-separated, run each benchmark whose name contains one of them.
  const chosen = process.env.SPIEGEL_BENCH?.split(',').map((word) => word.trim()).filter(Boolean);
  for (const [name, run] of BENCHES) {
    if (chosen?.length && !chosen.some((word) => name.includes(word))) continue;
    console.log(`\n=== ${name} ===`);
    console.log(`\n${await run()}\n`);
  }
  // Last, the figures with targets from every benchmark that ran, in one table.
  const targets = formatTargetsTable(collected);
  if (targets) console.log(`\n=== targets (bench/targets.ts) ===\n\n${targets}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
