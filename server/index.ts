// The entry: configuration, database, migrations, instruments, app; then listen.
import { loadConfig } from './config';
import { createDb, migrateToLatest } from './db/connection';
import { createApp } from './app';
import { createLogger } from './log';
import { InstrumentFileError } from './instruments/instrument-file';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(db);
  const app = await createApp({ config, db, log });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    console.log(`Spiegel draait op http://${shownHost}:${port}/ (${db.client.config.client === 'pg' ? 'PostgreSQL' : 'SQLite'})`);
  });
  const shutdown = () => {
    server.close(() => void db.destroy().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  if (err instanceof InstrumentFileError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
