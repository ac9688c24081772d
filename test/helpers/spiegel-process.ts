// A real Spiegel server in a process of its own (`node dist/server/index.js`), for tests and
// benchmarks that must kill it, restart it or run two of it. Needs `npm run build` first.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SERVER_ENTRY = path.resolve(__dirname, '..', '..', 'server', 'index.js');
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const TEST_JWT_SECRET = 'spiegel-process-test-secret-0123456789abcdef';

export interface SpiegelProcessOptions {
  dataDir: string;
  /** PostgreSQL instead of SQLite. */
  databaseUrl?: string | null;
  /** 0 (the default) lets the system choose a free port. */
  port?: number;
  logLevel?: string;
  /** Extra environment, e.g. TRUST_PROXY or PUBLIC_URL. */
  env?: Record<string, string>;
  /** Node options for the server, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** Run the server as another user (a test that needs an unprivileged process while run as root). */
  uid?: number;
  gid?: number;
  startTimeoutMs?: number;
}

export interface SpiegelProcess {
  baseUrl: string;
  dataDir: string;
  /** The one-time setup code the server keeps in DATA_DIR/setup-code until setup is done. */
  setupCode(): string;
  port: number;
  pid: number;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for the process to end (a graceful stop). */
  stop(): Promise<void>;
  /** SIGKILL: the process ends at once, in the middle of whatever it was doing. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

function spawnSpiegel(options: SpiegelProcessOptions) {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run "npm run build" first`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    DATA_DIR: options.dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: options.logLevel ?? 'silent',
    // Tests send many responses from one address; the limit itself is tested in public-link-limit.test.ts.
    PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '1000000',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  });
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
    cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], uid: options.uid, gid: options.gid,
  });
  let output = '';
  // Kept bounded: a long benchmark with request logging must not grow the test's memory.
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-200_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/**
 * A start that is expected to fail: resolves with the exit code and what the process said.
 * A server that starts all the same is stopped (SIGTERM) and its code returned, so the
 * test fails on its assertions rather than on a timeout.
 */
export async function runSpiegelToExit(options: SpiegelProcessOptions): Promise<{ code: number | null; output: string; listened: boolean }> {
  const { child, exited, output } = spawnSpiegel(options);
  let listened = false;
  const onData = () => {
    if (!listened && /Spiegel draait op/.test(output())) {
      listened = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout!.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.startTimeoutMs ?? 30000);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output(), listened };
}

export async function startSpiegel(options: SpiegelProcessOptions): Promise<SpiegelProcess> {
  const spawned = spawnSpiegel(options);
  const { child, exited } = spawned;
  const output = spawned.output;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Spiegel did not start within ${options.startTimeoutMs ?? 30000} ms:\n${output()}`));
    }, options.startTimeoutMs ?? 30000);
    const onData = () => {
      const match = /Spiegel draait op http:\/\/[^/]+:(\d+)\//.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Spiegel ended during start with code ${code} (signal ${child.signalCode}):\n${output()}`));
    });
  });

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir: options.dataDir,
    setupCode: () => fs.readFileSync(path.join(options.dataDir, 'setup-code'), 'utf8').trim(),
    port,
    pid: child.pid!,
    output,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    exited,
  };
}
