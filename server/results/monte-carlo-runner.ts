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

/** adaptiveMonteCarloChiSquare(table, seed, alpha) in the worker thread. */
export function adaptiveMonteCarloOffThread(table: number[][], seed: number, alpha: number): Promise<MonteCarloResult> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const w = theWorker();
    w.ref(); // keep the process alive while a job is out
    w.postMessage({ id, table, seed, alpha });
  }).finally(() => { if (pending.size === 0) worker?.unref(); }) as Promise<MonteCarloResult>;
}
