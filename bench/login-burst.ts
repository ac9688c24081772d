// Respondents during a burst of wrong logins: a real Spiegel process on SQLite, first quiet,
// then with 24 clients (each from an address of its own, through TRUST_PROXY) sending wrong
// passwords as fast as they are answered. Reports the latency of survey pages and
// submissions in both phases and how the logins were answered (401, or 503 when every hash
// slot and its queue are taken: server/auth/passwords.ts).
//
//   npm run build && node dist/bench/login-burst.js [--clients 24] [--samples 30]
//
// Also called from bench/run.ts. A benchmark reports; it never fails a test.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSpiegel } from '../test/helpers/spiegel-process';
import { createQuickscanWave, setupAndLogin } from '../test/helpers/api-client';
import { quickscanAnswers, seededRandom } from '../test/helpers/quickscan-stream';

export interface LoginBurstReport {
  clients: number;
  quiet: Latencies;
  burst: Latencies;
  logins: Record<string, number>;
}

interface Latencies { page: number[]; submission: number[] }

async function timed(work: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await work();
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`respondent request answered ${res.status}`);
  return performance.now() - started;
}

async function sample(baseUrl: string, token: string, samples: number, random: () => number): Promise<Latencies> {
  const result: Latencies = { page: [], submission: [] };
  for (let i = 0; i < samples; i++) {
    result.page.push(await timed(() => fetch(`${baseUrl}/s/${token}`)));
    result.submission.push(await timed(() => fetch(`${baseUrl}/s/${token}/responses`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submissionId: crypto.randomUUID(), data: quickscanAnswers(random) }),
    })));
  }
  return result;
}

export async function runLoginBurstBench({ clients = 24, samples = 30 } = {}): Promise<LoginBurstReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-login-burst-'));
  const server = await startSpiegel({ dataDir, env: { TRUST_PROXY: 'true' } });
  try {
    const wave = await createQuickscanWave(server.baseUrl, await setupAndLogin(server));
    const random = seededRandom(7);
    const quiet = await sample(server.baseUrl, wave.token, samples, random);
    const logins: Record<string, number> = Object.create(null) as Record<string, number>;
    let stop = false;
    const attackers = Array.from({ length: clients }, async (_, client) => {
      // 40 tries per address: under the 50 that one address may make in 10 minutes.
      for (let i = 0; i < 40 && !stop; i++) {
        const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${client + 1}` },
          body: JSON.stringify({ email: `raden${client}-${i}@opvang.test`, password: `fout-${i}` }),
        });
        await res.arrayBuffer();
        logins[res.status] = (logins[res.status] ?? 0) + 1;
      }
    });
    const burst = await sample(server.baseUrl, wave.token, samples, random);
    stop = true;
    await Promise.all(attackers);
    return { clients, quiet, burst, logins };
  } finally {
    await server.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (values: number[]) => `median ${quantile(values, 0.5).toFixed(0)} ms, p90 ${quantile(values, 0.9).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

export function formatLoginBurstReport(report: LoginBurstReport): string {
  return [
    `quiet:  survey page ${ms(report.quiet.page)}; submission ${ms(report.quiet.submission)}`,
    `burst of ${report.clients} clients with wrong passwords:`,
    `        survey page ${ms(report.burst.page)}; submission ${ms(report.burst.submission)}`,
    `logins answered: ${Object.entries(report.logins).map(([status, n]) => `${n} × ${status}`).join(', ')}`,
  ].join('\n');
}

if (require.main === module) {
  const option = (name: string, fallback: number) => {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
  };
  runLoginBurstBench({ clients: option('clients', 24), samples: option('samples', 30) })
    .then((report) => console.log(formatLoginBurstReport(report)))
    .catch((err) => { console.error(err); process.exit(1); });
}
