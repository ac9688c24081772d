import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createApp, SpiegelApp } from '../../server/app';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createLogger } from '../../server/log';
import { createTestApp, setupAdmin, createUser, testInstrumentFiles, TestApp, Account } from '../helpers/app';
import { sealPending } from '../helpers/seal';
import { t as message } from '../../server/i18n/messages';

const modeName = (mode: string) => message(`modeNames.${mode}`);

// The Movisie handreiking for municipalities as an instrument (surveys/movisie-gemeente.json):
// it loads and validates with its attribution and source lines, runs as a team record only
// (meta.modes) in an organisation of the kind "gemeente" (meta.organisationKinds), and its
// dashboard is the Valente progress view. The team wave mode is built on another branch; until
// it is merged, the dashboard is tested with ordinary (identified) responses on a copy of the
// instrument that allows that mode.
describe('the municipality\'s guide (Movisie)', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account;
  const KEY = 'movisie-gemeente';
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(() => t.close());

  const as = (app: SpiegelApp, who: Account) => ({
    get: (path: string) => request(app).get(path).set('Authorization', `Bearer ${who.token}`),
    post: (path: string, body: object) => request(app).post(path).set('Authorization', `Bearer ${who.token}`).send(body),
  });

  it('loads with its attribution, a source line for every question and the Valente view of its seven steps', async () => {
    const res = await as(t.app, admin).get(`/api/v1/instruments/${KEY}`);
    expect(res.status).to.equal(200);
    const { meta, definition } = res.body;
    expect(meta.attribution).to.contain('Movisie').and.contain('Samen deskundig');
    expect(meta.source.lines).to.equal('385-404, 631-643, 1395-1437, 1775-1876');
    expect(meta.modes).to.deep.equal(['team']);
    expect(meta.organisationKinds).to.deep.equal(['gemeente']);
    const steps = meta.views.valente.steps as Array<{ title: string; actions: Array<{ text: string }> }>;
    expect(steps.map((s) => s.title)).to.deep.equal([
      'Concreet aan de slag', 'Gebieden van samenwerking', 'Rollen van de gemeente',
      'Randvoorwaarden: op het niveau van organisatie', 'Randvoorwaarden: op het niveau van uitvoering en samenwerking',
      'Monitor en evalueer', 'Structurele inbedding',
    ]);
    expect(steps.map((s) => s.actions.length)).to.deep.equal([3, 9, 3, 5, 7, 4, 3]);
    expect(steps[1].actions[8].text).to.equal('Ervaringsdeskundigheid professionals binnen een organisatie ontwikkelen en benutten.');
    expect(definition.pages).to.have.length(7);
  });

  it('adds "gemeente" as a kind of organisation', async () => {
    const made = await as(t.app, admin).post('/api/v1/organisations', { name: 'Gemeente Breda', kind: 'gemeente' });
    expect(made.status).to.equal(201);
    expect(made.body).to.deep.include({ name: 'Gemeente Breda', kind: 'gemeente' });
    expect((await as(t.app, admin).post('/api/v1/organisations', { name: 'Opvang Zuid' })).body.kind).to.equal('opvang');
    expect((await as(t.app, admin).post('/api/v1/organisations', { name: 'Provincie', kind: 'provincie' })).status).to.equal(422);
  });

  it('refuses a wave in any mode but team', async () => {
    const res = await as(t.app, admin).post('/api/v1/waves', { instrument: KEY, label: 'Route 2026', mode: 'identified' });
    expect(res.status).to.equal(422);
    expect(JSON.stringify(res.body)).to.contain(modeName('team'));
  });

  it('runs as the municipality team\'s shared record, saved half-done, with its route as a plan', async () => {
    const gemeente = (await as(t.app, admin).post('/api/v1/organisations', { name: 'Gemeente Breda (team)', kind: 'gemeente' })).body.id;
    const policy = await createUser(t.app, admin, { email: 'team@breda.test', role: 'manager', organisationId: gemeente });
    const wave = await as(t.app, policy).post('/api/v1/waves', { instrument: KEY, label: 'Route 2026', mode: 'team' });
    expect(wave.status, JSON.stringify(wave.body)).to.equal(201);
    // A plan is never finished at its first save: three of the 34 points, one of them not applicable with its reason.
    const data = { s1a1_status: 'gerealiseerd', s1a2_status: 'bezig', s2a2_status: 'nvt', s2a2_reden: 'Nog geen beleidstraject' };
    const saved = await request(t.app).put(`/api/v1/waves/${wave.body.id}/record`).set('Authorization', `Bearer ${policy.token}`)
      .send({ revision: 0, data });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    const plan = await as(t.app, policy).get(`/api/v1/waves/${wave.body.id}/plan`);
    expect(plan.status, JSON.stringify(plan.body)).to.equal(200);
    expect(plan.body.steps.map((s: { title: string }) => s.title)).to.include('Concreet aan de slag').and.include('Rollen van de gemeente');
    expect(plan.body.currentStep).to.deep.include({ number: 1 });
    expect(plan.body.reasoning.map((r: { id: string; reason: string | null }) => [r.id, r.reason])).to.deep.include(['s2a2', 'Nog geen beleidstraject']);
    const page = await as(t.app, policy).get(`/waves/${wave.body.id}/plan`).set('Accept', 'text/html');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('niet anoniem').and.contain('Concreet aan de slag');
  });

  it('runs in a gemeente only, and shows the progress per step from ordinary responses', async () => {
    // A copy of the instrument that may run with invitations, in an app that offers it.
    const file = testInstrumentFiles().find((f) => f.key === KEY)!;
    const copy = { ...file, key: `${KEY}-met-uitnodigingen`, hash: crypto.createHash('sha256').update(`${file.hash} copy`).digest('hex'), meta: { ...file.meta, modes: ['identified'] } };
    const app = await createApp({
      config: t.config, db: t.testDb.db, log: createLogger('silent' as never),
      instruments: await createInstrumentCatalogue(t.testDb.db, [...testInstrumentFiles(), copy]),
      sealing: { delayMs: 3_600_000, intervalMs: 0 },
    });
    const gemeente = (await as(app, admin).post('/api/v1/organisations', { name: 'Gemeente Tilburg', kind: 'gemeente' })).body.id;
    const opvang = (await as(app, admin).post('/api/v1/organisations', { name: 'Opvang Tilburg' })).body.id;
    const shelter = await createUser(app, admin, { email: 'opvang@tilburg.test', role: 'manager', organisationId: opvang });
    const refused = await as(app, shelter).post('/api/v1/waves', { instrument: copy.key, label: 'Route', mode: 'identified' });
    expect(refused.status).to.equal(422);
    expect(JSON.stringify(refused.body)).to.contain('Gemeente');

    const policy = await createUser(app, admin, { email: 'beleid@tilburg.test', role: 'manager', organisationId: gemeente });
    const wave = await as(app, policy).post('/api/v1/waves', { instrument: copy.key, label: 'Route 2026', mode: 'identified', minGroupSize: 3 });
    expect(wave.status, JSON.stringify(wave.body)).to.equal(201);
    const invitations = (await as(app, policy).post(`/api/v1/waves/${wave.body.id}/invitations`, { count: 1 })).body;
    const data = {
      s1a1_status: 'gerealiseerd', s1a1_uitwerking: 'Bewustwording bij professionals', s1a2_status: 'bezig', s1a3_status: 'niet_gestart',
      s2a1_status: 'gerealiseerd', s2a1_inzet: 'structureel', s2a2_status: 'nvt', s2a2_reden: 'Nog geen beleidstraject',
      s3a1_status: 'in_voorbereiding',
    };
    const sent = await request(app).post(`/s/${invitations[0].token}/responses`).send({ submissionId: '6f1c2f9e-6f7a-4c43-9d8e-1d3f0f6f2b10', data });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    await sealPending(t.testDb.db);
    const summary = await as(app, policy).get(`/api/v1/waves/${wave.body.id}/summary`);
    expect(summary.status, JSON.stringify(summary.body)).to.equal(200);
    expect(summary.body.kind).to.equal('valente');
    const steps = summary.body.valente.steps as Array<{ number: number; progress: number | null }>;
    expect(steps).to.have.length(7);
    // Step 1: gerealiseerd 1, bezig 2/3, niet gestart 0 -> 5/9, in percent.
    expect(steps[0].progress).to.be.closeTo(500 / 9, 1e-9);
    const page = await as(app, policy).get(`/waves/${wave.body.id}/summary`).set('Accept', 'text/html');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Concreet aan de slag').and.contain('Rollen van de gemeente');
  });
});
