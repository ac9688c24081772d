// Runs the adaptive Monte Carlo test (server/stats, pure) in a worker thread: at
// 1,000,000 tables a 7×5 table takes ~5 s of CPU, which on the main thread would stall
// every other request of the process for that long.
import os from 'node:os';
import { isMainThread, parentPort } from 'node:worker_threads';
import { adaptiveMonteCarloChiSquare } from '../stats';

// Off the event loop is not enough on a machine of two cores: the simulation took a whole
// core from the main thread and SQLite's threads, and submissions waited for CPU while
// six comparisons were read (bench/submissions.ts). On Linux each thread has a priority of
// its own and this lowers this thread's only (setpriority on the calling thread): the
// simulation gets what the rest of the process leaves. Not the lowest (19): on a host
// busy with other work that starved the simulation past its 60 s limit; at 10 the main
// thread still weighs nine times as much. Elsewhere (or not permitted) it runs at the
// process's priority, as before.
export const WORKER_NICE = 10;
if (!isMainThread) {
  try {
    os.setPriority(WORKER_NICE);
  } catch {
    // Not permitted or not supported: the process's priority.
  }
}

interface Job { id: number; table: number[][]; seed: number; alpha: number }

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, result: adaptiveMonteCarloChiSquare(job.table, job.seed, job.alpha) });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message });
  }
});
