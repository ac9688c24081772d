// A store with one open anonymous TNO quickscan wave of seeded responses, and an admin of its
// organisation: what the tests of the results service's reads start from (one-read, read-memo).
import crypto from 'node:crypto';
import type { TestDb } from './db';
import { testInstrumentFiles } from './app';
import { storeResponses } from './results';
import { seededRandom } from './quickscan-stream';
import { quickscanResponse } from '../../bench/quickscan-data';
import { createInstrumentCatalogue, InstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore, Store } from '../../server/store';
import type { CurrentUser } from '../../server/auth/scope';

export interface QuickscanWave {
  store: Store;
  catalogue: InstrumentCatalogue;
  waveId: string;
  user: CurrentUser;
}

export async function quickscanWave(t: TestDb, { seed, responses }: { seed: number; responses: number }): Promise<QuickscanWave> {
  const store = createStore(t.db);
  const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
  const organisation = await store.repos.organisations.create('Opvang');
  const waveId = crypto.randomUUID();
  await store.repos.waves.create({
    id: waveId, organisationId: organisation.id, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id, label: 'Test', mode: 'anonymous',
    series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: null,
  });
  const random = seededRandom(seed);
  await storeResponses(t.db, waveId, Array.from({ length: responses }, () => quickscanResponse(random)));
  const user: CurrentUser = { id: 'u', email: 'u@spiegel.invalid', role: 'admin', organisationId: organisation.id, networkId: null };
  return { store, catalogue, waveId, user };
}
