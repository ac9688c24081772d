// The export benchmark: `export.csv` of the results benchmark's wave (100,000 quickscan
// responses and 1,000 more, bench/results.ts) on SQLite and on PostgreSQL, through the CSV
// routes over HTTP (bench/export-queries.ts, a process of its own), beside the export as it
// was before and a bare SELECT of the same responses written to /dev/null (the reference).
// With --keep DIR it uses the databases the results benchmark kept there, and seeds and
// keeps them when they are not there yet. A benchmark reports; it never fails a test.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { benchmarkWave } from './results';
import { BenchJob, onBenchDatabases } from './bench-databases';
import type { ExportTiming } from './export-queries';

export interface ExportBenchOptions {
  responses?: number;
  runs?: number;
  only?: 'sqlite' | 'postgres';
  keep?: string;
  log?: (line: string) => void;
}

export interface ExportBenchReport {
  database: 'sqlite' | 'postgres';
  responses: number;
  timings: ExportTiming[];
  referenceBytes: number;
}

export async function runExportBench(options: ExportBenchOptions = {}): Promise<ExportBenchReport[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const responses = options.responses ?? 100_000;
  const runs = options.runs ?? 5;
  return onBenchDatabases({ responses, only: options.only, keep: options.keep, name: 'export', log }, async (connection, db) => {
    const wave = await benchmarkWave(db, connection.database, responses, log);
    return serve({ ...connection, waveId: wave.waveId, organisationId: wave.organisationId, runs });
  });
}

function serve(job: BenchJob): ExportBenchReport {
  const child = spawnSync(process.execPath, ['--enable-source-maps', path.join(__dirname, 'export-queries.js'), JSON.stringify(job)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${job.database}: the export process failed (${child.status})`);
  const { timings, referenceBytes } = JSON.parse(child.stdout.trim().split('\n').pop()!);
  return { database: job.database, responses: 0, timings, referenceBytes };
}

/** One table: per request its median on each database, the reference's median and their ratio. Target (issue 17): < 2 s. */
export function formatExportReport(reports: ExportBenchReport[]): string {
  const lines = ['CSV export over HTTP: medians in ms, wall clock and CPU of the serving process (on SQLite with the database\'s work, on PostgreSQL without); '
    + 'ref = SELECT of the same responses\' data, written to /dev/null; target < 2,000 ms'];
  for (const r of reports) {
    lines.push(`  ${r.database}: reference ${(r.referenceBytes / 1e6).toFixed(1)} MB of JSON; `
      + r.timings.map((t) => `${t.name}: ${(t.bytes / 1e6).toFixed(1)} MB, RSS +${t.peakRssAboveMb.toFixed(0)} MB`).join('; '));
  }
  const names = [...new Set(reports.flatMap((r) => r.timings.map((t) => t.name)))];
  const cell = (r: ExportBenchReport, name: string) => {
    const t = r.timings.find((x) => x.name === name);
    return t ? [t.medianMs.toFixed(0), t.referenceMs.toFixed(0), (t.medianMs / t.referenceMs).toFixed(2),
      t.cpuMs.toFixed(0), t.referenceCpuMs.toFixed(0), (t.cpuMs / t.referenceCpuMs).toFixed(2)] : ['', '', '', '', '', ''];
  };
  lines.push(`| request | ${reports.map((r) => `${r.database} | ref | ratio | CPU | ref | ratio`).join(' | ')} |`);
  lines.push(`|---|${reports.map(() => '---:|---:|---:|---:|---:|---:').join('|')}|`);
  for (const name of names) lines.push(`| ${name} | ${reports.map((r) => cell(r, name).join(' | ')).join(' | ')} |`);
  return lines.join('\n');
}
