// Submissions under load: valid TNO quickscan answers, each with a fresh submissionId, sent
// over HTTP by autocannon to a real Spiegel process (node dist/server/index.js) on SQLite
// and, when it answers, on PostgreSQL. One phase after the other on the same server: the
// submissions alone (idle), beside six worst-case results reads of one viewer (reads), and
// beside a manager importing a 1,990-row CSV again and again (import). Per phase: validated
// submissions per second, their p50/p99, the readers' or imports' own p50/p99, and the
// server's event-loop delay (bench/loop-probe.ts, preloaded into the server). Compares with
// a bare knex insert loop of the same rows measured in the same run.
//
//   npm run build && node dist/bench/submissions.js [--duration 30] [--connections 50]
//       [--baseline 10] [--sqlite-only | --postgres-only] [--profile DIR] [--readers 6] [--phases idle,reads,import]
//
// PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test;
// the benchmark creates a database of its own there and drops it afterwards. --profile
// writes a CPU profile of each server (node --cpu-prof), to see where the time goes.
//
// Also called from bench/run.ts (npm run bench), which prints formatSubmissionReport(report).
// A benchmark reports; it never fails a test.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { createDb } from '../server/db/connection';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import type { InstrumentVersion } from '../server/instruments/repository';
import { prepareResponse, PreparedResponse } from '../server/responses/service';
import { createResponseRepository } from '../server/responses/repository';
import { dayInNetherlands } from '../server/util/dates';
import { startSpiegel, SpiegelProcess } from '../test/helpers/spiegel-process';
import { createQuickscanWave, setupAndLogin, SeededWave } from '../test/helpers/api-client';
import { createTempDatabase, postgresReachable } from '../test/helpers/temp-database';
import { quickscanAnswers, seededRandom } from '../test/helpers/quickscan-stream';
import { LoopProbeWindow, readLoopProbe, resetLoopProbe } from './loop-probe';

export type BenchDatabase = 'sqlite' | 'postgres';

export interface SubmissionBenchOptions {
  /** Concurrent HTTP clients (default 50). */
  connections?: number;
  /** Seconds of HTTP load per database (default 30). */
  durationSeconds?: number;
  /** Seconds of the bare insert loop per database (default 10). */
  baselineSeconds?: number;
  databases?: BenchDatabase[];
  /** A PostgreSQL server to create a temporary database on (default BENCH_DATABASE_URL, DATABASE_URL or the local one). */
  postgresUrl?: string;
  /** Write a CPU profile of each server process here (node --cpu-prof). */
  profileDir?: string;
  /** Concurrent worst-case results reads by one viewer beside the submissions (default 6; 0: none). */
  readers?: number;
  /** What runs beside the submissions, one phase after the other (default idle, reads, import). */
  phases?: Phase[];
  log?: (line: string) => void;
}

export interface LoopResult {
  responses: number;
  seconds: number;
  perSecond: number;
  /** Concurrent loops: as many as the server has database connections. */
  concurrency: number;
}

/** What runs beside the submissions during a phase. */
export type Phase = 'idle' | 'reads' | 'import';
const PHASE_LABEL: Record<Phase, string> = {
  idle: 'nothing beside them',
  reads: 'six worst-case reads beside them',
  import: 'CSV imports of 1,990 rows beside them, one after the other',
};

