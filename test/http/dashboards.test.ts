// The dashboard pages, on the demo organisation's data: every page renders, small groups
// show no numbers, another organisation's wave is "not found", and text is escaped.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account } from '../helpers/app';
import { createDemo } from '../../server/demo/demo';
import { createStore } from '../../server/store';
import { studentWithoutExperience } from '../helpers/tno';
import { sealPending } from '../helpers/seal';

describe('dashboards', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account;
  let waves: Array<{ id: string; label: string; instrument: string; series: string; organisationId: string }>;
  const auth = (a: Account) => ({ Authorization: `Bearer ${a.token}` });
  const wave = (instrument: string, first: boolean) => waves.find((w) => w.instrument === instrument && w.label.startsWith(first ? '0' : '1'))!;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    await createDemo(createStore(t.testDb.db), t.app.locals.instruments);
    waves = (await request(t.app).get('/api/v1/waves').set(auth(admin))).body;
  });
  after(async () => t.close());

  it('renders every page of every demo wave with its title block', async () => {
    for (const w of waves) {
      for (const page of ['results', 'compare', 'summary']) {
        const res = await request(t.app).get(`/waves/${w.id}/${page}`).set(auth(admin));
        expect(res.status, `${w.instrument} ${w.label} ${page}`).to.equal(200);
        expect(res.text).to.contain('class="title-block"').and.contain('Demo-opvang').and.contain(w.label.replace(/[()]/g, (c) => c));
      }
    }
  });

  it('shows the TNO report\'s tables with the report\'s percentages', async () => {
    const res = await request(t.app).get(`/waves/${wave('tno-quickscan', true).id}/summary`).set(auth(admin));
    expect(res.text).to.contain('Tabel 1. Frequentie en percentage van professionals per sector');
    expect(res.text).to.contain('verzonnen (synthetisch)');
    // Tabel 3: Altijd 9 (7%), Vaak 46 (35%), Soms 76 (58%).
    expect(res.text).to.match(/Altijd<\/th><td class="num">9<\/td><td class="num">7<\/td>/);
    expect(res.text).to.match(/Soms<\/th><td class="num">76<\/td><td class="num">58<\/td>/);
  });

  it('shows a comparison with its test in the Dutch report form', async () => {
    const res = await request(t.app).get(`/waves/${wave('tno-quickscan', true).id}/compare?by=b_role`).set(auth(admin));
    expect(res.text).to.match(/Χ² \(\d, N = \d+\) = \d+,\d\d[;,] p [=<] \d,\d{3}/);
    expect(res.text).to.contain('p na Holm-correctie');
    // Never "= <", never "p = 1,000"; the family is named with its size.
    expect(res.text).not.to.contain('= &lt;').and.not.to.contain('= <').and.not.to.contain('p = 1,000');
    expect(res.text).to.match(/gecorrigeerd over \d+ toets(en)? in ‘[^’]+’/);
    // The demo's answers are synthetic, and its pages say so.
    expect(res.text).to.contain('data-testid="synthetic"').and.contain('verzonnen (synthetisch)');
  });

  it('shows a series with the waves side by side and the test between them', async () => {
    const tno = wave('tno-quickscan', true);
    const res = await request(t.app).get(`/series/${encodeURIComponent(tno.series)}?organisationId=${tno.organisationId}`).set(auth(admin));
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('0-meting 2025 (TNO-rapport)').and.contain('1-meting 2026').and.contain('Verschil tussen de metingen');
  });

  it('shows the Valente progress and the Weerman gap ranking', async () => {
    const valente = await request(t.app).get(`/waves/${wave('valente-zes-stappen', false).id}/summary`).set(auth(admin));
    expect(valente.text).to.contain('Voortgang over alle stappen').and.contain('Verandering sinds 0-meting 2025').and.contain('Nog te doen');
    const weerman = await request(t.app).get(`/waves/${wave('weerman-organisatiescan', false).id}/summary`).set(auth(admin));
    expect(weerman.text).to.contain('Rangorde van de verschillen').and.contain('Blinde vlekken').and.contain('Agenda voor het vervolggesprek');
  });

  it('shows no numbers for a filter that leaves fewer than the minimum', async () => {
    const tno = wave('tno-quickscan', true);
    const res = await request(t.app).get(`/waves/${tno.id}/results?filter=b_instelling:han`).set(auth(admin));
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Voor deze selectie tonen we geen cijfers').and.contain('Zo beschermen we de deelnemers');
    expect(res.text).not.to.contain('class="report-table');
  });

  it('answers 404 for another organisation\'s wave on every dashboard page, and lets a viewer of the own organisation read', async () => {
    const other = await createOrganisation(t.app, admin, 'Opvang Elders');
    const outsider = await createUser(t.app, admin, { email: `m-${crypto.randomUUID()}@elders.test`, role: 'manager', organisationId: other });
    const tno = wave('tno-quickscan', true);
    for (const page of ['results', 'compare', 'summary']) {
      expect((await request(t.app).get(`/waves/${tno.id}/${page}`).set(auth(outsider)).set('Accept', 'text/html')).status, page).to.equal(404);
    }
    expect((await request(t.app).get(`/series/${tno.series}?organisationId=${tno.organisationId}`).set(auth(outsider)).set('Accept', 'text/html')).status).to.equal(404);
    const viewer = await createUser(t.app, admin, { email: `v-${crypto.randomUUID()}@demo.test`, role: 'viewer', organisationId: tno.organisationId });
    expect((await request(t.app).get(`/waves/${tno.id}/summary`).set(auth(viewer))).status).to.equal(200);
  });

  it('escapes script in answers shown on the dashboards', async () => {
    const own = await createWave(t.app, admin, { minGroupSize: 3 });
    // Free texts are shown from the text minimum (10 by default) on.
    for (let i = 0; i < 10; i++) {
      await request(t.app).post(`/s/${own.token}/responses`)
        .send({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), e_toelichting: '<script>alert(1)</script>' } });
    }
    await sealPending(t.testDb.db); // all ten, as if the wave had closed
    const texts = await request(t.app).get(`/waves/${own.id}/texts?question=e_toelichting`).set(auth(admin));
    expect(texts.status).to.equal(200);
    expect(texts.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.contain('<script>alert(1)');
  });
});
