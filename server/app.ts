// Builds the Express app. Only server/index.ts listens; tests call createApp directly.
import path from 'node:path';
import express, { Express } from 'express';
import helmet from 'helmet';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import type { Knex } from 'knex';
import type { Config } from './config';
import { RESULTS_LIMITS } from './config';
import { createLogger, Logger, loggableError } from './log';
import { createStore } from './store';
import { createHealthCheck } from './db/health';
import { RETRY_AFTER_SECONDS } from './http/errors';
import { readInstrumentFiles } from './instruments/instrument-file';
import { createInstrumentCatalogue, InstrumentCatalogue } from './instruments/catalogue';
import { loadAssets } from './assets/serve';
import { createAuthService } from './auth/service';
import { anyone, authenticate, csrfProtection } from './auth/middleware';
import { createTeamRecordService } from './team-records/service';
import { teamMemberRoutes, teamRecordApiRoutes, teamRecordPages } from './team-records/routes';
import { previewRoutes } from './preview/routes';
import { authApiRoutes } from './auth/routes';
import { createWaveService } from './waves/service';
import { waveApiRoutes } from './waves/routes';
import { instrumentApiRoutes } from './instruments/routes';
import { createInstrumentService } from './instruments/service';
import { createDraftStore } from './instruments/drafts';
import { INSTRUMENT_TEXT_LIMIT_BYTES, instrumentPages, instrumentPreviewResponses } from './pages/instrument-routes';
import { multipartForms } from './csv/form-upload';
import { createResponseService } from './responses/service';
import { BackgroundFoldOptions, createBackgroundFold } from './results/tallies/background-fold';
import { createSealer, Sealer, SealerOptions } from './sealing/sealer';
import { respondentRoutes } from './responses/routes';
import { accountPages } from './pages/account-routes';
import { wavePages } from './pages/wave-routes';
import { peoplePages } from './pages/people-routes';
import { resultsPages } from './pages/results-routes';
import { createRateLimits } from './auth/rate-limit';
import { databaseRateLimitStores } from './rate-limits/db-store';
import { requestLog } from './http/request-log';
import { storableBody, storableUrl } from './http/storable-text';
import { noStore } from './http/no-store';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { createResultsService } from './results/service';
import { configureColumnCache } from './results/columns/cache';
import { DEFAULT_READ_LIMITS, createExportLimiter, createReadLimiter } from './results/read-limits';
import { resultsApiRoutes } from './results/routes';
import { createCsvService } from './csv/service';
import { csvRoutes } from './csv/routes';
import { exportPages } from './pages/export-routes';
import { createResultsExport } from './csv/results-export';
import { createMappingStep } from './csv/mapping-step';
import { importApiRoutes } from './csv/import-api-routes';
import { importPages } from './pages/import-routes';
import { messages } from './i18n/messages';
import { createWorkshopService } from './workshops/service';
import { workshopApiRoutes, workshopPages, workshopParticipantRoutes } from './workshops/routes';
import { createBenchmarkService } from './benchmarks/service';
import { benchmarkApiRoutes } from './benchmarks/routes';
import { networkPages } from './pages/network-routes';

export interface AppDeps {
  config: Config;
  db: Knex;
  log?: Logger;
  /** Already loaded instruments (tests share one load across apps). */
  instruments?: InstrumentCatalogue;
  /** When queued responses are folded into the tallies in the background (tests shorten the wait). */
  tallyFold?: BackgroundFoldOptions;
  /** When pending submissions are sealed (tests turn the periodic look for closed waves off). */
  sealing?: Omit<SealerOptions, 'timeoutMs' | 'onSealed'>;
}

export interface SpiegelApp extends Express {
  locals: Express['locals'] & { instruments: InstrumentCatalogue; sealer: Sealer };
}

