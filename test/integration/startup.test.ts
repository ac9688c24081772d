// Starting and stopping the real server (a process of its own, from dist/): a start that
// cannot serve says why in one line and exits non-zero; the key and the files in DATA_DIR
// are the owner's only; a stop lets requests in flight finish. SQLite, and PostgreSQL (a
// temporary database) when DATABASE_URL is set. Needs `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { runSpiegelToExit, startSpiegel, SpiegelProcess, SpiegelProcessOptions } from '../helpers/spiegel-process';
import { createTempDatabase, TempDatabase } from '../helpers/temp-database';
import { onPostgres } from '../helpers/db';
import { setupAndLogin } from '../helpers/api-client';

/** One line that says what is wrong: no stack trace, no "Spiegel draait op". */
function expectOneLineRefusal(result: { code: number | null; output: string; listened: boolean }, ...words: string[]): void {
  expect(result.listened, result.output).to.equal(false);
  expect(result.code, result.output).to.be.a('number').and.not.equal(0);
  const lines = result.output.trim().split('\n');
  expect(lines, result.output).to.have.length(1);
  expect(result.output).not.to.match(/^\s+at /m);
  for (const word of words) expect(result.output).to.contain(word);
}

describe(`starting and stopping the server (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, function () {
  this.timeout(60_000);
  let dataDir: string;
  let pg: TempDatabase | null = null;
  const running: SpiegelProcess[] = [];

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-start-'));
    if (onPostgres) pg = await createTempDatabase(process.env.DATABASE_URL!);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.kill()));
    await pg?.drop();
    pg = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const options = (extra: Partial<SpiegelProcessOptions> = {}): SpiegelProcessOptions =>
    ({ dataDir, databaseUrl: pg?.url, ...extra, env: { ...extra.env } });
  const start = async (extra: Partial<SpiegelProcessOptions> = {}) => {
    const server = await startSpiegel(options(extra));
    running.push(server);
    return server;
  };

  describe('when it cannot listen', () => {
    it('exits non-zero with one line when the port is taken', async () => {
      const first = await start();
      const result = await runSpiegelToExit(options({ port: first.port, dataDir: fs.mkdtempSync(path.join(dataDir, 'second-')) }));
      expectOneLineRefusal(result, String(first.port), 'in gebruik', 'PORT');
    });

    it('exits non-zero with one line when HOST is not an address of this machine', async () => {
      // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a machine, so binding fails.
      const result = await runSpiegelToExit(options({ env: { HOST: '192.0.2.1' } }));
      expectOneLineRefusal(result, 'HOST=192.0.2.1', '127.0.0.1');
    });

    it('exits non-zero with one line on a port below 1024 without the right to use it', async function () {
      const unprivilegedStart = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
      if (unprivilegedStart <= 80) this.skip(); // every user may bind port 80 on this machine
      // As root, the server runs as "nobody" (who may not bind it); its data directory is theirs.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      if (asNobody.uid !== undefined) execFileSync('chown', ['-R', '65534:65534', dataDir]);
      const result = await runSpiegelToExit(options({ port: 80, ...asNobody }));
      expectOneLineRefusal(result, 'poort 80', '1024', 'PORT=3000');
    });
  });

  describe('the signing key', () => {
    it('refuses JWT_SECRET=q in one line that says how to make a key', async () => {
      const result = await runSpiegelToExit(options({ env: { JWT_SECRET: 'q' } }));
      expectOneLineRefusal(result, 'JWT_SECRET', '32', 'openssl rand');
    });

    it('refuses an empty DATA_DIR/jwt-secret instead of answering 500 on every login', async () => {
      fs.writeFileSync(path.join(dataDir, 'jwt-secret'), '', { mode: 0o600 });
      const result = await runSpiegelToExit(options({ env: { JWT_SECRET: '' } }));
      expectOneLineRefusal(result, 'jwt-secret', 'openssl rand');
    });

    it('refuses to start when the database is there but its key is gone', async () => {
      const first = await start({ env: { JWT_SECRET: '' } });
      await setupAndLogin(first);
      await first.stop();
      fs.rmSync(path.join(dataDir, 'jwt-secret'));
      const result = await runSpiegelToExit(options({ env: { JWT_SECRET: '' } }));
      expectOneLineRefusal(result, 'ontbreekt', 'openssl rand');
    });
  });

  describe('a new installation with nothing configured', () => {
    it('starts, prints the setup code it keeps in DATA_DIR, and keeps everything for its own user', async () => {
      const fresh = path.join(dataDir, 'new');
      const server = await start({ dataDir: fresh, env: { JWT_SECRET: '' } });
      const code = server.setupCode();
      expect(server.output()).to.contain(`Installatiecode voor de eerste inrichting: ${code}`);
      const mode = (file: string) => fs.statSync(path.join(fresh, file)).mode & 0o777;
      expect(mode('.')).to.equal(0o700);
      expect(mode('jwt-secret')).to.equal(0o600);
      expect(mode('setup-code')).to.equal(0o600);
      if (!onPostgres) {
        for (const file of ['spiegel.sqlite3', 'spiegel.sqlite3-wal']) expect(mode(file), file).to.equal(0o600);
      }
    });

    it('warns at start, one line each, about files in DATA_DIR that others can read', async () => {
      const server = await start();
      await server.stop();
      fs.chmodSync(dataDir, 0o755);
      fs.writeFileSync(path.join(dataDir, 'old-backup.sqlite3'), 'x');
      fs.chmodSync(path.join(dataDir, 'old-backup.sqlite3'), 0o644);
      const again = await start();
      const warnings = again.output().split('\n').filter((line) => line.startsWith('Waarschuwing:'));
      expect(warnings.some((w) => w.includes(`chmod 700 ${dataDir}`)), again.output()).to.equal(true);
      expect(warnings.some((w) => w.includes(`chmod 600 ${path.join(dataDir, 'old-backup.sqlite3')}`)), again.output()).to.equal(true);
    });
  });

  describe('setup', () => {
    it('says loudly when the database is empty although this data directory held a set-up Spiegel', async () => {
      const first = await start();
      await setupAndLogin(first);
      await first.stop();
      expect(fs.existsSync(path.join(dataDir, 'setup-code'))).to.equal(false);
      // The database is gone (a volume that did not mount, a file replaced by an empty one).
      let other: TempDatabase | null = null;
      if (pg) other = await createTempDatabase(process.env.DATABASE_URL!);
      else for (const file of fs.readdirSync(dataDir).filter((f) => f.startsWith('spiegel.sqlite3'))) fs.rmSync(path.join(dataDir, file));
      try {
        const again = await start({ databaseUrl: other?.url });
        expect(again.output()).to.match(/LET OP: de database is leeg, maar in .* was Spiegel al eerder ingericht/);
        expect(again.output()).to.contain('Installatiecode');
        await again.stop();
      } finally {
        await other?.drop();
      }
    });

    it('create-user on the command line sets Spiegel up: the setup code is spent', async () => {
      const first = await start();
      expect(fs.existsSync(path.join(dataDir, 'setup-code'))).to.equal(true);
      await first.stop();
      const cli = path.resolve(__dirname, '..', '..', 'server', 'cli.js');
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(40), DATABASE_URL: pg?.url ?? '' };
      execFileSync(process.execPath, [cli, 'create-user', '--email', 'beheer@opvang.test', '--password', 'correct horse battery', '--role', 'admin'], { env });
      expect(fs.existsSync(path.join(dataDir, 'setup-code'))).to.equal(false);
      const again = await start();
      expect(again.output()).not.to.contain('Installatiecode');
    });
  });

  describe('DATABASE_URL', () => {
    it('refuses mysql:// in one line instead of taking it for PostgreSQL', async () => {
      const result = await runSpiegelToExit(options({ databaseUrl: 'mysql://root@127.0.0.1/spiegel' }));
      expectOneLineRefusal(result, 'DATABASE_URL', 'mysql:', 'postgres://');
    });

    it('refuses not-a-url in one line that shows the form it should have', async () => {
      const result = await runSpiegelToExit(options({ databaseUrl: 'not-a-url' }));
      expectOneLineRefusal(result, 'DATABASE_URL', 'postgres://');
    });

    it('shows the stack of a start-up failure only with LOG_LEVEL=debug', async () => {
      const result = await runSpiegelToExit(options({ databaseUrl: 'not-a-url', logLevel: 'debug' }));
      expect(result.code).not.to.equal(0);
      expect(result.output).to.match(/^\s+at /m);
    });
  });

  describe('on SIGTERM', () => {
    /** Resolves once the server refuses new connections: it has begun to stop. */
    async function refusesConnections(port: number): Promise<void> {
      for (;;) {
        const refused = await new Promise<boolean>((resolve) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.once('connect', () => { socket.destroy(); resolve(false); });
          socket.once('error', () => resolve(true));
        });
        if (refused) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('lets a request in flight finish with its whole answer, closes its connection, then exits 0', async function () {
      const server = await start();
      // A login whose body is half sent: the request is in flight, in the server's hands.
      const body = JSON.stringify({ email: 'niemand@opvang.test', password: 'nog-geen-account' });
      const socket = net.connect(server.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let answer = '';
      socket.on('data', (chunk) => { answer += chunk.toString(); });
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body.slice(0, 10)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(server.pid, 'SIGTERM');
      await refusesConnections(server.port);
      // Longer than the 5 s after which the old stop exited under whatever was in flight.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      socket.write(body.slice(10));
      await closed;
      expect(answer).to.match(/^HTTP\/1\.1 401 /);
      expect(answer.toLowerCase()).to.contain('connection: close');
      expect(answer).to.contain('"error"');
      expect(await server.exited).to.equal(0);
      expect(server.output()).to.contain('Spiegel stopt');
    });
  });
});
