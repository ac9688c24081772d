import fs from 'node:fs';
import { expect } from 'chai';
import { adaptiveMonteCarloChiSquare } from '../../server/stats';
import { MonteCarloTimeoutError, adaptiveMonteCarloOffThread, monteCarloJobsSent } from '../../server/results/monte-carlo-runner';
import { WORKER_NICE } from '../../server/results/monte-carlo-worker';

describe('the Monte Carlo test off the event loop', () => {
  // A 5×5 table whose simulated p (≈ 0.0514 at 10,000 tables) lies within three standard
  // errors of 0.05: it is simulated up to 1,000,000 tables, ~1.7 s of CPU on the 2-core machine.
  const table = [[4, 2, 0, 2, 1], [0, 0, 3, 2, 4], [3, 1, 2, 0, 3], [1, 1, 3, 2, 3], [0, 2, 0, 0, 0]];

  it('keeps the event loop free while a table is simulated 1,000,000 times, and gives the same p as in-thread', async () => {
    let last = Date.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = Date.now();
    const offThread = await adaptiveMonteCarloOffThread(table, 11, 0.05);
    const took = Date.now() - started;
    clearInterval(timer);
    expect(offThread.replicates).to.equal(1_000_000);
    expect(took).to.be.greaterThan(300);
    // In-thread the same job would block the loop for its whole duration (`took`, 1.7 s idle).
    // Off-thread the longest gap was 30-150 ms idle and up to ~340 ms with other test runs on
    // both cores (the timer itself then waits for the CPU): a third of the job is the bound.
    expect(longestGap).to.be.below(took / 3);
    expect(adaptiveMonteCarloChiSquare(table, 11, 0.05)).to.deep.equal(offThread);
  });

  it('gives up a job that takes longer than its timeout, stops the worker, and serves the next job with a new one', async () => {
    const started = Date.now();
    // Another seed than above: a result simulated before is remembered, not simulated again.
    const late = await adaptiveMonteCarloOffThread(table, 12, 0.05, 50).then(() => null, (err: unknown) => err);
    expect(late).to.be.instanceOf(MonteCarloTimeoutError);
    expect(Date.now() - started).to.be.below(1_000); // not the seconds the job would take
    const next = await adaptiveMonteCarloOffThread([[12, 3], [4, 11]], 7, 0.05);
    expect(next.replicates).to.be.greaterThan(0);
  });

  it('simulates a table asked for twice at once (six tabs of one comparison) once, and remembers it', async () => {
    const before = monteCarloJobsSent();
    const [a, b] = await Promise.all([adaptiveMonteCarloOffThread([[13, 3], [4, 11]], 99, 0.05), adaptiveMonteCarloOffThread([[13, 3], [4, 11]], 99, 0.05)]);
    const c = await adaptiveMonteCarloOffThread([[13, 3], [4, 11]], 99, 0.05);
    expect(monteCarloJobsSent() - before).to.equal(1);
    expect(b).to.deep.equal(a);
    expect(c).to.deep.equal(a);
    expect(a).to.deep.equal(adaptiveMonteCarloChiSquare([[13, 3], [4, 11]], 99, 0.05));
  });

  it('runs the simulation in a thread of lower priority, the main thread keeping its own (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    await adaptiveMonteCarloOffThread([[14, 3], [4, 11]], 5, 0.05);
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
    const nice = (tid: string) => Number(fs.readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const threads = fs.readdirSync(`/proc/${process.pid}/task`);
    expect(nice(String(process.pid))).to.not.equal(WORKER_NICE);
    expect(threads.map(nice)).to.include(WORKER_NICE);
  });
});
