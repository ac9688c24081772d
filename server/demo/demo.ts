// `npm run spiegel -- demo`: a demo organisation with a 0-meting and a 1-meting of every
// instrument, so that a newcomer sees every dashboard within a minute of starting. The
// quickscan's 0-meting is the TNO report's own published counts.
import crypto from 'node:crypto';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { CurrentUser } from '../auth/scope';
import { createWaveService } from '../waves/service';
import { prepareResponse } from '../responses/service';
import { storeResponse } from '../responses/storage';
import { hashPassword } from '../auth/passwords';
import { tnoReportResponses } from './tno-report';
import { laterQuickscanResponse, seededRandom, valenteResponse, weermanResponse } from './synthetic';

export const DEMO_ORGANISATION = 'Demo-opvang';
const DEMO_EMAIL = 'demo@spiegel.invalid';

type Data = Record<string, unknown>;

export interface DemoOutcome {
  created: boolean;
  organisationId: string;
  waves: Array<{ label: string; instrument: string; responses: number }>;
  login?: { email: string; password: string };
}

export async function createDemo(store: Store, instruments: InstrumentCatalogue): Promise<DemoOutcome> {
  const existing = (await store.repos.organisations.list({ organisationId: null })).find((o) => o.name === DEMO_ORGANISATION);
  if (existing) return { created: false, organisationId: existing.id, waves: [] };

  const organisation = await store.repos.organisations.create(DEMO_ORGANISATION);
  const actor: CurrentUser = { id: 'demo', email: DEMO_EMAIL, role: 'admin', organisationId: organisation.id, networkId: null };
  const waves = createWaveService(store, instruments);
  const random = seededRandom(20261122);
  const outcome: DemoOutcome = { created: true, organisationId: organisation.id, waves: [] };

  async function wave(instrument: string, label: string, series: string, answers: Data[], day: string, closed: boolean) {
    const created = await waves.create(actor, { instrument, label, mode: 'anonymous', series, minGroupSize: 5 });
    const version = await instruments.byVersionId(created.instrumentVersionId);
    await store.transaction(async (repos) => {
      for (const data of answers) {
        const prepared = prepareResponse(version!, data);
        if (!prepared.ok) throw new Error(`Demo answers for ${instrument} do not validate: ${JSON.stringify(prepared.errors)}`);
        await storeResponse(repos, { waveId: created.id, prepared, submissionId: crypto.randomUUID(), submittedOn: day });
      }
    });
    if (closed) await waves.update(actor, created.id, { status: 'closed' });
    outcome.waves.push({ label, instrument, responses: answers.length });
  }

  const weerman = (await instruments.latest('weerman-organisatiescan'))!;
  const weermanView = (weerman.meta.views as { weerman: Parameters<typeof weermanResponse>[0] }).weerman;
  const roles = ['bestuur_management', 'beleid_kwaliteit', 'hulpverlener', 'ervaringsdeskundige'];
  await wave('weerman-organisatiescan', '0-meting 2025', 'organisatiescan-mt', Array.from({ length: 8 }, () => weermanResponse(weermanView, roles, random, 0)), '2025-11-18', true);
  await wave('weerman-organisatiescan', '1-meting 2026', 'organisatiescan-mt', Array.from({ length: 9 }, () => weermanResponse(weermanView, roles, random, 0.5)), '2026-11-17', false);

  const valente = (await instruments.latest('valente-zes-stappen'))!;
  const valenteView = (valente.meta.views as { valente: Parameters<typeof valenteResponse>[0] }).valente;
  await wave('valente-zes-stappen', '0-meting 2025', 'stappenplan', Array.from({ length: 6 }, () => valenteResponse(valenteView, random, 0.15)), '2025-11-20', true);
  await wave('valente-zes-stappen', '1-meting 2026', 'stappenplan', Array.from({ length: 6 }, () => valenteResponse(valenteView, random, 0.6)), '2026-11-19', false);

  const report = tnoReportResponses();
  await wave('tno-quickscan', '0-meting 2025 (TNO-rapport)', 'quickscan-medewerkers', report, '2025-10-01', true);
  const later = report.filter(() => random.chance(0.7)).map((r) => laterQuickscanResponse(random, r));
  await wave('tno-quickscan', '1-meting 2026', 'quickscan-medewerkers', later, '2026-10-01', false);

  if ((await store.repos.users.count()) === 0) {
    const password = crypto.randomBytes(9).toString('base64url');
    await store.repos.users.create({ organisationId: organisation.id, email: DEMO_EMAIL, passwordHash: await hashPassword(password), role: 'admin' });
    outcome.login = { email: DEMO_EMAIL, password };
  }
  return outcome;
}