export interface PhaseResult {
  phase: Phase;
  connections: number;
  seconds: number;
  /** Submissions answered 201 (validated and stored). */
  stored: number;
  storedPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses other than 2xx, and their status codes. */
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Connection errors and timeouts (autocannon's errors, of which timeouts). */
  errors: number;
  timeouts: number;
  /** The reads or imports beside the submissions. */
  beside?: SideLoad;
  /** How long the server's event loop was held meanwhile (perf_hooks.monitorEventLoopDelay, bench/loop-probe.ts). */
  loop?: LoopProbeWindow;
  /** CPU time of the server process (all threads, incl. SQLite's) per stored submission, in ms (Linux only). */
  serverCpuMsPerSubmission?: number;
  /** Of which on the server's JavaScript thread (the rest: SQLite's or pg's I/O, the garbage collector). */
  serverMainThreadCpuMs?: number;
  /** CPU time of this benchmark process (autocannon building and sending the requests) per stored submission. */
  clientCpuMsPerSubmission?: number;
  /** The machine's 1-minute load average before and after the phase (other work skews every figure). */
  loadAverage: [number, number];
}

export interface DatabaseResult {
  database: BenchDatabase;
  /** Why this database was not measured. */
  skipped?: string;
  connections?: number;
  /** One run of the submissions per phase, one after the other on the same server. */
  phases?: PhaseResult[];
  /** Submissions answered 201 over all phases. */
  stored?: number;
  /** What the server logged at level error, when anything. */
  serverErrors?: string;
  /** Responses in the database afterwards; must equal `stored` plus the warm-up. */
  storedInDatabase?: number;
  /** answers rows per response, on average. */
  answerRowsPerResponse?: number;
  /** The same rows through a bare knex loop: responses + answers, one transaction each. */
  bareInsert?: LoopResult;
  /** The same rows through the server's storage path (responses repository insert, whatever it writes besides). */
  repositoryInsert?: LoopResult;
  /** The first phase's storedPerSecond / bareInsert.perSecond */
  ratioToBareInsert?: number;
}

export interface SideLoad {
  /** What ran beside the submissions, in loops: a comparison the tallies do not cover, or a CSV import. */
  request: string;
  loops: number;
  answered: number;
  /** Answered 429 (the viewer's turn limit, server/results/read-limits.ts). */
  refused: number;
  other: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SubmissionBenchReport {
  connections: number;
  durationSeconds: number;
  results: DatabaseResult[];
  /** The issue's target on SQLite: ≥ 500 validated submissions/s, p99 < 200 ms, no error. */
  sqliteTarget: { met: boolean; detail: string } | null;
}

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
const SQLITE_POOL = 1; // SQLite has one writer at a time: more loops would only wait for each other
const PG_POOL = 10;

export async function runSubmissionBench(options: SubmissionBenchOptions = {}): Promise<SubmissionBenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const connections = options.connections ?? 50;
  const durationSeconds = options.durationSeconds ?? 30;
  const baselineSeconds = options.baselineSeconds ?? 10;
  const databases = options.databases ?? ['sqlite', 'postgres'];
  const postgresUrl = options.postgresUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_PG;
  const readers = options.readers ?? 6;
  const phases = options.phases ?? ['idle', 'reads', 'import'];
  const instrument = quickscanInstrument();

