// The closing table of `npm run bench` (bench/targets.ts): which figure meets issue 17's
// target is decided from the figures of one run, so the rules are checked here on made-up
// reports (the speed itself is only ever measured by the benchmarks, never by a test).
import { expect } from 'chai';
import { formatTargetsTable, targetRows } from '../../bench/targets';
import type { ResultsBenchReport } from '../../bench/results';
import type { SubmissionBenchReport, PhaseResult } from '../../bench/submissions';

function resultsReport(database: 'sqlite' | 'postgres', timings: ResultsBenchReport['timings']): ResultsBenchReport {
  return { database, responses: 101_000, answerRows: 0, seedSeconds: 0, timings, peakRssTalliedMb: 0, peakRssMb: 0 };
}

function phase(name: PhaseResult['phase'], p99: number, non2xx = 0): PhaseResult {
  return {
    phase: name, connections: 50, seconds: 30, stored: 1000, storedPerSecond: 600, non2xx, statusCodes: {}, errors: 0, timeouts: 0,
    latencyMs: { p50: p99 / 2, p90: p99, p99, max: p99, mean: p99 / 2 }, loadAverage: [0, 0],
  };
}

describe('bench/targets: the one table of figures, references and targets', () => {
  it('holds a read to its database\'s limit and to twice its reference', () => {
    const rows = targetRows({
      results: [
        resultsReport('sqlite', [
          { name: 'fast', medianMs: 3, referenceMs: 2, runs: 7 },
          { name: 'slow but cheap beside its reference', medianMs: 120, referenceMs: 500, runs: 7 },
          { name: 'fast but thrice its reference', medianMs: 3, referenceMs: 1, runs: 7 },
          { name: 'first untallied read (builds the columnar copy)', medianMs: 3000, runs: 1 },
          { name: 'compare (wide table, SQL)', medianMs: 3000, referenceMs: 1, runs: 7 },
        ]),
        resultsReport('postgres', [{ name: 'slow but cheap beside its reference', medianMs: 120, referenceMs: 500, runs: 7 }]),
      ],
    });
    const met = Object.fromEntries(rows.map((r) => [r.figure, [r.cells.sqlite?.met, r.cells.postgres?.met]]));
    expect(met).to.deep.equal({
      fast: [true, undefined],
      'slow but cheap beside its reference': [false, true],
      'fast but thrice its reference': [false, undefined],
    });
  });

  it('holds every phase of the submissions to a p99 under 200 ms without errors, beside the idle p99', () => {
    const submissions: SubmissionBenchReport = {
      connections: 50, durationSeconds: 30, sqliteTarget: null,
      results: [{ database: 'sqlite', phases: [phase('idle', 150), phase('reads', 190, 3), phase('import', 260)], bareInsert: { responses: 1, seconds: 1, perSecond: 500, concurrency: 1 } }],
    };
    const rows = targetRows({ submissions });
    expect(rows.map((r) => [r.figure, r.cells.sqlite?.met, r.cells.sqlite?.reference])).to.deep.equal([
      ['submissions stored/s (ref: bare insert loop)', true, 500],
      ['submissions p99, nothing beside them', true, undefined],
      ['submissions p99 beside six worst-case reads (ref: alone)', false, 150],
      ['submissions p99 beside CSV imports (ref: alone)', false, 150],
    ]);
    const table = formatTargetsTable({ submissions });
    expect(table).to.match(/^Issue 17 targets, .*: 2 of 4 met/);
    expect(table).to.include('| submissions p99 beside CSV imports (ref: alone) | < 200 ms, no error | 260 | 150 | 1.73 | **missed** |');
  });

  it('prints nothing when no benchmark with targets ran', () => {
    expect(formatTargetsTable({})).to.equal('');
  });
});
