// Multipart bodies of the import pages (the file upload and the mapping form). The staff
// pages' own parser only reads urlencoded forms with at most 200 fields, and the CSRF check
// in front of them reads the token from the parsed body, so these bodies must be parsed
// before that check runs: this middleware is mounted with the CSV API, ahead of the pages.
import busboy from 'busboy';
import type { NextFunction, Request, Response } from 'express';
import { badRequest, payloadTooLarge } from '../http/errors';
import { isStorableText, unstorableText } from '../http/storable-text';

export interface UploadedFile {
  fileName: string | null;
  bytes: Buffer;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The CSV file of an import page's form, when one was sent. */
    csvFile?: UploadedFile;
  }
}

/** A mapping form lists a field per column and per answer text; a file has a few hundred at most. */
const MAX_FIELDS = 5000;

export function formUploads(limitBytes: number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    // Only for signed-in staff on the import pages: nobody else gets a body parsed.
    if (req.method !== 'POST' || !req.user || !/^\/waves\/[^/]+\/import(\/|$)/.test(req.path) || !req.is('multipart/form-data')) return next();
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
      parser = busboy({ headers: req.headers, limits: { fileSize: limitBytes, files: 1, fields: MAX_FIELDS, fieldSize: 64 * 1024 } });
    } catch {
      return next(badRequest());
    }
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => { failure = payloadTooLarge(); });
      if (info.filename && !isStorableText(info.filename)) failure = unstorableText('file');
      stream.on('end', () => {
        if (info.filename) req.csvFile = { fileName: info.filename.slice(0, 200), bytes: Buffer.concat(chunks) };
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
