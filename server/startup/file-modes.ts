// What Spiegel keeps in DATA_DIR (the database and its WAL, backups, the signing key) is for
// its own user only. New files get that through the entry points' umask and explicit modes;
// files made by an older version, or copied in by hand, may still be open to every local
// user, so each start names them, one line each, with the command that closes them.
import fs from 'node:fs';
import path from 'node:path';

/** Group and world bits: any of them set means someone besides the owner has access. */
const OTHERS = 0o077;

/** Set before anything is created: new directories 0700, new files 0600. */
export const PRIVATE_UMASK = 0o077;

export function widerModeWarnings(dataDir: string): string[] {
  const warnings: string[] = [];
  let entries: fs.Dirent[];
  try {
    const dir = fs.statSync(dataDir);
    if (dir.mode & OTHERS) warnings.push(warning(dataDir, dir.mode, 'chmod 700'));
    entries = fs.readdirSync(dataDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return warnings;
    throw err;
  }
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isDirectory()) continue;
    const file = path.join(dataDir, entry.name);
    let mode: number;
    try {
      mode = fs.statSync(file).mode;
    } catch {
      continue; // gone in the meantime (a WAL file at checkpoint)
    }
    if (mode & OTHERS) warnings.push(warning(file, mode, entry.isDirectory() ? 'chmod 700' : 'chmod 600'));
  }
  return warnings;
}

function warning(file: string, mode: number, fix: string): string {
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return `Waarschuwing: ${file} is ook voor andere gebruikers op deze machine toegankelijk (modus ${octal}); maak het privé met: ${fix} ${file}`;
}
