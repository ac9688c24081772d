// How long local suppression holds the event loop: the plan is made synchronously from the
// counts per combination of background answers, so its cost grows with the number of
// distinct combinations. Two shapes of a TNO-like wave: realistic (a few sectors common),
// and the worst case, every respondent ticking random sectors out of eleven (up to 86,016
// combinations), which a flood of made-up answers could produce.
import { combinationKey, planSuppression } from '../server/csv/k-anonymity';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

function wave(rows: number, worst: boolean): Map<string, number> {
  const next = seeded(rows + (worst ? 1 : 0));
  const counts = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const professional = worst || next() < 0.5;
    const sectors = professional ? Array.from({ length: 11 }, (_, j) => `s${j}`).filter((_, j) => next() < (worst ? 0.5 : j < 3 ? 0.4 : 0.08)) : [];
    const key = combinationKey([professional ? 'professional' : 'student', professional ? JSON.stringify(sectors) : '',
      worst || !professional ? `i${Math.floor(next() * 7)}` : '', worst || !professional ? `v${Math.floor(next() * 3)}` : '', next() < 0.4 ? 'ja' : 'nee']);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function kAnonymityBenchReport(): Promise<string> {
  const lines = ['rows     shape      combinations  ms     values blanked'];
  for (const worst of [false, true]) {
    for (const rows of [1_000, 10_000, 100_000]) {
      const counts = wave(rows, worst);
      const start = process.hrtime.bigint();
      const plan = planSuppression(counts, 5, 5);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      lines.push(`${String(rows).padEnd(8)} ${(worst ? 'worst' : 'realistic').padEnd(10)} ${String(counts.size).padEnd(13)} ${ms.toFixed(0).padEnd(6)} ${plan.counts.reduce((a, b) => a + b, 0)}`);
    }
  }
  return lines.join('\n');
}
