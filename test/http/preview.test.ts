// The preview of a wave (server/preview/routes.ts): staff of the wave's organisation, viewers
// included, open the respondent's page and send it; what is sent is validated exactly as a
// real submission and never stored, counted or charged to the public link's limit.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account } from '../helpers/app';
import { sealPending } from '../helpers/seal';
import { studentWithoutExperience } from '../helpers/tno';

/** Every table a submission could leave a trace in. */
const TRACES = ['responses', 'answers', 'pending_responses', 'pending_contacts', 'contact_requests', 'answer_tallies', 'tally_queue', 'rate_limit_hits'];

describe('the preview of a wave', () => {
  let t: TestApp;
  let admin: Account;
  let viewer: Account;
  let outsider: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;

  beforeEach(async () => {
    t = await createTestApp({ PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '2' });
    admin = await setupAdmin(t.app);
    viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
    const elsewhere = await createOrganisation(t.app, admin, 'Opvang Elders');
    outsider = await createUser(t.app, admin, { email: 'manager@elders.test', role: 'manager', organisationId: elsewhere });
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  const traces = async () => {
    const counts: Record<string, number> = {};
    for (const table of TRACES) counts[table] = Number((await t.testDb.db(table).count({ n: '*' }).first())!.n);
    return counts;
  };
  const send = (account: Account, data: Record<string, unknown>, id = wave.id) => request(t.app).post(`/waves/${id}/preview/responses`)
    .set('Authorization', `Bearer ${account.token}`).send({ submissionId: crypto.randomUUID(), data });
  const real = (data: Record<string, unknown>) => request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });

  it('shows the respondent page with its way out, its script and a preview banner, to a manager and a viewer', async () => {
    for (const account of [admin, viewer]) {
      const res = await request(t.app).get(`/waves/${wave.id}/preview`).set('Authorization', `Bearer ${account.token}`).set('Accept', 'text/html');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('id="quick-exit"');
      expect(res.text).to.contain('data-testid="preview-banner"');
      expect(res.text).to.contain('<title>Vragenlijst</title>');
      expect(res.text).to.contain(`"submitUrl":"/waves/${wave.id}/preview/responses"`);
    }
    // The respondent's own page never has the banner.
    expect((await request(t.app).get(`/s/${wave.token}`)).text).not.to.contain('preview-banner');
  });

  it('links to the preview from the wave page', async () => {
    const page = await request(t.app).get(`/waves/${wave.id}`).set('Authorization', `Bearer ${viewer.token}`).set('Accept', 'text/html');
    expect(page.text).to.contain(`href="/waves/${wave.id}/preview"`);
  });

  it('validates a send as a real submission would, and stores, counts and limits nothing', async () => {
    const before = await traces();
    // More sends than the public link allows one client: none of them is charged to it.
    for (let i = 0; i < 4; i++) {
      const res = await send(i % 2 ? viewer : admin, { ...studentWithoutExperience(), m_interview: 'ja', m_contact: { naam: 'Proef', telefoon: '0600000000' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.equal({ status: 'preview' });
    }
    await t.app.locals.sealer.sealDue();
    await sealPending(t.testDb.db);
    expect(await traces()).to.deep.equal(before);
    const shown = await request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect(shown.body.responses).to.equal(0);
    // The public link still takes its full allowance from this client.
    expect((await real(studentWithoutExperience())).status).to.equal(201);
    expect((await real(studentWithoutExperience())).status).to.equal(201);
  });

  it('refuses invalid answers with the same 422 and error list as the respondent link', async () => {
    const bad = { ...studentWithoutExperience(), c_ervaring: 'misschien', extra: 1 };
    const previewed = await send(viewer, bad);
    const submitted = await real(bad);
    expect(previewed.status).to.equal(422);
    expect(previewed.body).to.deep.equal(submitted.body);
    const missing = await send(admin, { b_role: 'student' });
    expect(missing.status).to.equal(422);
    expect(missing.body.errors.length).to.be.greaterThan(0);
    expect(missing.body).to.deep.equal((await real({ b_role: 'student' })).body);
    expect((await request(t.app).post(`/waves/${wave.id}/preview/responses`).set('Authorization', `Bearer ${admin.token}`).send({ data: {} })).status).to.equal(400);
  });

  it('works for a closed wave and one that opens later', async () => {
    const later = await createWave(t.app, admin, { opensAt: '2099-01-01' });
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' }).expect(200);
    for (const id of [wave.id, later.id]) {
      expect((await request(t.app).get(`/waves/${id}/preview`).set('Authorization', `Bearer ${viewer.token}`).set('Accept', 'text/html')).status).to.equal(200);
      expect((await send(viewer, studentWithoutExperience(), id)).status).to.equal(200);
    }
  });

  it('answers another organisation\'s staff 404, as for a wave that does not exist', async () => {
    const page = await request(t.app).get(`/waves/${wave.id}/preview`).set('Authorization', `Bearer ${outsider.token}`).set('Accept', 'text/html');
    expect(page.status).to.equal(404);
    const sent = await send(outsider, studentWithoutExperience());
    expect(sent.status).to.equal(404);
    expect(sent.body).to.deep.equal((await send(outsider, studentWithoutExperience(), crypto.randomUUID())).body);
  });

  it('offers the instrument\'s languages as the respondent page does, with Spiegel\'s texts in the language chosen', async () => {
    const bilingual = {
      title: { default: 'Check-in', nl: 'Even peilen' },
      pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'gevoel', title: { default: 'How are you?', nl: 'Hoe gaat het?' },
        choices: [{ value: 'goed', text: { default: 'Fine', nl: 'Goed' } }, { value: 'slecht', text: { default: 'Not fine', nl: 'Niet goed' } }] }] }],
    };
    await request(t.app).post('/api/v1/instruments?key=peiling').set('Authorization', `Bearer ${admin.token}`).send(bilingual).expect(201);
    const peiling = await createWave(t.app, admin, { instrument: 'peiling' });
    const open = (id: string, query = '') => request(t.app).get(`/waves/${id}/preview${query}`).set('Authorization', `Bearer ${viewer.token}`).set('Accept', 'text/html');
    const surveyOf = (html: string) => JSON.parse(/id="spiegel-survey">([^<]+)</.exec(html)![1]) as { locale: string };
    const dutch = await open(peiling.id);
    expect(dutch.status).to.equal(200);
    expect(dutch.text).to.contain('<html lang="nl">').and.contain('Snel weg').and.contain('href="?lang=en"').and.contain('data-testid="preview-banner"');
    expect(surveyOf(dutch.text).locale).to.equal('nl');
    const english = await open(peiling.id, '?lang=en');
    expect(english.text).to.contain('<html lang="en">').and.contain('Leave now').and.contain('Preview: this is how')
      .and.contain('href="?lang=nl"').and.not.contain('Snel weg');
    expect(surveyOf(english.text).locale).to.equal('en');
    // The respondent page of the same wave offers the same.
    expect((await request(t.app).get(`/s/${peiling.token}?lang=en`)).text).to.contain('<html lang="en">');
    // A language the instrument does not have is not offered (the quickscan is Dutch only).
    const onlyDutch = await open(wave.id, '?lang=en');
    expect(onlyDutch.text).to.contain('<html lang="nl">').and.not.contain('?lang=');
  });

  it('needs a login, and a session cookie needs the CSRF token', async () => {
    expect((await request(t.app).post(`/waves/${wave.id}/preview/responses`).send({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() })).status).to.equal(401);
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: 'lezer@noord.test', password: 'correct horse battery' });
    const cookie = String(login.headers['set-cookie']).match(/spiegel_session=[^;]+/)![0];
    const withoutToken = await request(t.app).post(`/waves/${wave.id}/preview/responses`).set('Cookie', cookie).send({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    expect(withoutToken.status).to.equal(403);
  });
});
