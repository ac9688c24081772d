// Multipart bodies of staff pages that take a file: the import pages (the CSV upload and the
// mapping form) and the instruments page (a SurveyJS JSON file). The staff pages' own parser
// only reads urlencoded forms with at most 200 fields, and the CSRF check in front of them
// reads the token from the parsed body, so these bodies must be parsed before that check
// runs: this middleware is mounted ahead of the pages.
import busboy from 'busboy';
import type { NextFunction, Request, Response } from 'express';
import { badRequest, payloadTooLarge } from '../http/errors';
import { isStorableText, unstorableText } from '../http/storable-text';

export interface UploadedFile {
  fileName: string | null;
  bytes: Buffer;
  /** Set (and bytes cut off at the limit) when the page lists a file too large as a problem of its own. */
  tooLarge?: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The file of a page's form, when one was sent. */
    uploadedFile?: UploadedFile;
  }
}

/** A mapping form lists a field per column and per answer text; a file has a few hundred at most. */
const MAX_FIELDS = 5000;

export interface MultipartOptions {
  /** Which signed-in staff page's POST gets its multipart body parsed. */
  path: RegExp;
  /** Largest file. */
  fileBytes: number;
  /** Largest single field (a pasted definition is a field). */
  fieldBytes?: number;
  maxFields?: number;
  /** A file over the limit is handed to the page marked tooLarge (else: 413 for the request). */
  flagLargeFile?: boolean;
}

export function multipartForms({ path, fileBytes, fieldBytes = 64 * 1024, maxFields = MAX_FIELDS, flagLargeFile = false }: MultipartOptions) {
  return (req: Request, _res: Response, next: NextFunction) => {
    // Only for signed-in staff on the pages named: nobody else gets a body parsed.
    if (req.method !== 'POST' || !req.user || !path.test(req.path) || !req.is('multipart/form-data')) return next();
    // Field names are the sender's: no prototype, so that `__proto__` is just a name.
    const fields: Record<string, string> = Object.create(null);
    let failure: Error | null = null;
    let finished = false;
    // busboy may report an error and still close: the request goes on exactly once.
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      next(err);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: fileBytes, files: 1, fields: maxFields, fieldSize: fieldBytes } });
    } catch {
      return next(badRequest());
    }
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      let tooLarge = false;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
        if (!flagLargeFile) failure = payloadTooLarge();
      });
      if (info.filename && !isStorableText(info.filename)) failure = unstorableText('file');
      stream.on('end', () => {
        if (info.filename) req.uploadedFile = { fileName: info.filename.slice(0, 200), bytes: Buffer.concat(chunks), ...(tooLarge ? { tooLarge } : {}) };
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) failure = payloadTooLarge();
      if (!isStorableText(name) || !isStorableText(value)) failure ??= unstorableText(name);
      fields[name] = value;
    });
    parser.on('fieldsLimit', () => { failure = payloadTooLarge(); });
    parser.on('error', () => finish(badRequest()));
    parser.on('close', () => {
      req.body = fields;
      finish(failure ?? undefined);
    });
    req.pipe(parser);
  };
}

/** The import pages' forms: the CSV file and the mapping. */
export function formUploads(limitBytes: number) {
  return multipartForms({ path: /^\/waves\/[^/]+\/import(\/|$)/, fileBytes: limitBytes });
}
