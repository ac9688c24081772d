// Builds the real app on a fresh database for HTTP tests, with helpers to set up accounts.
import type { Knex } from 'knex';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { expect } from 'chai';
import { AppDeps, createApp, SpiegelApp } from '../../server/app';
import { loadConfig, Config } from '../../server/config';
import { createLogger } from '../../server/log';
import { loadInstrumentFiles, InstrumentFile } from '../../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createTestDb, TestDb } from './db';
import { ensureSetupCode, readSetupCode } from '../../server/startup/setup-code';

export const SURVEYS_DIR = path.resolve(__dirname, '..', '..', '..', 'surveys');
export const PASSWORD = 'correct horse battery';

let instrumentFiles: InstrumentFile[] | null = null;
/** Parsing and validating the instrument files is the slow part; do it once per run. */
export function testInstrumentFiles(): InstrumentFile[] {
  instrumentFiles ??= loadInstrumentFiles(SURVEYS_DIR);
  return instrumentFiles;
}

export interface TestApp {
  app: SpiegelApp;
  config: Config;
  testDb: TestDb;
  /** Everything the server logged, one JSON line per entry. */
  logLines: string[];
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}, deps: Pick<AppDeps, 'tallyFold' | 'sealing'> = {}): Promise<TestApp> {
  const testDb = await createTestDb();
  const config = loadConfig({
    NODE_ENV: 'test', DATA_DIR: testDb.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR,
    // Tests send many responses from one address; the limit itself is tested in public-link-limit.test.ts.
    PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '1000000', ...env,
  });
  const logLines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  const log = createLogger('info', sink);
  const instruments = await createInstrumentCatalogue(testDb.db, testInstrumentFiles());
  // Sealing (server/sealing/) runs when a test or a results read asks, not on a timer, so
  // that what a read finds does not depend on how fast the submissions went.
  const app = await createApp({ config, db: testDb.db, log, instruments, sealing: { delayMs: 3_600_000, intervalMs: 0 }, ...deps });
  prepareSetupCode(app, config.dataDir);
  databases.set(app, testDb.db);
  return { app, config, testDb, logLines, close: () => testDb.close() };
}

const dataDirs = new WeakMap<SpiegelApp, string>();
const databases = new WeakMap<SpiegelApp, Knex>();

/** The database of a test app (to read what it stored). */
export function dbOf(app: SpiegelApp): Knex {
  const db = databases.get(app);
  if (!db) throw new Error('not a test app');
  return db;
}

/** As server/index.ts does at start: a fresh installation gets its one-time setup code (for apps a test builds itself). */
export function prepareSetupCode(app: SpiegelApp, dataDir: string): void {
  ensureSetupCode(dataDir);
  dataDirs.set(app, dataDir);
}

/** The one-time code that setup asks for, read from DATA_DIR/setup-code as an operator would. */
export function setupCodeOf(app: SpiegelApp): string {
  const dataDir = dataDirs.get(app);
  if (!dataDir) throw new Error('setupCodeOf: the app was not made by createTestApp');
  const code = readSetupCode(dataDir);
  if (!code) throw new Error(`setupCodeOf: ${dataDir} holds no setup code (setup done already?)`);
  return code;
}

export interface Account {
  token: string;
  user: { id: string; email: string; role: string; organisationId: string };
}

/** First-run setup: an organisation and its admin, logged in. */
export async function setupAdmin(app: SpiegelApp, email = 'beheer@opvang.test', organisation = 'Opvang Noord'): Promise<Account & { organisationId: string }> {
  const res = await request(app).post('/api/v1/setup').send({ organisation, email, password: PASSWORD, setupCode: setupCodeOf(app) });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  const account = await login(app, email);
  return { ...account, organisationId: res.body.organisation.id };
}

export async function login(app: SpiegelApp, email: string, password = PASSWORD): Promise<Account> {
  const res = await request(app).post('/api/v1/auth/login').send({ email, password });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as Account;
}

export async function createUser(app: SpiegelApp, actor: Account, body: Record<string, unknown>): Promise<Account> {
  const res = await request(app).post('/api/v1/users').set('Authorization', `Bearer ${actor.token}`)
    .send({ password: PASSWORD, ...body });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return login(app, String(body.email));
}

export async function createOrganisation(app: SpiegelApp, admin: Account, name: string): Promise<string> {
  const res = await request(app).post('/api/v1/organisations').set('Authorization', `Bearer ${admin.token}`).send({ name });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.id as string;
}

export async function createWave(app: SpiegelApp, actor: Account, body: Record<string, unknown> = {}) {
  const res = await request(app).post('/api/v1/waves').set('Authorization', `Bearer ${actor.token}`)
    .send({ instrument: 'tno-quickscan', label: '0-meting 2026', mode: 'anonymous', ...body });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; token: string; url: string; minGroupSize: number; version: number; status: string };
}
