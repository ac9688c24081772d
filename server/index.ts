// The entry: configuration, database, migrations, instruments, app; then listen.
import http from 'node:http';
import { PRIVATE_UMASK, widerModeWarnings } from './startup/file-modes';
import { loadConfig, logLevelOf } from './config';
import { createDb, migrateToLatest } from './db/connection';
import { createApp } from './app';
import { createLogger } from './log';
import { createStore } from './store';
import { failureText } from './startup/errors';
import { drainOnStop, listen } from './startup/serve';
import { prepareFirstRun } from './startup/first-run';
import { removeAbandonedBackups } from './backup/service';

/** Requests in flight at SIGTERM may take this long; below Docker's 10 s before SIGKILL. */
const DRAIN_BOUND_MS = 8000;
/** Closing the database pool after that. */
const RELEASE_BOUND_MS = 1500;

async function main(): Promise<void> {
  // Before anything is created: the database, its WAL, backups, the key and the setup code
  // are for Spiegel's own user only (new directories 0700, new files 0600).
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  for (const line of widerModeWarnings(config.dataDir)) console.error(line);
  for (const file of removeAbandonedBackups(config.dataDir)) console.log(`Onvoltooide back-up verwijderd: ${file}`);
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeouts: config.dbTimeouts });
  try {
    await migrateToLatest(db);
    const firstRun = await prepareFirstRun(createStore(db), config.dataDir);
    const app = await createApp({ config, db, log });
    const server = http.createServer();
    // Before the app, so that the stop sees every request from its start.
    const stop = drainOnStop(server, {
      boundMs: DRAIN_BOUND_MS,
      releaseBoundMs: RELEASE_BOUND_MS,
      release: () => db.destroy(),
      say: (line) => console.log(line),
      exit: (code) => process.exit(code),
    });
    server.on('request', app);
    const address = await listen(server, config.port, config.host);
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    for (const line of firstRun.warnings) console.error(line);
    for (const line of firstRun.info) console.log(line);
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    console.log(`Spiegel draait op http://${shownHost}:${address.port}/ (${db.client.config.client === 'pg' ? 'PostgreSQL' : 'SQLite'})`);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
}

main().catch((err) => {
  console.error(`Spiegel start niet: ${failureText(err, logLevelOf())}`);
  process.exit(1);
});
