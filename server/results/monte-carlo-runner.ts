// Where a Monte Carlo p needs more than the first 10,000 tables (it lies within a few
// standard errors of α), the rest is simulated off the event loop, in one worker thread
// shared by the process, so that a compare page that needs 1,000,000 tables for one item
// does not hold up other requests. One worker: the machine has few cores, and the jobs
// are rare (an item whose verdict hangs on the simulation).
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MonteCarloResult } from '../stats';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: MonteCarloResult) => void; reject: (e: Error) => void }>();

function theWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(path.join(__dirname, 'monte-carlo-worker.js'));
  started.unref(); // an idle worker never keeps the process alive
  started.on('message', (message: { id: number; result?: MonteCarloResult; error?: string }) => {
    const job = pending.get(message.id);
    if (!job) return;
    pending.delete(message.id);
    if (message.result) job.resolve(message.result);
    else job.reject(new Error(message.error ?? 'Monte Carlo worker failed'));
  });
  const fail = (error: Error) => {
    worker = null;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => { if (worker === started) fail(new Error(`Monte Carlo worker exited with ${code}`)); });
  worker = started;
  return started;
}

/** How long one job may take: 10^6 tables of a 7×5 table take about 5 s idle and 13 s under load. */
export const MONTE_CARLO_TIMEOUT_MS = 60_000;

export class MonteCarloTimeoutError extends Error {
  constructor(ms: number) {
    super(`Monte Carlo job took longer than ${ms} ms`);
    this.name = 'MonteCarloTimeoutError';
  }
}

/**
 * adaptiveMonteCarloChiSquare(table, seed, alpha) in the worker thread. A job that takes
 * longer than timeoutMs is given up: the worker is stopped (a new one starts for the next
 * job) and the promise rejects with MonteCarloTimeoutError, so a request never waits on a
 * worker that hangs.
 */
export function adaptiveMonteCarloOffThread(
  table: number[][], seed: number, alpha: number, timeoutMs = MONTE_CARLO_TIMEOUT_MS,
): Promise<MonteCarloResult> {
  // The same table, seed and α give the same result: one viewer's six tabs of one
  // comparison, or a page and its CSV, share one simulation (in flight or done) rather
  // than queueing six in the one worker.
  const key = JSON.stringify([table, seed, alpha]);
  const known = results.get(key);
  if (known) {
    results.delete(key);
    results.set(key, known); // most recently used last
    return known;
  }
  const job = runJob(table, seed, alpha, timeoutMs);
  results.set(key, job);
  if (results.size > REMEMBERED) results.delete(results.keys().next().value!);
  job.catch(() => { if (results.get(key) === job) results.delete(key); });
  return job;
}

/** Simulations remembered (their promises), least recently used first. */
const results = new Map<string, Promise<MonteCarloResult>>();
const REMEMBERED = 200;

/** Jobs sent to the worker so far (tests). */
export function monteCarloJobsSent(): number {
  return nextId - 1;
}

function runJob(table: number[][], seed: number, alpha: number, timeoutMs: number): Promise<MonteCarloResult> {
  const id = nextId++;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<MonteCarloResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const w = theWorker();
    w.ref(); // keep the process alive while a job is out
    timer = setTimeout(() => {
      // Stopping the worker fails every job it holds; this one says why.
      pending.delete(id);
      reject(new MonteCarloTimeoutError(timeoutMs));
      if (worker === w) {
        worker = null;
        for (const job of pending.values()) job.reject(new MonteCarloTimeoutError(timeoutMs));
        pending.clear();
        void w.terminate();
      }
    }, timeoutMs);
    w.postMessage({ id, table, seed, alpha });
  }).finally(() => {
    clearTimeout(timer);
    if (pending.size === 0) worker?.unref();
  });
}
