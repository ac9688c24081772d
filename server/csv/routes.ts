// The CSV API, one line per route. Mounted before the staff pages, so it also parses the
// import page's file uploads (see form-upload.ts for why that must happen here).
import express, { Request, Response, Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { allow } from '../auth/middleware';
import { badRequest, unsupportedMediaType } from '../http/errors';
import { t } from '../i18n/messages';
import type { CsvService, ImportOutcome } from './service';
import { combinedExportQuerySchema, exportQuerySchema, importQuerySchema, isImportFile, rejectedCsv } from './service';
import { formUploads } from './form-upload';
import { combinedScriptQuerySchema, rScript, scriptQuerySchema, spssSyntax } from './scripts';
import { listedErrors } from '../http/error-list';
import type { ResultsExport } from './results-export';
import { compareCsvQuerySchema, resultsCsvQuerySchema, waveCompareCsvQuerySchema } from './results-export';
import { createExportLimiter, ReadLimiter } from '../results/read-limits';

const CSV_TYPES = ['text/csv', 'application/csv'];

/** @param exportTurns how many exports run at once, overall and per user (the whole download is one turn) */
export function csvRoutes(csv: CsvService, resultsCsv: ResultsExport, limitBytes: number, exportTurns: ReadLimiter = createExportLimiter()): Router {
  const router = Router();
  const csvBody = express.raw({ type: CSV_TYPES, limit: limitBytes });
  const id = (req: Request) => String(req.params.id);

  // The turn is taken before the first byte (so that a refusal can still be a 503) and given
  // back when the last is written or the client has gone (pipeline ends either way).
  const streamed = async (req: Request, res: Response, file: () => Promise<{ fileName: string; chunks: AsyncIterable<string> }>) => {
    await exportTurns.run(req.user!.id, async () => {
      const { fileName, chunks } = await file();
      sendCsvHeaders(res, fileName);
      await pipeline(Readable.from(chunks), res);
    });
  };
  router.get('/api/v1/waves/:id/export.csv', allow('wave.export'), async (req, res) => {
    const query = parseQuery(exportQuerySchema, req.query);
    await streamed(req, res, () => csv.exportCsv(req.user!, id(req), query));
  });
  // Several waves in one file, with a wave column; each wave's rows as its own export writes them.
  router.get('/api/v1/export.csv', allow('wave.export'), async (req, res) => {
    const query = parseQuery(combinedExportQuerySchema, req.query);
    await streamed(req, res, () => csv.exportWavesCsv(req.user!, query));
  });
  router.get('/api/v1/export.sps', allow('wave.export'), async (req, res) => {
    sendScript(res, spssSyntax(await csv.scriptVariablesForWaves(req.user!, parseQuery(combinedScriptQuerySchema, req.query))), 'sps');
  });
  router.get('/api/v1/export.R', allow('wave.export'), async (req, res) => {
    sendScript(res, rScript(await csv.scriptVariablesForWaves(req.user!, parseQuery(combinedScriptQuerySchema, req.query))), 'R');
  });
  router.get('/api/v1/waves/:id/codebook.csv', allow('results.read'), async (req, res) => {
    sendFile(res, await csv.codebookCsv(req.user!, id(req), parseQuery(exportQuerySchema, req.query)));
  });
  router.get('/api/v1/waves/:id/codebook.json', allow('results.read'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await csv.codebookJson(req.user!, id(req), parseQuery(exportQuerySchema, req.query)));
  });
  // Syntax that reads the export (asked with the same query and missing=codes) and labels it: as the export, never for viewers.
  router.get('/api/v1/waves/:id/export.sps', allow('wave.export'), async (req, res) => {
    sendScript(res, spssSyntax(await csv.scriptVariables(req.user!, id(req), parseQuery(scriptQuerySchema, req.query))), 'sps');
  });
  router.get('/api/v1/waves/:id/export.R', allow('wave.export'), async (req, res) => {
    sendScript(res, rScript(await csv.scriptVariables(req.user!, id(req), parseQuery(scriptQuerySchema, req.query))), 'R');
  });
  router.get('/api/v1/waves/:id/results.csv', allow('results.read'), async (req, res) => {
    sendFile(res, await resultsCsv.frequencies(req.user!, id(req), parseQuery(resultsCsvQuerySchema, req.query)));
  });
  router.get('/api/v1/waves/:id/compare.csv', allow('results.read'), async (req, res) => {
    sendFile(res, await resultsCsv.compare(req.user!, id(req), parseQuery(compareCsvQuerySchema, req.query)));
  });
  router.get('/api/v1/compare.csv', allow('results.read'), async (req, res) => {
    sendFile(res, await resultsCsv.compareWaves(req.user!, parseQuery(waveCompareCsvQuerySchema, req.query)));
  });
  router.get('/api/v1/waves/:id/imports', allow('csv.imports.read'), async (req, res) => {
    res.json(await csv.listImports(req.user!, id(req)));
  });
  router.post('/api/v1/waves/:id/import', allow('csv.import'), csvBody, async (req, res) => {
    const { dryRun } = parseQuery(importQuerySchema, req.query);
    const outcome = await importBody(csv, req, dryRun === '1');
    sendOutcome(res, outcome);
  });
  // The same checks as a dry run, answered with the refused rows to correct and send again.
  router.post('/api/v1/waves/:id/import/rejected.csv', allow('csv.import'), csvBody, async (req, res) => {
    const outcome = await importBody(csv, req, true);
    if (outcome.status === 'refused' && !outcome.rejected) return sendOutcome(res, outcome);
    sendCsvHeaders(res, 'afgekeurde-regels.csv');
    res.send(rejectedCsv(outcome.status === 'refused' ? outcome.rejected! : { headers: [], rows: [] }));
  });

  router.use(formUploads(limitBytes));
  return router;
}

