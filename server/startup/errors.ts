// A start-up failure the operator can fix: printed as one line that says what is wrong and
// how to fix it. A stack trace only helps a developer, so it is shown with LOG_LEVEL=debug.

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * The text to print for an error that stopped a start or a command: one line, and the
 * stack below it only when LOG_LEVEL asks for debugging.
 */
export function failureText(err: unknown, logLevel: string | undefined): string {
  // A list of problems in the instrument files stays a list: a maintainer works through it.
  const line = err instanceof Error && err.name === 'InstrumentFileError' ? err.message : oneLine(describe(err));
  if ((logLevel === 'debug' || logLevel === 'trace') && err instanceof Error && err.stack) return `${line}\n${err.stack}`;
  return line;
}

/** Errors we did not raise ourselves, in the words of what to check. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err instanceof StartupError) return err.message;
  const { code } = err as NodeJS.ErrnoException;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `de database is niet bereikbaar (${err.message}). Draait PostgreSQL, en klopt de host en poort in DATABASE_URL?`;
    case '28P01':
    case '28000':
      return `PostgreSQL weigert de gebruiker of het wachtwoord uit DATABASE_URL (${err.message}).`;
    case '3D000':
      return `de database uit DATABASE_URL bestaat niet (${err.message}). Maak hem aan met createdb, of pas DATABASE_URL aan.`;
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EROFS':
      return `kan niet schrijven in DATA_DIR (${err.message}). Controleer dat de map bestaat en van de gebruiker is die Spiegel draait.`;
    default:
      return err.message;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
