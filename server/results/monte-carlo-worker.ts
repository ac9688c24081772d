// Runs the adaptive Monte Carlo test (server/stats, pure) in a worker thread: at
// 1,000,000 tables a 7×5 table takes ~5 s of CPU, which on the main thread would stall
// every other request of the process for that long.
import { parentPort } from 'node:worker_threads';
import { adaptiveMonteCarloChiSquare } from '../stats';

interface Job { id: number; table: number[][]; seed: number; alpha: number }

parentPort?.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, result: adaptiveMonteCarloChiSquare(job.table, job.seed, job.alpha) });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).message });
  }
});
