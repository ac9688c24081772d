// Logs hold what an operator needs and nothing a respondent said: no bodies, no query
// strings, no tokens, no IP addresses or user agents.
import pino, { Logger, DestinationStream } from 'pino';

export type { Logger };

const destinations = new WeakMap<Logger, DestinationStream | undefined>();
const respondentLoggers = new WeakMap<Logger, Logger>();

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const log = pino({ level, base: undefined }, destination);
  destinations.set(log, destination);
  return log;
}

/**
 * The logger for respondent requests writes no timestamp: the time a response arrived is
 * exactly what an anonymous wave must not keep, not even in a log file.
 */
export function respondentLogger(log: Logger): Logger {
  let quiet = respondentLoggers.get(log);
  if (!quiet) {
    quiet = pino({ level: log.level, base: undefined, timestamp: false }, destinations.get(log));
    respondentLoggers.set(log, quiet);
  }
  return quiet;
}

/** A respondent's request: the survey page and its submissions. */
export function isRespondentPath(path: string): boolean {
  return path.startsWith('/s/') || path.startsWith('/w/');
}

/**
 * The logger for anything said about a request: without a time for a respondent's request.
 * Every line about a request (its summary, its failure) takes its logger from here, so no
 * caller can pick the timestamped one for a respondent by mistake.
 */
export function requestLogger(log: Logger, req: { originalUrl: string }): Logger {
  return isRespondentPath(req.originalUrl) ? respondentLogger(log) : log;
}

/** Replaces the secret part of respondent URLs so that logs never hold a token. */
export function redactPath(path: string): string {
  // /w/: a workshop participant's link (server/workshops), kept as private as a respondent's.
  return path.split('?')[0].replace(/^\/s\/[^/]+/, '/s/:token').replace(/^\/w\/[^/]+/, '/w/:token');
}

/**
 * What of an error may be logged. Database errors quote the statement with its parameters,
 * which can be answers or response ids: of those only the name, the code and the call
 * stack are kept, never the message.
 */
export function loggableError(err: unknown) {
  if (!(err instanceof Error)) return { message: 'non-error thrown' };
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n');
  return { name: err.name, code, message: code === undefined ? err.message.slice(0, 300) : undefined, stack: frames };
}
