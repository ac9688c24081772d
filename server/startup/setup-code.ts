// The one-time code that first-run setup asks for. Without it, whoever reaches the server
// first (anyone on the network, when an empty database or an unmounted volume makes a set-up
// Spiegel look new) could claim it. The code is printed at start and kept in
// DATA_DIR/setup-code, readable by the owner only, until setup is done. Once setup succeeds
// a marker stays in DATA_DIR, so that a later start on an empty database can say that this
// data directory held a set-up Spiegel before.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const CODE_FILE = 'setup-code';
const MARKER_FILE = 'setup-done';
/** No 0/O, 1/I/L: the code is read off a terminal and typed in by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${GROUP_LENGTH}}(-[${ALPHABET}]{${GROUP_LENGTH}}){${GROUPS - 1}}$`);

export function setupCodeFile(dataDir: string): string {
  return path.join(dataDir, CODE_FILE);
}

export function setupMarkerFile(dataDir: string): string {
  return path.join(dataDir, MARKER_FILE);
}

/** The code on file, or a new one written there (mode 0600). Another process's code is kept. */
export function ensureSetupCode(dataDir: string): string {
  const existing = readSetupCode(dataDir);
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const code = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join('')).join('-');
  const file = setupCodeFile(dataDir);
  // A damaged file (a full disk leaves it empty) is replaced; a valid one written by a
  // process that started at the same moment wins ('wx' below), so both print the same code.
  fs.rmSync(file, { force: true });
  try {
    fs.writeFileSync(file, code + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readSetupCode(dataDir) ?? code;
    throw err;
  }
  fs.chmodSync(file, 0o600);
  return code;
}

export function readSetupCode(dataDir: string): string | null {
  try {
    const code = fs.readFileSync(setupCodeFile(dataDir), 'utf8').trim();
    return CODE_PATTERN.test(code) ? code : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * True when `given` is the code on file. Case, spaces and dashes do not matter (people
 * type it); the comparison takes the same time wherever the first wrong character is.
 */
export function setupCodeMatches(dataDir: string, given: unknown): boolean {
  const expected = readSetupCode(dataDir);
  if (!expected || typeof given !== 'string') return false;
  const digest = (code: string) => crypto.createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/** Setup is done: the code is spent, and the data directory remembers that it holds data. */
export function finishSetup(dataDir: string): void {
  markSetUp(dataDir);
  fs.rmSync(setupCodeFile(dataDir), { force: true });
}

export function markSetUp(dataDir: string): void {
  const marker = setupMarkerFile(dataDir);
  if (fs.existsSync(marker)) return;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(marker, 'Spiegel is in deze map ingericht. Verwijder dit bestand niet.\n', { mode: 0o600 });
}

export function wasSetUpBefore(dataDir: string): boolean {
  return fs.existsSync(setupMarkerFile(dataDir));
}
