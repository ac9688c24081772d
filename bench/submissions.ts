// Submissions under load: valid TNO quickscan answers, each with a fresh submissionId, sent
// over HTTP by autocannon to a real Spiegel process (node dist/server/index.js) on SQLite
// and, when it answers, on PostgreSQL. Reports validated submissions per second, latency and
// errors, and compares with a bare knex insert loop of the same rows measured in the same run.
//
//   npm run build && node dist/bench/submissions.js [--duration 30] [--connections 50]
//       [--baseline 10] [--sqlite-only | --postgres-only] [--profile DIR]
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
  log?: (line: string) => void;
}

export interface LoopResult {
  responses: number;
  seconds: number;
  perSecond: number;
  /** Concurrent loops: as many as the server has database connections. */
  concurrency: number;
}

export interface DatabaseResult {
  database: BenchDatabase;
  /** Why this database was not measured. */
  skipped?: string;
  connections?: number;
  seconds?: number;
  /** Submissions answered 201 (validated and stored). */
  stored?: number;
  storedPerSecond?: number;
  latencyMs?: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses other than 2xx, and their status codes. */
  non2xx?: number;
  statusCodes?: Record<string, number>;
  /** What the server logged at level error, when anything. */
  serverErrors?: string;
  /** Connection errors and timeouts (autocannon's errors, of which timeouts). */
  errors?: number;
  timeouts?: number;
  /** Responses in the database afterwards; must equal `stored`. */
  storedInDatabase?: number;
  /** answers rows per response, on average. */
  answerRowsPerResponse?: number;
  /** The same rows through a bare knex loop: responses + answers, one transaction each. */
  bareInsert?: LoopResult;
  /** The same rows through the server's storage path (responses repository insert, whatever it writes besides). */
  repositoryInsert?: LoopResult;
  /** storedPerSecond / bareInsert.perSecond */
  ratioToBareInsert?: number;
  /** CPU time of the server process (all threads, incl. SQLite's) per stored submission, in ms (Linux only). */
  serverCpuMsPerSubmission?: number;
  /** Of which on the server's JavaScript thread (the rest: SQLite's or pg's I/O, the garbage collector). */
  serverMainThreadCpuMs?: number;
  /** CPU time of this benchmark process (autocannon building and sending the requests) per stored submission. */
  clientCpuMsPerSubmission?: number;
  /** The machine's 1-minute load average before and after the HTTP run (other work skews every figure). */
  loadAverage?: [number, number];
  /** The worst-case reads run beside the submissions (readReads). */
  reads?: ReadsBeside;
}

export interface ReadsBeside {
  readers: number;
  /** What each reader asked, in a loop: a comparison the tallies do not cover. */
  request: string;
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
  const instrument = quickscanInstrument();

