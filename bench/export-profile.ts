// A developer's probe of the export's serving side without HTTP: the CSV service's chunks
// consumed in this process, on a kept benchmark database (bench/export.ts --keep DIR), with
// wall clock and CPU per query. Run under `node --cpu-prof` to see what dominates.
//   node dist/bench/export-profile.js sqlite /tmp/export-2s/results-100000.sqlite3 [query] [runs]
//   node dist/bench/export-profile.js postgres postgres://…/db bench_kept_100000 [query] [runs]
import path from 'node:path';
import { createDb } from '../server/db/connection';
import { createStore } from '../server/store';
import { loadInstrumentFiles } from '../server/instruments/instrument-file';
import { createInstrumentCatalogue } from '../server/instruments/catalogue';
import { createWaveService } from '../server/waves/service';
import { createCsvService, exportQuerySchema } from '../server/csv/service';
import type { CurrentUser } from '../server/auth/scope';

const SURVEYS_DIR = path.resolve(__dirname, '..', '..', 'surveys');

async function main(): Promise<void> {
  const [kind, where, ...rest] = process.argv.slice(2);
  const db = kind === 'sqlite' ? createDb({ databaseUrl: null, sqliteFile: where! }) : createDb({ databaseUrl: where!, pgSchema: rest.shift()! });
  const [search = '', runs = '3'] = rest;
  const wave = await db('waves').where({ label: 'Benchmark' }).first('id', 'organisation_id');
  const catalogue = await createInstrumentCatalogue(db, loadInstrumentFiles(SURVEYS_DIR));
  const store = createStore(db);
  const user: CurrentUser = { id: 'bench', email: 'bench@spiegel.invalid', role: 'admin', organisationId: wave.organisation_id, networkId: null };
  const csv = createCsvService(store, createWaveService(store, catalogue), catalogue);
  const query = exportQuerySchema.parse(Object.fromEntries(new URLSearchParams(search)));
  for (let run = 0; run < Number(runs); run++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const { chunks } = await csv.exportCsv(user, wave.id, query);
    let chars = 0;
    let first = 0;
    for await (const chunk of chunks) {
      if (first === 0) first = Number(process.hrtime.bigint() - start) / 1e6;
      chars += chunk.length;
    }
    const used = process.cpuUsage(cpu);
    console.log(`${kind} ?${search}: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms, first chunk ${first.toFixed(0)} ms, ${chars} chars`);
  }
  await db.destroy();
}

main().catch((err) => { console.error(err); process.exit(1); });
