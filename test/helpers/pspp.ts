// Runs an export's SPSS syntax in PSPP (Debian's `pspp`) and reads its FREQUENCIES back, so the
// export tests can compare PSPP's counts with the results API.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * PSPP's FREQUENCIES of the given variables, for `export.sps` (and the CSV it reads) in `dir`:
 * per variable, per value as printed (valid and missing ones), the count. `valueKey` turns a
 * printed value into the key of the map (default: the value as printed).
 */
export function psppFrequencies(dir: string, variables: string[], valueKey: (printed: string) => string = (v) => v): Map<string, Map<string, number>> {
  const syntax = `${fs.readFileSync(path.join(dir, 'export.sps'), 'utf8')}\nSET TNUMBERS=VALUES TVARS=NAMES.\nFREQUENCIES /VARIABLES=${variables.join(' ')} /STATISTICS=NONE.\n`;
  fs.writeFileSync(path.join(dir, 'run.sps'), syntax);
  try {
    execFileSync('pspp', ['-O', 'format=csv', '-o', 'out.csv', 'run.sps'], { cwd: dir, stdio: 'pipe' });
  } catch (err) {
    // PSPP says what it could not read on stdout: the failing test should show it.
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`PSPP failed:\n${String(stdout ?? '').slice(0, 4000)}\n${String(stderr ?? '').slice(0, 2000)}`);
  }
  const counts = new Map<string, Map<string, number>>();
  let current: Map<string, number> | null = null;
  for (const line of fs.readFileSync(path.join(dir, 'out.csv'), 'utf8').split('\n')) {
    const table = /^Table: (\S+)$/.exec(line);
    if (table) {
      current = variables.includes(table[1]!) ? new Map() : null;
      if (current) counts.set(table[1]!, current);
      continue;
    }
    const cells = line.split(',');
    if (!current || cells.length < 3 || cells[0] === 'Total' || cells[1] === '' || cells[1] === '.') continue;
    if (!['Valid', 'Missing', ''].includes(cells[0]!)) continue;
    current.set(valueKey(cells[1]!.replace(/^"|"$/g, '')), Number(cells[2]));
  }
  return counts;
}