  log(`Submissions over HTTP: autocannon, ${connections} clients, ${durationSeconds} s per phase (${phases.join(', ')}); bare insert loop ${baselineSeconds} s`);
  const results: DatabaseResult[] = [];
  for (const database of databases) {
    if (database === 'postgres' && !(await postgresReachable(postgresUrl))) {
      results.push({ database, skipped: `PostgreSQL does not answer at ${redactUrl(postgresUrl)}` });
      log(`  postgres: skipped (PostgreSQL does not answer at ${redactUrl(postgresUrl)})`);
      continue;
    }
    const result = await benchDatabase(database, { connections, durationSeconds, baselineSeconds, postgresUrl, instrument, profileDir: options.profileDir, readers, phases, log });
    results.push(result);
  }
  const sqlite = results.find((r) => r.database === 'sqlite' && !r.skipped);
  return { connections, durationSeconds, results, sqliteTarget: sqlite ? judgeTarget(sqlite) : null };
}

interface DatabaseRun {
  connections: number;
  durationSeconds: number;
  baselineSeconds: number;
  postgresUrl: string;
  instrument: InstrumentVersion;
  profileDir?: string;
  readers: number;
  phases: Phase[];
  log: (line: string) => void;
}

async function benchDatabase(database: BenchDatabase, run: DatabaseRun): Promise<DatabaseResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-bench-'));
  const pg = database === 'postgres' ? await createTempDatabase(run.postgresUrl, 'spiegel_bench') : null;
  let server: SpiegelProcess | null = null;
  try {
    const probeFile = path.join(dataDir, 'loop-probe.json');
    server = await startSpiegel({
      dataDir, databaseUrl: pg?.url ?? null, logLevel: 'error', env: { SPIEGEL_LOOP_PROBE: probeFile },
      nodeArgs: ['--require', path.join(__dirname, 'loop-probe.js'),
        ...(run.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(run.profileDir)}`, `--cpu-prof-name=server-${database}.cpuprofile`] : [])],
    });
    const bearer = await setupAndLogin(server);
    const wave = await createQuickscanWave(server.baseUrl, bearer, 'Belasting over HTTP');
    const bareWave = await createQuickscanWave(server.baseUrl, bearer, 'Kale insert-lus');
    const repositoryWave = await createQuickscanWave(server.baseUrl, bearer, 'Opslag via de repository');
    await warmUp(server.baseUrl, wave);

    const importWave = await createQuickscanWave(server.baseUrl, bearer, 'Import ernaast');
    const importRows = run.phases.includes('import') ? await importSource(server.baseUrl, bearer, await createQuickscanWave(server.baseUrl, bearer, 'Bron van de import')) : null;

    const phases: PhaseResult[] = [];
    for (const phase of run.phases) {
      run.log(`  ${database}: ${run.connections} clients for ${run.durationSeconds} s, ${PHASE_LABEL[phase]} ...`);
      resetLoopProbe(probeFile);
      await new Promise((resolve) => setTimeout(resolve, 400)); // the probe's next tick starts the window
      const loadBefore = os.loadavg()[0];
      const cpuBefore = processCpuSeconds(server.pid);
      const mainBefore = processCpuSeconds(server.pid, server.pid);
      const clientBefore = process.cpuUsage();
      const beside = phase === 'reads' ? readBeside(server.baseUrl, bearer, wave, run.readers)
        : phase === 'import' ? importBeside(server.baseUrl, bearer, importWave, importRows!) : null;
      const http = await driveSubmissions(server.baseUrl, wave, run.connections, run.durationSeconds);
      const side = beside ? await beside.stop() : undefined;
      const loop = readLoopProbe(probeFile) ?? undefined;
      const client = process.cpuUsage(clientBefore);
      const cpuAfter = processCpuSeconds(server.pid);
      const mainAfter = processCpuSeconds(server.pid, server.pid);
      const perSubmission = (before: number | null, after: number | null) => (before !== null && after !== null && http.stored > 0
        ? round(((after - before) * 1000) / http.stored, 2) : undefined);
      phases.push({
        phase, ...http, beside: side, loop,
        serverCpuMsPerSubmission: perSubmission(cpuBefore, cpuAfter),
        serverMainThreadCpuMs: perSubmission(mainBefore, mainAfter),
        clientCpuMsPerSubmission: http.stored > 0 ? round((client.user + client.system) / 1000 / http.stored, 2) : undefined,
        loadAverage: [round(loadBefore, 2), round(os.loadavg()[0], 2)],
      });
    }
    const serverErrors = server.output().split('\n').filter((line) => line.startsWith('{')).join('\n').slice(0, 4000) || undefined;
    await server.stop();
    server = null;

    const db = createDb({ databaseUrl: pg?.url ?? null, dataDir });
    try {
      const storedInDatabase = await countResponses(db, wave.id);
      const answerRows = await countAnswers(db, wave.id);
      const concurrency = database === 'sqlite' ? SQLITE_POOL : PG_POOL;
      const rows = preparedRows(run.instrument, 2000);
      run.log(`  ${database}: bare insert loop for ${run.baselineSeconds} s ...`);
      const bareInsert = await insertLoop(run.baselineSeconds, concurrency, rows, (row) => bareInsertOne(db, bareWave.id, row));
      run.log(`  ${database}: repository insert loop for ${run.baselineSeconds} s ...`);
      const repository = createResponseRepository(db);
      const repositoryInsert = await insertLoop(run.baselineSeconds, concurrency, rows, (row) => repository.insert({
        id: crypto.randomUUID(), waveId: repositoryWave.id, submissionId: crypto.randomUUID(), submittedOn: dayInNetherlands(),
        data: row.data, answers: row.answers,
      }).then(() => undefined));
      return {
        database, phases, storedInDatabase, serverErrors,
        stored: phases.reduce((n, p) => n + p.stored, 0), connections: run.connections,
        answerRowsPerResponse: storedInDatabase > 0 ? round(answerRows / storedInDatabase, 1) : 0,
        bareInsert, repositoryInsert,
        ratioToBareInsert: round((phases[0]?.storedPerSecond ?? 0) / bareInsert.perSecond, 3),
      };
    } finally {
      await db.destroy();
    }
  } finally {
    if (server) await server.kill();
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const WARM_UP = 20;
const WORST_READ = 'compare?by=c_collegas&filter=t6_belemmerd:4';

/**
 * `readers` loops of one viewer, each asking for a comparison the tallies do not cover
 * (the columnar copy, server/results/columns/, kept current under the submissions' seals)
 * until stopped: what a manager who opens six such views at once makes the server do.
 */
function readBeside(baseUrl: string, bearer: string, wave: SeededWave, readers: number) {
  return sideLoop(WORST_READ, readers, async () => {
    const res = await fetch(`${baseUrl}/api/v1/waves/${wave.id}/${WORST_READ}`, { headers: { authorization: `Bearer ${bearer}` } });
    await res.arrayBuffer();
    return res.status;
  });
}

const IMPORT_ROWS = 1990;

/**
 * A file of IMPORT_ROWS quickscan rows in the export's format: submitted to a wave of their
 * own, sealed (a read seals them), exported. Each import sends them in another order, so
 * that the file is new to the server (a file imported before is refused).
 */
async function importSource(baseUrl: string, bearer: string, source: SeededWave): Promise<{ header: string; rows: string[] }> {
  const random = seededRandom(1990);
  let next = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next < IMPORT_ROWS + 10) {
      next += 1;
      const res = await fetch(`${baseUrl}/s/${source.token}/responses`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ submissionId: crypto.randomUUID(), data: quickscanAnswers(random) }),
      });
      if (res.status !== 201) throw new Error(`a submission for the import answered ${res.status}: ${await res.text()}`);
    }
  }));
  // Closed, so every response is sealed and counted (results hold the newest batch back while a wave is open).
  const closed = await fetch(`${baseUrl}/api/v1/waves/${source.id}`, {
    method: 'PATCH', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'closed' }),
  });
  if (closed.status !== 200) throw new Error(`closing the source of the import answered ${closed.status}: ${await closed.text()}`);
  const res = await fetch(`${baseUrl}/api/v1/waves/${source.id}/export.csv?full=1`, { headers: { authorization: `Bearer ${bearer}` } });
  const lines = (await res.text()).split('\r\n').filter((line) => line !== '');
  if (res.status !== 200 || lines.length < IMPORT_ROWS + 1) throw new Error(`the export for the import answered ${res.status} with ${lines.length} lines`);
  return { header: lines[0], rows: lines.slice(1, IMPORT_ROWS + 1) };
}

/** One manager importing that file again and again (a fresh order each time) into a wave beside the load. */
function importBeside(baseUrl: string, bearer: string, target: SeededWave, file: { header: string; rows: string[] }) {
  const random = seededRandom(17);
  return sideLoop(`import of ${IMPORT_ROWS} rows`, 1, async () => {
    const rows = [...file.rows];
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const res = await fetch(`${baseUrl}/api/v1/waves/${target.id}/import`, {
      method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/csv' }, body: [file.header, ...rows].join('\r\n') + '\r\n',
    });
    const text = await res.text();
    if (res.status !== 200 && res.status !== 201 && res.status !== 429) throw new Error(`an import answered ${res.status}: ${text.slice(text.indexOf(`"errors"`), text.indexOf(`"errors"`) + 600)}`);
    return res.status === 201 ? 200 : res.status;
  });
}

/** `loops` loops of `once` until stopped; the latencies of those answered 200. */
function sideLoop(request: string, loops: number, once: () => Promise<number>) {
  let stopped = false;
  const latencies: number[] = [];
  let refused = 0;
  let other = 0;
  const running = Array.from({ length: loops }, async () => {
    while (!stopped) {
      const start = process.hrtime.bigint();
      const status = await once();
      if (status === 200) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      else if (status === 429) refused += 1;
      else other += 1;
    }
  });
  return {
    async stop(): Promise<SideLoad | undefined> {
      stopped = true;
      await Promise.all(running);
      if (loops === 0) return undefined;
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0, 1);
      return { request, loops, answered: sorted.length, refused, other, p50Ms: at(0.5), p99Ms: at(0.99) };
    },
  };
}

/** A few submissions first, so that the measurement does not include the first-request warm-up. */
async function warmUp(baseUrl: string, wave: SeededWave): Promise<void> {
  const random = seededRandom(99);
  for (let i = 0; i < WARM_UP; i++) {
    const res = await fetch(`${baseUrl}/s/${wave.token}/responses`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submissionId: crypto.randomUUID(), data: quickscanAnswers(random) }),
    });
    if (res.status !== 201) throw new Error(`warm-up submission answered ${res.status}: ${await res.text()}`);
  }
}

async function driveSubmissions(baseUrl: string, wave: SeededWave, connections: number, seconds: number) {
  const random = seededRandom(2026);
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [{
      method: 'POST',
      path: `/s/${wave.token}/responses`,
      headers: { 'content-type': 'application/json' },
      // Built for every request: a new submissionId and a new set of answers each time.
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ submissionId: crypto.randomUUID(), data: quickscanAnswers(random) }),
      }),
    }],
  });
  const statusCount = (code: string) => Number((result.statusCodeStats as Record<string, { count?: number }> | undefined)?.[code]?.count ?? 0);
  const stored = statusCount('201');
  const elapsed = result.duration; // seconds, as measured by autocannon
  return {
    connections, seconds: round(elapsed, 2), stored,
    storedPerSecond: round(stored / elapsed, 1),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean, 1) },
    non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, Number((v as { count?: number }).count ?? 0)])),
  };
}

type Prepared = Extract<PreparedResponse, { ok: true }>;

function quickscanInstrument(): InstrumentVersion {
  const file = loadInstrumentFiles(path.resolve(__dirname, '..', '..', 'surveys')).find((f) => f.key === 'tno-quickscan');
  if (!file) throw new Error('surveys/tno-quickscan.json is missing');
  return { id: 'bench', key: file.key, version: 1, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta } as InstrumentVersion;
}

/** The rows the server would store for generated submissions: validated and in long format. */
function preparedRows(instrument: InstrumentVersion, count: number): Prepared[] {
  const random = seededRandom(2026);
  const rows: Prepared[] = [];
  while (rows.length < count) {
    const prepared = prepareResponse(instrument, quickscanAnswers(random));
    if (!prepared.ok) throw new Error(`a generated submission does not validate: ${JSON.stringify(prepared.errors)}`);
    rows.push(prepared);
  }
  return rows;
}

const ANSWER_BATCH = 100; // as the responses repository batches them

/** The same transaction shape as a stored submission, without anything else: responses row + answers rows. */
async function bareInsertOne(db: Knex, waveId: string, row: Prepared): Promise<void> {
  await db.transaction(async (trx) => {
    const id = crypto.randomUUID();
    await trx('responses').insert({
      id, wave_id: waveId, invitation_id: null, submission_id: crypto.randomUUID(), submitted_on: dayInNetherlands(), data: JSON.stringify(row.data),
    });
    const answers = row.answers.map((a) => ({ response_id: id, wave_id: waveId, question: a.question, row: a.row, value: a.value, text: a.text }));
    for (let i = 0; i < answers.length; i += ANSWER_BATCH) await trx('answers').insert(answers.slice(i, i + ANSWER_BATCH));
  });
}

async function insertLoop(seconds: number, concurrency: number, rows: Prepared[], insert: (row: Prepared) => Promise<void>): Promise<LoopResult> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      await insert(rows[next++ % rows.length]);
      done++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { responses: done, seconds: round(elapsed, 2), perSecond: round(done / elapsed, 1), concurrency };
}

/** Stored means on disk: sealed, or still pending (server/sealing/), as a 201 promises. */
async function countResponses(db: Knex, waveId: string): Promise<number> {
  let n = 0;
  for (const table of ['responses', 'pending_responses']) {
    const row = await db(table).where({ wave_id: waveId }).count({ n: '*' }).first();
    n += Number(row?.n ?? 0);
  }
  return n;
}

async function countAnswers(db: Knex, waveId: string): Promise<number> {
  const row = await db('answers').where({ wave_id: waveId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** User + system CPU seconds of a process (or one of its threads) so far, from /proc (null elsewhere). */
function processCpuSeconds(pid: number, thread?: number): number | null {
  try {
    const file = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return null;
  }
}

function judgeTarget(r: DatabaseResult): { met: boolean; detail: string } {
  const problems: string[] = [];
  for (const p of r.phases ?? []) {
    const where = PHASE_LABEL[p.phase];
    if (p.phase === 'idle' && p.storedPerSecond < 500) problems.push(`${where}: ${p.storedPerSecond}/s < 500/s`);
    if (p.latencyMs.p99 >= 200) problems.push(`${where}: p99 ${p.latencyMs.p99} ms ≥ 200 ms`);
    if (p.non2xx > 0 || p.errors > 0) problems.push(`${where}: ${p.non2xx} non-2xx, ${p.errors} errors`);
  }
  // Stored: the acknowledged ones and the warm-up's, plus at most one per client and phase
  // that was still waiting for its answer when a phase ended.
  const acknowledged = (r.stored ?? 0) + WARM_UP;
  const inDb = r.storedInDatabase ?? 0;
  if (inDb < acknowledged || inDb > acknowledged + (r.connections ?? 0) * (r.phases?.length ?? 1)) problems.push(`${inDb} responses stored for ${acknowledged} acknowledged`);
  return { met: problems.length === 0, detail: problems.length === 0 ? '≥ 500/s, p99 < 200 ms in every phase, no error' : problems.join('; ') };
}

export function formatSubmissionReport(report: SubmissionBenchReport): string {
  const lines = [
    `Submissions over HTTP (${report.connections} clients, ${report.durationSeconds} s per phase, one phase after the other on one server)`,
    pad(['database', 'beside them', 'stored/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'loop p99/max ms', 'loop busy', 'beside: done', 'p50 ms', 'p99 ms', '429', 'load', 'cpu ms: server (js)']),
  ];
  for (const r of report.results) {
    if (r.skipped) {
      lines.push(`${r.database.padEnd(10)}skipped: ${r.skipped}`);
      continue;
    }
    for (const p of r.phases ?? []) {
      lines.push(pad([r.database, p.phase, p.storedPerSecond, p.latencyMs.p50, p.latencyMs.p99, p.latencyMs.max, p.non2xx + p.errors,
        p.loop ? `${p.loop.p99}/${p.loop.max}` : '', p.loop?.utilisation, p.beside?.answered ?? '', p.beside?.p50Ms ?? '', p.beside?.p99Ms ?? '', p.beside?.refused ?? '',
        p.loadAverage.join('→'), `${p.serverCpuMsPerSubmission} (${p.serverMainThreadCpuMs})`]));
    }
    const first = r.phases?.[0];
    const idle = r.phases?.find((p) => p.phase === 'idle');
    const ratios = (r.phases ?? []).filter((p) => p !== idle && idle).map((p) => `${p.phase} ${round(p.latencyMs.p99 / Math.max(1, idle!.latencyMs.p99), 2)}×`);
    lines.push(`${r.database}: bare insert loop ${r.bareInsert?.perSecond}/s, repository insert ${r.repositoryInsert?.perSecond}/s, `
      + `${first?.phase} rate / bare insert ${r.ratioToBareInsert}; in db ${r.storedInDatabase}/${(r.stored ?? 0) + WARM_UP}`
      + (ratios.length > 0 ? `; submissions' p99 against idle: ${ratios.join(', ')}` : ''));
  }
  lines.push(`(beside them: idle = nothing; reads = ${report.results.find((r) => r.phases?.some((p) => p.phase === 'reads'))?.phases?.find((p) => p.phase === 'reads')?.beside?.loops ?? 6} loops of one viewer asking GET …/${WORST_READ};`);
  lines.push(` import = one manager importing a ${IMPORT_ROWS}-row CSV (POST …/import) again and again into another wave; "beside: done" and its p50/p99: those answered, their latency;`);
  lines.push(' loop: the server\'s event-loop delay p99/max and the share of time its loop was busy (bench/loop-probe.ts);');
  lines.push(` load: the machine's 1-minute load average before→after the phase, on ${os.cpus().length} CPUs; cpu ms: CPU per stored submission of the server, all threads (its JavaScript thread);`);
  lines.push(' bare insert: responses + answers rows in one transaction per response, as many loops as the server has database connections)');
  for (const r of report.results) {
    for (const p of r.phases ?? []) {
      const other = Object.entries(p.statusCodes).filter(([code]) => !code.startsWith('2'));
      if (other.length > 0) lines.push(`${r.database}, ${p.phase}: status codes other than 2xx: ${other.map(([c, n]) => `${n} × ${c}`).join(', ')}`);
      if (p.beside && p.beside.other > 0) lines.push(`${r.database}, ${p.phase}: ${p.beside.other} of the requests beside them answered other than 200/429`);
    }
    if (r.serverErrors) lines.push(`${r.database}: the server logged:\n${r.serverErrors}`);
  }
  if (report.sqliteTarget) lines.push(`SQLite target (≥ 500/s, p99 < 200 ms, no error): ${report.sqliteTarget.met ? 'met' : 'MISSED'}: ${report.sqliteTarget.detail}`);
  return lines.join('\n');
}

function pad(cells: unknown[]): string {
  const widths = [9, 7, 9, 7, 7, 7, 8, 16, 10, 13, 8, 8, 5, 12, 20];
  return cells.map((c, i) => (i < 2 ? String(c ?? '').padEnd(widths[i]) : String(c ?? '').padStart(widths[i] ?? 9))).join(' ');
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const number = (name: string) => (argValue(args, name) === undefined ? undefined : Number(argValue(args, name)));
  runSubmissionBench({
    connections: number('--connections'),
    durationSeconds: number('--duration'),
    baselineSeconds: number('--baseline'),
    databases: args.includes('--sqlite-only') ? ['sqlite'] : args.includes('--postgres-only') ? ['postgres'] : undefined,
    profileDir: argValue(args, '--profile'),
    readers: number('--readers'),
    phases: argValue(args, '--phases')?.split(',') as Phase[] | undefined,
  }).then(
    (report) => {
      console.log(formatSubmissionReport(report));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
