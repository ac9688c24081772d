// npm run spiegel -- <command>: maintenance from the command line.
import { parseArgs } from 'node:util';
import { loadConfig, logLevelOf } from './config';
import { createDb, migrateToLatest } from './db/connection';
import { createStore } from './store';
import { newUserSchema } from './auth/service';
import { hashPassword } from './auth/passwords';
import { backupCommand, restoreCommand } from './backup/commands';
import { createInstrumentCatalogue, InstrumentCatalogue } from './instruments/catalogue';
import { loadInstrumentFiles } from './instruments/instrument-file';
import { createDemo, DEMO_ORGANISATION } from './demo/demo';
import { PRIVATE_UMASK } from './startup/file-modes';
import { failureText } from './startup/errors';
import { finishSetup } from './startup/setup-code';

const USAGE = `Gebruik: npm run spiegel -- <opdracht>
  migrate                                   pas openstaande migraties toe
  create-user --email E --password P --role admin|manager|viewer [--organisation NAAM]
  backup BESTAND                            kopie van de SQLite-database, ook terwijl Spiegel draait
  restore BESTAND                           zet een back-up terug (eerst Spiegel stoppen)
  demo                                      een demo-organisatie met metingen en verzonnen antwoorden`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Before anything is created: a database or backup made here is for Spiegel's user only.
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  // Backup and restore open the database themselves: neither may migrate it first.
  if (command === 'backup') return backupCommand(config, rest);
  if (command === 'restore') return restoreCommand(config, rest);
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeouts: config.dbTimeouts });
  try {
    await migrateToLatest(db);
    switch (command) {
      case 'migrate':
        console.log('Migraties zijn bijgewerkt.');
        return 0;
      case 'create-user':
        return await createUser(createStore(db), rest, config.dataDir);
      case 'demo':
        return await demo(createStore(db), await createInstrumentCatalogue(db, loadInstrumentFiles(config.surveysDir)), config.dataDir);
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await db.destroy();
  }
}

async function createUser(store: ReturnType<typeof createStore>, args: string[], dataDir: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, organisation: { type: 'string' } },
    strict: true,
  });
  const input = newUserSchema.omit({ organisationId: true }).safeParse({ email: values.email, password: values.password, role: values.role });
  if (!input.success) {
    console.error(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    return 2;
  }
  const organisationName = values.organisation ?? 'Spiegel';
  const user = await store.transaction(async (repos) => {
    const existing = (await repos.organisations.list({ organisationId: null })).find((o) => o.name === organisationName);
    const organisation = existing ?? await repos.organisations.create(organisationName);
    return repos.users.create({
      organisationId: organisation.id, email: input.data.email, passwordHash: await hashPassword(input.data.password), role: input.data.role,
    });
  });
  // An account made here sets Spiegel up as the first-run page would: the setup code is spent.
  finishSetup(dataDir);
  console.log(`Account aangemaakt: ${user.email} (${user.role})`);
  return 0;
}


main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
  console.error(failureText(err, logLevelOf()));
  process.exit(1);
});

async function demo(store: ReturnType<typeof createStore>, instruments: InstrumentCatalogue, dataDir: string): Promise<number> {
  const outcome = await createDemo(store, instruments);
  if (!outcome.created) {
    console.log(`De organisatie ‘${DEMO_ORGANISATION}’ bestaat al; er is niets veranderd.`);
    return 0;
  }
  console.log(`Demo-organisatie ‘${DEMO_ORGANISATION}’ aangemaakt met ${outcome.waves.length} metingen:`);
  for (const wave of outcome.waves) console.log(`  ${wave.instrument}: ${wave.label} (${wave.responses} antwoorden)`);
  if (outcome.login) finishSetup(dataDir); // the demo's login is the first account
  if (outcome.login) console.log(`Log in met ${outcome.login.email} en wachtwoord ${outcome.login.password}`);
  else console.log('Log in met een beheerdersaccount om de demo te bekijken.');
  return 0;
}
