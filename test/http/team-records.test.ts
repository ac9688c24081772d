// Team waves (mode "team"): one shared record per wave, kept by staff accounts and reusable
// member links, every save a revision, concurrent saves refused rather than lost, and the
// Valente plan built from it (issue 13).
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createUser, createWave, createOrganisation, TestApp, Account } from '../helpers/app';

describe('a team wave', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  let manager: Account;
  let viewer: Account;
  const api = (as: Account) => ({
    get: (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${as.token}`),
    put: (path: string, body: object) => request(t.app).put(path).set('Authorization', `Bearer ${as.token}`).send(body),
  });

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    manager = await createUser(t.app, admin, { email: 'mt@noord.test', role: 'manager' });
    viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
  });
  after(async () => { await t.close(); });

  async function memberLink(waveId: string, name: string): Promise<string> {
    const res = await request(t.app).post(`/api/v1/waves/${waveId}/invitations`).set('Authorization', `Bearer ${manager.token}`).send({ names: [name] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body[0].token as string;
  }

  it('is refused (422) for an instrument that does not list "team" in meta.modes', async () => {
    const res = await request(t.app).post('/api/v1/waves').set('Authorization', `Bearer ${manager.token}`)
      .send({ instrument: 'tno-quickscan', label: 'team', mode: 'team' });
    expect(res.status).to.equal(422);
    expect(res.body.errors[0].question).to.equal('mode');
  });

  it('keeps one record that a manager and a member link save in turn, each save a revision with who and what changed', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Plan 2026', mode: 'team' });
    expect(wave.token, 'a team wave has no public link').to.equal(null);
    const empty = await api(viewer).get(`/api/v1/waves/${wave.id}/record`);
    expect(empty.status).to.equal(200);
    expect(empty.body).to.deep.include({ revision: 0, data: {}, savedBy: null });

    const first = await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: { s1a1_status: 'bezig', s1a1_eigenaar: 'Beleidsmedewerker' } });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body.revision).to.equal(1);
    expect(first.body.savedBy).to.deep.equal({ kind: 'account', label: 'mt@noord.test' });

    const token = await memberLink(wave.id, 'Fatima (coördinator)');
    const page = await request(t.app).get(`/s/${token}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('niet anoniem');
    const read = await request(t.app).get(`/s/${token}/record`);
    expect(read.body.data).to.deep.equal({ s1a1_status: 'bezig', s1a1_eigenaar: 'Beleidsmedewerker' });
    const second = await request(t.app).put(`/s/${token}/record`).send({ revision: 1, data: { ...read.body.data, s1a1_status: 'gerealiseerd' } });
    expect(second.status, JSON.stringify(second.body)).to.equal(200);
    // The link is reusable: the same member saves again.
    const third = await request(t.app).put(`/s/${token}/record`).send({ revision: 2, data: { ...second.body.data, s1a2_besluit: 'niet', s1a2_motivatie: 'MIE past niet bij de opvang.' } });
    expect(third.status, JSON.stringify(third.body)).to.equal(200);
    expect(third.body.revision).to.equal(3);

    const revisions = await api(viewer).get(`/api/v1/waves/${wave.id}/record/revisions`);
    expect(revisions.status).to.equal(200);
    expect(revisions.body.map((r: { revision: number }) => r.revision)).to.deep.equal([1, 2, 3]);
    expect(revisions.body[1].savedBy).to.deep.equal({ kind: 'link', label: 'Fatima (coördinator)' });
    expect(revisions.body[1].changes).to.deep.equal([
      { question: 's1a1_status', title: 'Actie 1.1 · Status van deze actie', before: 'bezig', after: 'gerealiseerd', beforeText: 'Bezig', afterText: 'Gerealiseerd' },
    ]);
    expect(revisions.body[2].changes.map((c: { question: string }) => c.question)).to.deep.equal(['s1a2_besluit', 's1a2_motivatie']);
  });

  it('refuses a save from an older revision (409) with the record as it now is, and keeps the other member\'s save', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Gelijktijdig', mode: 'team' });
    const token = await memberLink(wave.id, 'Teamlid');
    expect((await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: { s2a1_status: 'bezig' } })).status).to.equal(200);
    const late = await request(t.app).put(`/s/${token}/record`).send({ revision: 0, data: { s2a1_status: 'niet_gestart' } });
    expect(late.status).to.equal(409);
    expect(late.body.error.message).to.contain('Iemand anders heeft dit dossier intussen opgeslagen');
    expect(late.body.record).to.deep.include({ revision: 1, data: { s2a1_status: 'bezig' } });
    expect((await api(viewer).get(`/api/v1/waves/${wave.id}/record`)).body.data).to.deep.equal({ s2a1_status: 'bezig' });
  });

  it('lets exactly one of two simultaneous saves from the same revision in', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Race', mode: 'team' });
    const outcomes = await Promise.all(['bezig', 'gerealiseerd', 'in_voorbereiding'].map((status) =>
      api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: { s3a1_status: status } })));
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal([200, 409, 409]);
    const revisions = await api(manager).get(`/api/v1/waves/${wave.id}/record/revisions`);
    expect(revisions.body).to.have.length(1);
  });

  it('validates a save with the instrument\'s rules (422) and stores nothing', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Ongeldig', mode: 'team' });
    for (const data of [{ s1a1_status: 'klaar' }, { s1a1_streefdatum: '2026-02-30' }, { bestaat_niet: 1 }, { s1a2_besluit: 'niet' }]) {
      const res = await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data });
      expect(res.status, JSON.stringify(data)).to.equal(422);
    }
    expect((await api(manager).get(`/api/v1/waves/${wave.id}/record/revisions`)).body).to.deep.equal([]);
  });

  it('lets viewers read but not edit (403), hides it from another organisation (404) and takes no responses', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'weerman-organisatiescan', label: 'Scan samen', mode: 'team' });
    expect((await api(viewer).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: {} })).status).to.equal(403);
    expect((await api(viewer).get(`/api/v1/waves/${wave.id}/record`)).status).to.equal(200);
    const other = await createOrganisation(t.app, admin, 'Opvang Zuid');
    const outsider = await createUser(t.app, admin, { email: 'mt@zuid.test', role: 'manager', organisationId: other });
    expect((await api(outsider).get(`/api/v1/waves/${wave.id}/record`)).status).to.equal(404);
    expect((await api(outsider).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: {} })).status).to.equal(404);
    const token = await memberLink(wave.id, 'Lid');
    const submitted = await request(t.app).post(`/s/${token}/responses`).send({ submissionId: '6f9619ff-8b86-4d11-b42d-00c04fc964ff', data: {} });
    expect(submitted.status).to.equal(409);
    const imported = await request(t.app).post(`/api/v1/waves/${wave.id}/import`).set('Authorization', `Bearer ${manager.token}`)
      .set('Content-Type', 'text/csv').send('w01_is\n2\n');
    expect(imported.status, JSON.stringify(imported.body)).to.equal(409);
    expect(Number((await t.testDb.db('responses').where({ wave_id: wave.id }).count({ n: '*' }).first())!.n)).to.equal(0);
    // A closed wave's record stays readable and can no longer change.
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${manager.token}`).send({ status: 'closed' }).expect(200);
    expect((await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: {} })).status).to.equal(409);
    expect((await request(t.app).put(`/s/${token}/record`).send({ revision: 0, data: {} })).status).to.equal(410);
  });

  it('records a Weerman team\'s agreed scores: any instrument can be a team record, shown per question with its item', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'weerman-organisatiescan', label: 'Afgesproken scores', mode: 'team' });
    const saved = await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: { w01_is: 2, w01_wens: 4, w01_vragen: 'Wie trekt dit?' } });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    const plan = await request(t.app).get(`/waves/${wave.id}/plan`).set('Authorization', `Bearer ${viewer.token}`);
    expect(plan.status).to.equal(200);
    const row = /<tr><th scope="row">(1\. [^<]*· Wat is er\?)<\/th><td>([^<]*)<\/td><\/tr>/.exec(plan.text);
    expect(row, 'the first agreed score with its item').to.not.equal(null);
    expect(row![2]).to.equal('Gedeeltelijk');
    expect(plan.text).to.contain('Wie trekt dit?');
    expect((await api(viewer).get(`/api/v1/waves/${wave.id}/plan`)).status, 'no Valente plan for Weerman').to.equal(404);
  });

  it('a non-team wave has no record (404)', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Anoniem', mode: 'anonymous' });
    expect((await api(manager).get(`/api/v1/waves/${wave.id}/record`)).status).to.equal(404);
    expect((await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data: {} })).status).to.equal(404);
  });

  it('starts a new round in the same series from the last record of the previous round', async () => {
    const first = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Ronde 1', mode: 'team', series: 'plan' });
    const data = { s1a1_status: 'gerealiseerd', s2a1_status: 'bezig', s2a1_streefdatum: '2026-01-15', s4a1_besluit: 'niet', s4a1_motivatie: 'Geen eisen vooraf.' };
    expect((await api(manager).put(`/api/v1/waves/${first.id}/record`, { revision: 0, data })).status).to.equal(200);
    const second = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Ronde 2', mode: 'team', series: 'plan' });
    const record = await api(manager).get(`/api/v1/waves/${second.id}/record`);
    expect(record.body.revision).to.equal(1);
    expect(record.body.data).to.deep.equal(data);
    expect(record.body.savedBy).to.deep.equal({ kind: 'carried', label: 'Ronde 1' });
    // The plan's progress over time starts with how the earlier round ended.
    expect((await api(manager).put(`/api/v1/waves/${second.id}/record`, { revision: 1, data: { ...data, s2a1_status: 'gerealiseerd' } })).status).to.equal(200);
    const overTime = (await api(manager).get(`/api/v1/waves/${second.id}/plan`)).body.overTime;
    expect(overTime.map((p: { round: string | null; revision: number }) => [p.round, p.revision])).to.deep.equal([['Ronde 1', 1], [null, 1], [null, 2]]);
    expect(overTime[2].overall).to.be.greaterThan(overTime[0].overall);
    const unrelated = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Andere reeks', mode: 'team', series: 'anders' });
    expect((await api(manager).get(`/api/v1/waves/${unrelated.id}/record`)).body.revision).to.equal(0);
  });

  it('shows the Valente plan: current step, overdue, next actions without realised ones, motivations and reasons, no vote counts', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Plan met route', mode: 'team' });
    const data = {
      s1a1_status: 'gerealiseerd', s1a2_besluit: 'niet', s1a2_motivatie: 'De MIE past niet bij de opvang.', s1a3_status: 'gerealiseerd',
      s2a1_status: 'bezig', s2a1_eigenaar: 'Projectleider', s2a1_streefdatum: '2020-01-31', s2a1_notitie: 'Visie ligt bij de OR.',
      s2a2_besluit: 'wel', s2a2_status: 'niet_gestart', s2a2_streefdatum: '2099-06-30',
      s3a2_status: 'nvt', s3a2_reden: 'Budget is al structureel geregeld.',
      s4a2_kerntaken: { a: 'ja', b: 'deels' },
    };
    expect((await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision: 0, data })).status).to.equal(200);
    const plan = await api(viewer).get(`/api/v1/waves/${wave.id}/plan`);
    expect(plan.status, JSON.stringify(plan.body)).to.equal(200);
    expect(plan.body.currentStep).to.deep.equal({ number: 2, title: 'Draagvlak en visievorming' });
    expect(plan.body.overdue.map((a: { id: string }) => a.id)).to.deep.equal(['s2a1']);
    const next = plan.body.nextActions.map((a: { id: string }) => a.id);
    expect(next.slice(0, 2)).to.deep.equal(['s2a1', 's2a2']);
    for (const closed of ['s1a1', 's1a2', 's1a3', 's3a2']) expect(next).to.not.include(closed);
    const reasoning = new Map(plan.body.reasoning.map((r: { id: string }) => [r.id, r]));
    expect(reasoning.get('s1a2')).to.include({ motivation: 'De MIE past niet bij de opvang.', decisionLabel: 'Besloten: niet' });
    expect(reasoning.get('s3a2')).to.include({ reason: 'Budget is al structureel geregeld.' });
    expect(reasoning.get('s2a1')).to.include({ note: 'Visie ligt bij de OR.' });
    expect(plan.body.coreTasks.map((c: { label: string | null }) => c.label)).to.deep.equal(['Ja', 'Deels', null, null]);
    expect(plan.body.actions.find((a: { id: string }) => a.id === 's2a1')).to.include({ owner: 'Projectleider', due: '2020-01-31', statusLabel: 'Bezig', overdue: true });

    const html = await request(t.app).get(`/waves/${wave.id}/plan`).set('Authorization', `Bearer ${viewer.token}`);
    expect(html.status).to.equal(200);
    expect(html.text).to.contain('De MIE past niet bij de opvang.').and.contain('Budget is al structureel geregeld.').and.contain('Visie ligt bij de OR.');
    expect(html.text).to.contain('niet anoniem');
    expect(html.text).to.not.contain('Meest gekozen');
    for (const page of ['summary', 'results', 'compare']) {
      const other = await request(t.app).get(`/waves/${wave.id}/${page}`).set('Authorization', `Bearer ${viewer.token}`);
      expect(other.status, page).to.equal(303);
      expect(other.headers.location).to.equal(`/waves/${wave.id}/plan`);
    }
  });

  it('reports status history and progress over time from the revisions, and what changed since a day', async () => {
    const wave = await createWave(t.app, manager, { instrument: 'valente-zes-stappen', label: 'Historie', mode: 'team' });
    let revision = 0;
    for (const status of ['niet_gestart', 'bezig', 'gerealiseerd']) {
      const res = await api(manager).put(`/api/v1/waves/${wave.id}/record`, { revision, data: { s1a1_status: status } });
      revision = res.body.revision;
    }
    const plan = (await api(manager).get(`/api/v1/waves/${wave.id}/plan?since=2000-01-01`)).body;
    const history = plan.history.find((h: { id: string }) => h.id === 's1a1').entries;
    expect(history.map((e: { from: string | null; to: string }) => [e.from, e.to])).to.deep.equal([[null, 'Niet gestart'], ['Niet gestart', 'Bezig'], ['Bezig', 'Gerealiseerd']]);
    expect(plan.overTime.map((r: { revision: number }) => r.revision)).to.deep.equal([1, 2, 3]);
    expect(plan.overTime[2].steps[0].progress).to.be.greaterThan(plan.overTime[1].steps[0].progress);
    expect(plan.changedSince).to.have.length(3);
    expect((await api(manager).get(`/api/v1/waves/${wave.id}/plan?since=2999-01-01`)).body.changedSince).to.deep.equal([]);
    expect((await api(manager).get(`/api/v1/waves/${wave.id}/plan?since=gisteren`)).status).to.equal(400);
  });
});
