// What a start says about setup: the one-time code while nobody has set Spiegel up, and a
// loud warning when the database is empty although this data directory held a set-up
// Spiegel before (a volume that did not mount, a database file replaced by an empty one).
import type { Store } from '../store';
import { ensureSetupCode, finishSetup, setupCodeFile, wasSetUpBefore } from './setup-code';

export interface FirstRunNotice {
  /** Lines for the operator (stdout). */
  info: string[];
  /** Lines that must not be missed (stderr). */
  warnings: string[];
}

export async function prepareFirstRun(store: Store, dataDir: string): Promise<FirstRunNotice> {
  if ((await store.repos.users.count()) > 0) {
    // Also for installations set up before the marker existed, and after `create-user`.
    finishSetup(dataDir);
    return { info: [], warnings: [] };
  }
  const code = ensureSetupCode(dataDir);
  const warnings = wasSetUpBefore(dataDir)
    ? [`LET OP: de database is leeg, maar in ${dataDir} was Spiegel al eerder ingericht. Is het volume niet aangekoppeld, DATABASE_URL veranderd of de database vervangen? Controleer dat voordat je opnieuw inricht.`]
    : [];
  return { info: [`Installatiecode voor de eerste inrichting: ${code} (ook in ${setupCodeFile(dataDir)})`], warnings };
}