async function importBody(csv: CsvService, req: Request, dryRun: boolean): Promise<ImportOutcome> {
  await csv.load(req.user!, String(req.params.id)); // 404 for another organisation's wave, before the file is read
  if (!req.is(CSV_TYPES)) throw unsupportedMediaType();
  const file = csv.readExportFormat(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), null);
  return isImportFile(file) ? csv.importFile(req.user!, String(req.params.id), file, { dryRun }) : file;
}

export function sendOutcome(res: Response, outcome: ImportOutcome): void {
  // Warnings (answers the routing drops) only where there are any, so that a clean import answers as before.
  const warnings = outcome.warnings && outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {};
  if (outcome.status === 'imported') res.json({ imported: outcome.imported, errors: [], ...warnings });
  else if (outcome.status === 'valid') res.json({ dryRun: true, imported: 0, valid: outcome.valid, errors: [], ...warnings });
  else {
    const rows = outcome.refusedLines ? { valid: outcome.valid ?? 0, refusedLines: outcome.refusedLines } : {};
    res.status(422).json({ error: { code: 'invalid', message: t('csv.import.refused') }, imported: 0, ...rows, ...listedErrors(outcome.errors), ...warnings });
  }
}

function sendScript(res: Response, script: { fileName: string; text: string }, kind: 'sps' | 'R'): void {
  res.attachment(script.fileName);
  res.set('Content-Type', kind === 'sps' ? 'text/plain; charset=utf-8' : 'text/plain; charset=utf-8');
  res.set('Cache-Control', 'no-store');
  res.send(script.text);
}

function sendFile(res: Response, file: { fileName: string; text: string }): void {
  sendCsvHeaders(res, file.fileName);
  res.send(file.text);
}

export function sendCsvHeaders(res: Response, fileName: string): void {
  res.attachment(fileName);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Cache-Control', 'no-store');
}

function parseQuery<S extends z.ZodTypeAny>(schema: S, query: unknown): z.infer<S> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  throw badRequest(t('errors.badRequest'), result.error.issues.map((i) => ({ question: i.path.join('.') || undefined, message: i.message })));
}
