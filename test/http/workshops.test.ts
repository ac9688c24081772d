import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createUser, createOrganisation, TestApp, Account, dbOf } from '../helpers/app';

// The positioning workshop through its API (docs/api-workshops.md): long list, criteria,
// screening to a shortlist, four participants scoring through their links, the plenary view
// with the group's weights, and the preferred scenario.
describe('positioning workshop', () => {
  let t: TestApp;
  let admin: Account;
  let manager: Account;
  let viewer: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    manager = await createUser(t.app, admin, { email: 'facilitator@opvang.test', role: 'manager', organisationId: admin.user.organisationId });
    viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer', organisationId: admin.user.organisationId });
  });
  after(() => t.close());

  const api = (who: Account, method: 'get' | 'post' | 'put' | 'patch', path: string, body?: object) => {
    const req = request(t.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${who.token}`);
    return body === undefined ? req : req.send(body);
  };
  const ok = async (res: Promise<request.Response> | request.Test, status: number) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).to.equal(status);
    return r.body;
  };

  /** A workshop with the criteria of the handleiding and four options, one dropped. */
  async function prepared() {
    const w = await ok(api(manager, 'post', '/workshops', { title: 'De Cirkel is Rond', purpose: 'Inzet bij casuïstiek' }), 201);
    const option = async (name: string) => (await ok(api(manager, 'post', `/workshops/${w.id}/options`, { name }), 201)).id as string;
    const criterion = async (name: string, kind: string) => (await ok(api(manager, 'post', `/workshops/${w.id}/criteria`, { name, kind }), 201)).id as string;
    const o = { veilig: await option('Veilig Thuis'), centrum: await option('Zelfstandig centrum'), wijk: await option('Wijkteam'), ggd: await option('GGD') };
    const c = {
      systemisch: await criterion('Systemisch werken', 'knock-out'),
      draagvlak: await criterion('Draagvlak en commitment', 'precondition'),
      instroom: await criterion('Instroom casuïstiek', 'distinguishing'),
      keten: await criterion('Inzet in de hele keten', 'distinguishing'),
      samenwerking: await criterion('Samenwerking', 'distinguishing'),
    };
    return { id: w.id as string, o, c };
  }

  async function links(id: string, count: number): Promise<string[]> {
    const created = await ok(api(manager, 'post', `/workshops/${id}/invitations`, { count }), 201);
    return created.map((l: { token: string }) => l.token);
  }

  const score = (token: string, scores: object[]) => request(t.app).post(`/w/${token}/scores`).send({ scores });

  it('screens the long list to a shortlist, keeping the reason an option dropped off', async () => {
    const { id, o, c } = await prepared();
    // A failure must name a knock-out criterion of this workshop.
    await ok(api(manager, 'put', `/workshops/${id}/screening`, { failures: [{ optionId: o.wijk, criterionId: c.instroom, reason: 'x' }] }), 422);
    const screened = await ok(api(manager, 'put', `/workshops/${id}/screening`, {
      failures: [{ optionId: o.wijk, criterionId: c.systemisch, reason: 'Werkgebied te lokaal, werkt niet systemisch' }],
    }), 200);
    const wijk = screened.options.find((x: { id: string }) => x.id === o.wijk);
    expect(wijk.shortlisted).to.equal(false);
    expect(wijk.droppedBecause).to.deep.equal([{ criterionId: c.systemisch, criterion: 'Systemisch werken', reason: 'Werkgebied te lokaal, werkt niet systemisch' }]);
    expect(screened.options.filter((x: { shortlisted: boolean }) => x.shortlisted).map((x: { name: string }) => x.name))
      .to.deep.equal(['Veilig Thuis', 'Zelfstandig centrum', 'GGD']);
  });

  it('runs from long list to preferred scenario with four participants, showing nothing below three', async () => {
    const { id, o, c } = await prepared();
    await ok(api(manager, 'put', `/workshops/${id}/screening`, { failures: [{ optionId: o.wijk, criterionId: c.systemisch, reason: 'Te lokaal' }] }), 200);
    const tokens = await links(id, 4);
    // Before scoring opens, a link is not yet usable; the plenary view is not there.
    expect((await request(t.app).get(`/w/${tokens[0]}`)).status).to.equal(410);
    await ok(api(manager, 'get', `/workshops/${id}/plenary`), 409);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    // The long list is fixed now.
    await ok(api(manager, 'post', `/workshops/${id}/options`, { name: 'Te laat' }), 409);

    const page = await request(t.app).get(`/w/${tokens[0]}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Zelfstandig centrum').and.contain('Instroom casuïstiek').and.not.contain('Wijkteam').and.not.contain('Draagvlak');

    const shortlist = [o.veilig, o.centrum, o.ggd];
    const distinguishing = [c.instroom, c.keten, c.samenwerking];
    // Participant p gives option x criterion the symbol from this table.
    const table: Record<string, string[][]> = {
      [o.veilig]: [['+', '+', '+', '+'], ['+/-', '+/-', '+', '+/-'], ['+', '-', '+', '+/-']],
      [o.centrum]: [['-', '+/-', '-', '-'], ['+', '+', '+', '+'], ['+', '+', '+/-', '+']],
      [o.ggd]: [['+/-', '+/-', '+/-', '+/-'], ['-', '-', '+/-', '-'], ['+/-', '+/-', '+/-', '+/-']],
    };
    const scoresOf = (p: number) => shortlist.flatMap((opt) => distinguishing.map((crit, ci) => ({
      optionId: opt, criterionId: crit, score: table[opt][ci][p], ...(opt === o.centrum && ci === 0 && p === 1 ? { remark: 'Eigen instroom ontbreekt' } : {}),
    })));

    // An incomplete matrix is refused and spends nothing.
    await ok(score(tokens[0], scoresOf(0).slice(1)), 422);
    await ok(score(tokens[0], [...scoresOf(0).slice(1), { optionId: o.wijk, criterionId: c.instroom, score: '+' }]), 422);
    await ok(score(tokens[0], scoresOf(0)), 201);
    await ok(score(tokens[0], scoresOf(0)), 410);
    await ok(score(tokens[1], scoresOf(1)), 201);

    // Two of a minimum of three: scoring cannot be closed, nothing is shown.
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 409);
    await ok(api(manager, 'get', `/workshops/${id}/plenary`), 409);
    await ok(score(tokens[2], scoresOf(2)), 201);
    await ok(score(tokens[3], scoresOf(3)), 201);
    const closed = await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 200);
    expect(closed.participants).to.deep.equal({ invited: 4, submitted: 4 });
    await ok(score(tokens[3], scoresOf(3)), 410);

    const plenary = await ok(api(viewer, 'get', `/workshops/${id}/plenary`), 200);
    expect(plenary.n).to.equal(4);
    const cell = (opt: string, crit: string) => plenary.cells.find((x: { optionId: string; criterionId: string }) => x.optionId === opt && x.criterionId === crit);
    expect(cell(o.veilig, c.samenwerking).spread).to.deep.equal({ minus: 1, mixed: 1, plus: 2, n: 4, total: 1 });
    expect(cell(o.veilig, c.samenwerking).disagreement).to.equal(true);
    expect(cell(o.centrum, c.instroom).disagreement).to.equal(false);
    expect(cell(o.centrum, c.instroom).remarks).to.deep.equal(['Eigen instroom ontbreekt']);
    expect(plenary.cells.filter((x: { disagreement: boolean }) => x.disagreement)).to.have.length(1);
    // Totals: veilig 4, 1, 1 = 6; centrum -3, 4, 3 = 4; ggd 0, -3, 0 = -3. Equal weights: veilig first.
    expect(plenary.equal.map((r: { optionId: string }) => r.optionId)).to.deep.equal([o.veilig, o.centrum, o.ggd]);
    expect(plenary.equal[0].score).to.be.closeTo(6 / 12, 1e-12);
    expect(plenary.weighted).to.equal(null);
    // Sensitivity at weights 1, 1, 1 with instroom's weight t: veilig - centrum = 7t + (1 - 4) + (1 - 3)
    // = 7t - 5, level at 5/7; with keten's weight t: 7 + (1 - 4)t + (1 - 3) = 5 - 3t, level at 5/3.
    const sens = new Map(plenary.sensitivity.criteria.map((s: { criterionId: string }) => [s.criterionId, s]));
    expect(plenary.sensitivity.leader).to.equal(o.veilig);
    expect(sens.get(c.instroom)).to.deep.include({ lower: { num: 5, den: 7 }, lowerRivals: [o.centrum], upper: null });
    expect(sens.get(c.keten)).to.deep.include({ lower: null, upper: { num: 5, den: 3 }, upperRivals: [o.centrum] });

    // The group weighs the criteria as in the source: instroom, keten, samenwerking.
    await ok(api(viewer, 'put', `/workshops/${id}/weights`, { weights: [] }), 403);
    await ok(api(manager, 'put', `/workshops/${id}/weights`, { weights: [{ criterionId: c.instroom, weight: 3 }] }), 422);
    const weighted = await ok(api(manager, 'put', `/workshops/${id}/weights`, {
      weights: [{ criterionId: c.instroom, weight: 3 }, { criterionId: c.keten, weight: 2 }, { criterionId: c.samenwerking, weight: 1 }],
    }), 200);
    // veilig 12 + 2 + 1 = 15, centrum -9 + 8 + 3 = 2, ggd 0 - 6 + 0 = -6.
    expect(weighted.weighted.map((r: { optionId: string; score: number }) => [r.optionId, r.score]))
      .to.deep.equal([[o.veilig, 15 / 24], [o.centrum, 2 / 24], [o.ggd, -6 / 24]]);

    await ok(api(manager, 'put', `/workshops/${id}/preferred`, { optionId: o.wijk, reasons: 'x' }), 422);
    const decided = await ok(api(manager, 'put', `/workshops/${id}/preferred`, {
      optionId: o.veilig, reasons: 'Instroom van casuïstiek is geborgd', pros: 'Korte lijnen', cons: 'Minder neutraal imago', nextSteps: 'Werkafspraken maken',
    }), 200);
    expect(decided.preferred).to.deep.include({ optionId: o.veilig, reasons: 'Instroom van casuïstiek is geborgd', cons: 'Minder neutraal imago' });

    const report = await request(t.app).get(`/workshops/${id}/report`).set('Authorization', `Bearer ${viewer.token}`);
    expect(report.status).to.equal(200);
    expect(report.text).to.contain('Te lokaal').and.contain('Instroom van casuïstiek is geborgd').and.contain('Werkafspraken maken')
      .and.contain('Eigen instroom ontbreekt')
      // Under the group's weights 3, 2, 1: veilig - centrum = 7t - 3*2 - 2*1 = 7t - 8, level at instroom 8/7.
      .and.contain('8/7 (1,14)');
  });

  it('keeps scores free of any link to the participant who gave them', async () => {
    const columns = Object.keys(await dbOf(t.app)('workshop_scores').columnInfo());
    expect(columns.sort()).to.deep.equal(['criterion_id', 'id', 'option_id', 'remark', 'score', 'workshop_id']);
  });

  it('hides another organisation\'s workshop and refuses viewers the facilitator\'s work', async () => {
    const { id } = await prepared();
    const other = await createOrganisation(t.app, admin, 'Opvang Zuid');
    const stranger = await createUser(t.app, admin, { email: 'zuid@opvang.test', role: 'manager', organisationId: other });
    await ok(api(stranger, 'get', `/workshops/${id}`), 404);
    await ok(api(stranger, 'post', `/workshops/${id}/options`, { name: 'x' }), 404);
    await ok(api(stranger, 'get', `/workshops/${id}/plenary`), 404);
    expect((await ok(api(stranger, 'get', '/workshops'), 200)).map((w: { id: string }) => w.id)).to.not.include(id);
    await ok(api(viewer, 'post', `/workshops/${id}/options`, { name: 'x' }), 403);
    await ok(api(viewer, 'post', '/workshops', { title: 'x' }), 403);
    await ok(api(manager, 'post', '/workshops', { title: 'x', minParticipants: 2 }), 422);
    await ok(api(manager, 'post', `/workshops/${id}/criteria`, { name: 'x', kind: 'belangrijk' }), 422);
    expect((await request(t.app).get('/w/onbekend-token-123')).status).to.equal(404);
    // A participant's link is logged as a respondent's: without the token and without a time.
    const line = t.logLines.map((l) => JSON.parse(l) as { path?: string; time?: unknown }).find((l) => l.path?.startsWith('/w/'));
    expect(line?.path).to.equal('/w/:token');
    expect(line).to.not.have.property('time');
    expect(t.logLines.join('\n')).to.not.contain('onbekend-token-123');
  });

  it('takes a participant\'s scores from the page form, and shows what is missing', async () => {
    const { id, o, c } = await prepared();
    const [token] = await links(id, 1);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    const form: Record<string, string> = {};
    for (const opt of Object.values(o)) for (const crit of [c.instroom, c.keten]) form[`s.${opt}.${crit}`] = '+';
    const partial = await request(t.app).post(`/w/${token}`).type('form').send(form);
    expect(partial.status).to.equal(422);
    expect(partial.text).to.contain('Beoordeel ‘GGD’ op ‘Samenwerking’');
    for (const opt of Object.values(o)) form[`s.${opt}.${c.samenwerking}`] = '+/-';
    const done = await request(t.app).post(`/w/${token}`).type('form').send(form);
    expect(done.status).to.equal(201);
    expect((await ok(api(manager, 'get', `/workshops/${id}`), 200)).participants).to.deep.equal({ invited: 1, submitted: 1 });
  });
});