export async function createApp({ config, db, log = createLogger(config.logLevel), instruments, tallyFold, sealing }: AppDeps): Promise<SpiegelApp> {
  const store = createStore(db);
  const catalogue = instruments ?? await loadCatalogue(db, config.surveysDir, log);
  const assets = loadAssets();
  const auth = createAuthService(store, config);
  const instrumentService = createInstrumentService(store, catalogue);
  const sealer = createSealer(store, log, { ...sealing, timeoutMs: config.dbTimeouts.writeMs, onSealed: createBackgroundFold(store, log, tallyFold).stored });
  // A wave that closes is sealed whole before the close is answered (server/sealing/).
  const waves = createWaveService(store, catalogue, { onNoLongerAccepting: sealer.sealWave });
  const responses = createResponseService(store, waves, catalogue, { onStored: sealer.stored, timeouts: config.dbTimeouts });
  const cookie = { secure: config.env === 'production' && config.publicUrl?.startsWith('https:') === true, maxAgeSeconds: config.tokenTtlSeconds };

  const app = express() as unknown as SpiegelApp;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.resolve(__dirname, '..', '..', 'views'));
  app.locals.instruments = catalogue;
  app.locals.sealer = sealer;
  app.locals.asset = assets.url;
  app.locals.msg = messages;

  app.use(requestLog(log));
  app.use(storableUrl);
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // SurveyJS sets style attributes on elements; no style or script elements are inline.
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Staff pages send their own origin (browsers then send a real Origin header, which the
    // CSRF check needs); respondent pages override this with no-referrer.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.publicUrl?.startsWith('https:') ? undefined : false,
  }));
  app.use(assets.router);
  // Everything after the content-hashed assets: results, contacts, tokens, answers.
  app.use(noStore);
  app.use(compression());

  // Says what a respondent would meet now: 200 when a response could be stored, else 503.
  const health = createHealthCheck(store, { timeoutMs: config.dbTimeouts.writeMs, writerState: responses.writerState });
  app.get('/healthz', async (_req, res) => {
    const report = await health();
    res.set('Cache-Control', 'no-store');
    if (report.status !== 'ok') res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS));
    res.json(report);
  });

  // Each parser is followed by the check for text no database can store (NUL, lone surrogates).
  const json = [express.json({ limit: config.jsonLimitBytes, strict: true }), storableBody];
  const form = [express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }), storableBody];

  // Respondents: no cookies parsed, no user looked up.
  app.use(json, respondentRoutes(waves, responses, catalogue, config));
  // Workshop participants, too: a link, no account, no cookie read.
  const workshops = createWorkshopService(store);
  app.use('/w', json, form);
  app.use(workshopParticipantRoutes(workshops));
  const teamRecords = createTeamRecordService(store, waves, catalogue);
  app.use(json, teamMemberRoutes(teamRecords));
  // The preview of an instrument not yet published is the respondent page: what it sends is
  // checked, never stored. Drafts are in the database, so any process can serve each step.
  const drafts = createDraftStore(store.repos.instrumentDrafts);
  app.use(json, instrumentPreviewResponses(drafts));

  app.use(cookieParser(), authenticate(store, config.jwtSecret));
  // On PostgreSQL several processes may serve one installation: they count in the database.
  const limits = createRateLimits({
    secret: config.jwtSecret,
    store: store.dialect === 'postgres'
      ? databaseRateLimitStores(db, { onError: (err) => log.warn({ err: loggableError(err) }, 'rate-limit store failed') })
      : undefined,
  });
  const loginLimit = limits.login;
  // The setup form and the setup API share one budget per address.
  app.post(['/setup', '/api/v1/setup'], anyone('first run, while no account exists'), ...limits.setup);
  app.use('/api/v1', json, csrfProtection(config.jwtSecret),
    authApiRoutes(auth, cookie, loginLimit), waveApiRoutes(waves, config.publicUrl), instrumentApiRoutes(catalogue, instrumentService));
  const resultsLimits = config.resultsLimits ?? RESULTS_LIMITS;
  configureColumnCache({ idleMs: resultsLimits.copyIdleSeconds * 1000, maxBytes: resultsLimits.copyMaxMb * 1024 * 1024 });
  const results = createResultsService(store, catalogue, {
    minTextGroupSize: config.minTextGroupSize, beforeRead: sealer.sealForRead,
    readLimiter: createReadLimiter({ ...DEFAULT_READ_LIMITS, perUser: resultsLimits.readsPerUser, overall: resultsLimits.readsAtOnce }),
  });
  app.use('/api/v1', resultsApiRoutes(results));
  app.use('/api/v1', workshopApiRoutes(workshops, config.publicUrl));
  const benchmarks = createBenchmarkService(store, catalogue, { beforeRead: sealer.sealForRead });
  app.use('/api/v1', benchmarkApiRoutes(benchmarks));
  // After the parser and the CSRF check mounted on /api/v1 above.
  app.use('/api/v1', teamRecordApiRoutes(teamRecords));
  const csv = createCsvService(store, waves, catalogue);
  const mappingStep = createMappingStep(store, csv);
  app.use(importApiRoutes(csv, mappingStep, config.csvLimitBytes));
  const exportTurns = createExportLimiter({
    overall: resultsLimits.exportsAtOnce, perUser: resultsLimits.exportsPerUser, waitMs: resultsLimits.exportWaitSeconds * 1000,
  });
  app.use(csvRoutes(csv, createResultsExport(results), config.csvLimitBytes, exportTurns));
  // The preview sends JSON like the respondent page it shows (server/preview/routes.ts).
  app.use(previewRoutes(waves, catalogue, config.quickExitUrl, [...json, csrfProtection(config.jwtSecret)]));
  // A pasted instrument is larger than any other form (tens of KB): its own parser, a few
  // fields; a chosen file comes as multipart, parsed here too, ahead of the CSRF check.
  app.use('/instruments/check', express.urlencoded({ extended: false, limit: '600kb', parameterLimit: 10 }), storableBody);
  app.use(multipartForms({
    path: /^\/instruments\/check$/, fileBytes: INSTRUMENT_TEXT_LIMIT_BYTES, fieldBytes: INSTRUMENT_TEXT_LIMIT_BYTES, maxFields: 10, flagLargeFile: true,
  }));
  app.use(form, csrfProtection(config.jwtSecret),
    accountPages(auth, cookie, loginLimit), wavePages(waves, catalogue, config.publicUrl, csv.listFullExports, benchmarks.waveState), peoplePages(auth), importPages(mappingStep),
    exportPages(csv),
    resultsPages({ results, waves, auth, instruments: catalogue, benchmarks }), networkPages(benchmarks),
    workshopPages(workshops, config.publicUrl), teamRecordPages(teamRecords),
    instrumentPages({ instruments: catalogue, service: instrumentService, drafts, auth }));

  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}

/**
 * The instruments in surveys/ and those uploaded earlier. A broken file is logged, shown to
 * admins and skipped: one bad file no longer keeps every other instrument from running.
 */
export async function loadCatalogue(db: Knex, surveysDir: string, log: Logger): Promise<InstrumentCatalogue> {
  const { files, problems } = readInstrumentFiles(surveysDir);
  for (const problem of problems) log.warn({ path: problem.path, rule: problem.rule }, `instrument file skipped: ${problem.path}: ${problem.message}`);
  return createInstrumentCatalogue(db, files, problems);
}