  log(`Submissions over HTTP: autocannon, ${connections} clients, ${durationSeconds} s per database; bare insert loop ${baselineSeconds} s`);
  const results: DatabaseResult[] = [];
  for (const database of databases) {
    if (database === 'postgres' && !(await postgresReachable(postgresUrl))) {
      results.push({ database, skipped: `PostgreSQL does not answer at ${redactUrl(postgresUrl)}` });
      log(`  postgres: skipped (PostgreSQL does not answer at ${redactUrl(postgresUrl)})`);
      continue;
    }
    const result = await benchDatabase(database, { connections, durationSeconds, baselineSeconds, postgresUrl, instrument, profileDir: options.profileDir, readers, log });
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
  log: (line: string) => void;
}

async function benchDatabase(database: BenchDatabase, run: DatabaseRun): Promise<DatabaseResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-bench-'));
  const pg = database === 'postgres' ? await createTempDatabase(run.postgresUrl, 'spiegel_bench') : null;
  let server: SpiegelProcess | null = null;
  try {
    server = await startSpiegel({
      dataDir, databaseUrl: pg?.url ?? null, logLevel: 'error',
      nodeArgs: run.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(run.profileDir)}`, `--cpu-prof-name=server-${database}.cpuprofile`] : [],
    });
    const bearer = await setupAndLogin(server);
    const wave = await createQuickscanWave(server.baseUrl, bearer, 'Belasting over HTTP');
    const bareWave = await createQuickscanWave(server.baseUrl, bearer, 'Kale insert-lus');
    const repositoryWave = await createQuickscanWave(server.baseUrl, bearer, 'Opslag via de repository');
    await warmUp(server.baseUrl, wave);

    run.log(`  ${database}: ${run.connections} clients for ${run.durationSeconds} s ...`);
    const loadBefore = os.loadavg()[0];
    const cpuBefore = processCpuSeconds(server.pid);
    const mainBefore = processCpuSeconds(server.pid, server.pid);
    const clientBefore = process.cpuUsage();
    const reading = readBeside(server.baseUrl, bearer, wave, run.readers);
    const http = await driveSubmissions(server.baseUrl, wave, run.connections, run.durationSeconds);
    const reads = await reading.stop();
    const client = process.cpuUsage(clientBefore);
    const cpuAfter = processCpuSeconds(server.pid);
    const mainAfter = processCpuSeconds(server.pid, server.pid);
    const perSubmission = (before: number | null, after: number | null) => (before !== null && after !== null && http.stored > 0
      ? round(((after - before) * 1000) / http.stored, 2) : undefined);
    const serverCpuMsPerSubmission = perSubmission(cpuBefore, cpuAfter);
    const serverMainThreadCpuMs = perSubmission(mainBefore, mainAfter);
    const clientCpuMsPerSubmission = http.stored > 0 ? round((client.user + client.system) / 1000 / http.stored, 2) : undefined;
    const loadAverage: [number, number] = [round(loadBefore, 2), round(os.loadavg()[0], 2)];
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
        database, ...http, reads, storedInDatabase, loadAverage, serverErrors, serverCpuMsPerSubmission, serverMainThreadCpuMs, clientCpuMsPerSubmission,
        answerRowsPerResponse: storedInDatabase > 0 ? round(answerRows / storedInDatabase, 1) : 0,
        bareInsert, repositoryInsert,
        ratioToBareInsert: round((http.storedPerSecond ?? 0) / bareInsert.perSecond, 3),
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
  let stopped = false;
  const latencies: number[] = [];
  let refused = 0;
  let other = 0;
  const loops = Array.from({ length: readers }, async () => {
    while (!stopped) {
      const start = process.hrtime.bigint();
      const res = await fetch(`${baseUrl}/api/v1/waves/${wave.id}/${WORST_READ}`, { headers: { authorization: `Bearer ${bearer}` } });
      await res.arrayBuffer();
      if (res.status === 200) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      else if (res.status === 429) refused += 1;
      else other += 1;
    }
  });
  return {
    async stop(): Promise<ReadsBeside | undefined> {
      stopped = true;
      await Promise.all(loops);
      if (readers === 0) return undefined;
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0, 1);
      return { readers, request: WORST_READ, answered: sorted.length, refused, other, p50Ms: at(0.5), p99Ms: at(0.99) };
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
  if ((r.storedPerSecond ?? 0) < 500) problems.push(`${r.storedPerSecond}/s < 500/s`);
  if ((r.latencyMs?.p99 ?? Infinity) >= 200) problems.push(`p99 ${r.latencyMs?.p99} ms ≥ 200 ms`);
  if ((r.non2xx ?? 0) > 0 || (r.errors ?? 0) > 0) problems.push(`${r.non2xx} non-2xx, ${r.errors} errors`);
  // Stored: the acknowledged ones and the warm-up's, plus at most one per client that was
  // still waiting for its answer when the run ended.
  const acknowledged = (r.stored ?? 0) + WARM_UP;
  const inDb = r.storedInDatabase ?? 0;
  if (inDb < acknowledged || inDb > acknowledged + (r.connections ?? 0)) problems.push(`${inDb} responses stored for ${acknowledged} acknowledged`);
  return { met: problems.length === 0, detail: problems.length === 0 ? '≥ 500/s, p99 < 200 ms, no error' : problems.join('; ') };
}

export function formatSubmissionReport(report: SubmissionBenchReport): string {
  const lines = [
    `Submissions over HTTP (${report.connections} clients, ${report.durationSeconds} s)`,
    pad(['database', 'stored/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'bare insert/s', 'ratio', 'repo insert/s', 'in db', 'load', 'cpu ms: server (js) / client']),
  ];
  for (const r of report.results) {
    if (r.skipped) {
      lines.push(`${r.database.padEnd(10)}skipped: ${r.skipped}`);
      continue;
    }
    lines.push(pad([r.database, r.storedPerSecond, r.latencyMs?.p50, r.latencyMs?.p90, r.latencyMs?.p99, r.latencyMs?.max, r.non2xx, r.errors,
      r.bareInsert?.perSecond, r.ratioToBareInsert, r.repositoryInsert?.perSecond, `${r.storedInDatabase}/${(r.stored ?? 0) + WARM_UP}`,
      r.loadAverage?.join('→'), `${r.serverCpuMsPerSubmission} (${r.serverMainThreadCpuMs}) / ${r.clientCpuMsPerSubmission}`]));
  }
  lines.push('(bare insert: responses + answers rows in one transaction per response, as many loops as the server has database connections;');
  lines.push(' repo insert: the same rows through the server\'s responses repository; "in db": stored/acknowledged incl. 20 warm-up submissions;');
  lines.push(` load: the machine's 1-minute load average before→after the HTTP run, on ${os.cpus().length} CPUs;`);
  lines.push(' cpu ms: CPU time per stored submission of the server process, all threads (of which its JavaScript thread),');
  lines.push(' and of this process, which builds and sends the requests; the two share the machine\'s CPUs)');
  for (const r of report.results) {
    if (!r.reads) continue;
    lines.push(`${r.database}: beside them ${r.reads.readers} concurrent reads by one viewer (GET …/${r.reads.request}): ${r.reads.answered} answered, `
      + `p50 ${r.reads.p50Ms} ms, p99 ${r.reads.p99Ms} ms; ${r.reads.refused} × 429, ${r.reads.other} other; submissions' p99 above: ${r.latencyMs?.p99} ms`);
  }
  for (const r of report.results) {
    const other = Object.entries(r.statusCodes ?? {}).filter(([code]) => !code.startsWith('2'));
    if (other.length > 0) lines.push(`${r.database}: status codes other than 2xx: ${other.map(([c, n]) => `${n} × ${c}`).join(', ')}`);
    if (r.serverErrors) lines.push(`${r.database}: the server logged:\n${r.serverErrors}`);
  }
  if (report.sqliteTarget) lines.push(`SQLite target (≥ 500/s, p99 < 200 ms, no error): ${report.sqliteTarget.met ? 'met' : 'MISSED'}: ${report.sqliteTarget.detail}`);
  return lines.join('\n');
}

function pad(cells: unknown[]): string {
  return cells.map((c, i) => (i === 0 ? String(c ?? '').padEnd(10) : String(c ?? '').padStart(i === 8 || i === 10 ? 14 : i === 12 ? 11 : i === 13 ? 26 : 9))).join(' ');
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
