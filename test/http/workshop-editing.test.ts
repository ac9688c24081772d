import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createUser, createOrganisation, TestApp, Account, PASSWORD, dbOf } from '../helpers/app';

// Putting a workshop right after it was set up (docs/api-workshops.md, "Changing a workshop"):
// editing, removing and reordering options and criteria, marking and unmarking knock-out,
// going back from the shortlist to screening, and reopening scoring after the plenary. Bad
// input is 422 and changes nothing; a change that drops scores or screening reasons is 409
// until confirmed; another organisation's workshop is 404.
describe('changing a positioning workshop', () => {
  let t: TestApp;
  let admin: Account;
  let manager: Account;
  let viewer: Account;
  let stranger: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    manager = await createUser(t.app, admin, { email: 'facilitator@opvang.test', role: 'manager', organisationId: admin.user.organisationId });
    viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer', organisationId: admin.user.organisationId });
    const other = await createOrganisation(t.app, admin, 'Opvang Zuid');
    stranger = await createUser(t.app, admin, { email: 'zuid@opvang.test', role: 'manager', organisationId: other });
  });
  after(() => t.close());

  const api = (who: Account, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
    const req = request(t.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${who.token}`);
    return body === undefined ? req : req.send(body);
  };
  const ok = async (res: Promise<request.Response> | request.Test, status: number) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).to.equal(status);
    return r.body;
  };
  const get = (id: string) => ok(api(manager, 'get', `/workshops/${id}`), 200);

  async function prepared() {
    const w = await ok(api(manager, 'post', '/workshops', { title: 'De Cirkel is Rond' }), 201);
    const option = async (name: string) => (await ok(api(manager, 'post', `/workshops/${w.id}/options`, { name }), 201)).id as string;
    const criterion = async (name: string, kind: string) => (await ok(api(manager, 'post', `/workshops/${w.id}/criteria`, { name, kind }), 201)).id as string;
    const o = { veilig: await option('Veilig Thuis'), centrum: await option('Zelfstandig centrum'), wijk: await option('Wijkteam'), ggd: await option('GGD') };
    const c = {
      systemisch: await criterion('Systemisch werken', 'knock-out'),
      draagvlak: await criterion('Draagvlak', 'precondition'),
      instroom: await criterion('Instroom casuïstiek', 'distinguishing'),
      keten: await criterion('Inzet in de hele keten', 'distinguishing'),
    };
    await ok(api(manager, 'put', `/workshops/${w.id}/screening`, { failures: [{ optionId: o.wijk, criterionId: c.systemisch, reason: 'Te lokaal' }] }), 200);
    return { id: w.id as string, o, c };
  }

  /** Opens scoring and has `count` participants score every cell '+'. */
  async function scored(id: string, count: number) {
    const tokens = (await ok(api(manager, 'post', `/workshops/${id}/invitations`, { count }), 201)).map((l: { token: string }) => l.token as string);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    const w = await get(id);
    const cells = w.options.filter((x: { shortlisted: boolean }) => x.shortlisted).flatMap((x: { id: string }) => w.criteria
      .filter((k: { kind: string }) => k.kind === 'distinguishing').map((k: { id: string }) => ({ optionId: x.id, criterionId: k.id, score: '+' })));
    for (const token of tokens) await ok(request(t.app).post(`/w/${token}/scores`).send({ scores: cells }), 201);
    return tokens;
  }
  const scoreCount = async (id: string) => Number((await dbOf(t.app)('workshop_scores').where({ workshop_id: id }).count({ n: '*' }))[0].n);

  it('edits an option\'s name and description, and refuses bad input without changing anything', async () => {
    const { id, o } = await prepared();
    const edited = await ok(api(manager, 'patch', `/workshops/${id}/options/${o.veilig}`, { name: 'Veilig Thuis regio', description: 'Met de flexpool' }), 200);
    expect(edited).to.deep.include({ id: o.veilig, name: 'Veilig Thuis regio', description: 'Met de flexpool', shortlisted: true });
    for (const bad of [{ name: '' }, { name: '   ' }, { name: 'x'.repeat(201) }, { description: 5 }]) {
      await ok(api(manager, 'patch', `/workshops/${id}/options/${o.veilig}`, bad), 422);
    }
    // A field the API does not know: 400, as everywhere (server/http/validate.ts).
    await ok(api(manager, 'patch', `/workshops/${id}/options/${o.veilig}`, { name: 'x', colour: 'rood' }), 400);
    await ok(api(manager, 'patch', `/workshops/${id}/options/onbekend`, { name: 'x' }), 404);
    const option = (await get(id)).options.find((x: { id: string }) => x.id === o.veilig);
    expect(option).to.deep.include({ name: 'Veilig Thuis regio', description: 'Met de flexpool' });
    // Clearing the description, and after scoring opened: names can still be put right.
    await ok(api(manager, 'patch', `/workshops/${id}/options/${o.veilig}`, { description: null }), 200);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    expect(await ok(api(manager, 'patch', `/workshops/${id}/options/${o.veilig}`, { name: 'Veilig Thuis' }), 200)).to.deep.include({ name: 'Veilig Thuis', description: null });
  });

  it('marks and unmarks knock-out while preparing; unmarking drops the screening reasons only when confirmed', async () => {
    const { id, o, c } = await prepared();
    await ok(api(manager, 'patch', `/workshops/${id}/criteria/${c.draagvlak}`, { kind: 'knock-out', description: 'Commitment van de top' }), 200);
    expect((await get(id)).criteria.find((x: { id: string }) => x.id === c.draagvlak)).to.deep.include({ kind: 'knock-out', description: 'Commitment van de top' });
    await ok(api(manager, 'patch', `/workshops/${id}/criteria/${c.draagvlak}`, { kind: 'belangrijk' }), 422);
    // Systemisch werken dropped the Wijkteam: unmarking it asks first, and changes nothing until confirmed.
    const asked = await api(manager, 'patch', `/workshops/${id}/criteria/${c.systemisch}`, { kind: 'precondition' });
    expect(asked.status).to.equal(409);
    expect(asked.body.error.code).to.equal('confirmation_required');
    expect(asked.body.error.message).to.contain('aantal: 1').and.contain('shortlist');
    let w = await get(id);
    expect(w.criteria.find((x: { id: string }) => x.id === c.systemisch).kind).to.equal('knock-out');
    expect(w.options.find((x: { id: string }) => x.id === o.wijk).shortlisted).to.equal(false);
    await ok(api(manager, 'patch', `/workshops/${id}/criteria/${c.systemisch}?confirm=true`, { kind: 'precondition' }), 200);
    w = await get(id);
    expect(w.criteria.find((x: { id: string }) => x.id === c.systemisch).kind).to.equal('precondition');
    expect(w.options.find((x: { id: string }) => x.id === o.wijk)).to.deep.include({ shortlisted: true, droppedBecause: [] });
    // Once scoring is open the kind is fixed (a new scored criterion would have unscored cells).
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    await ok(api(manager, 'patch', `/workshops/${id}/criteria/${c.draagvlak}`, { kind: 'distinguishing' }), 409);
    await ok(api(manager, 'patch', `/workshops/${id}/criteria/${c.draagvlak}`, { name: 'Draagvlak en commitment' }), 200);
  });

  it('removes options and criteria before scoring, and drops their scores after only when confirmed', async () => {
    const { id, o, c } = await prepared();
    const extra = (await ok(api(manager, 'post', `/workshops/${id}/options`, { name: 'Dubbel ingevoerd' }), 201)).id;
    await ok(api(manager, 'delete', `/workshops/${id}/options/${extra}`), 204);
    await ok(api(manager, 'delete', `/workshops/${id}/criteria/${c.draagvlak}`), 204);
    const w = await get(id);
    expect(w.options.map((x: { name: string }) => x.name)).to.deep.equal(['Veilig Thuis', 'Zelfstandig centrum', 'Wijkteam', 'GGD']);
    expect(w.criteria.map((x: { name: string }) => x.name)).to.deep.equal(['Systemisch werken', 'Instroom casuïstiek', 'Inzet in de hele keten']);
    await ok(api(manager, 'delete', `/workshops/${id}/options/${extra}`), 404);

    await scored(id, 3);
    expect(await scoreCount(id)).to.equal(3 * 3 * 2);
    // Scores on GGD: asked first; nothing goes until confirmed.
    const asked = await api(manager, 'delete', `/workshops/${id}/options/${o.ggd}`);
    expect(asked.status).to.equal(409);
    expect(asked.body.error).to.deep.include({ code: 'confirmation_required' });
    expect(asked.body.error.message).to.contain('aantal: 6').and.contain('GGD');
    expect(await scoreCount(id)).to.equal(18);
    await ok(api(manager, 'delete', `/workshops/${id}/options/${o.ggd}?confirm=true`), 204);
    expect(await scoreCount(id)).to.equal(12);
    // The shortlist cannot fall below two while scores are given, nor the scored criteria below one.
    await ok(api(manager, 'delete', `/workshops/${id}/options/${o.centrum}?confirm=true`), 409);
    await ok(api(manager, 'delete', `/workshops/${id}/criteria/${c.keten}`), 409);
    await ok(api(manager, 'delete', `/workshops/${id}/criteria/${c.keten}?confirm=true`), 204);
    expect(await scoreCount(id)).to.equal(6);
    await ok(api(manager, 'delete', `/workshops/${id}/criteria/${c.instroom}?confirm=true`), 409);
    // A knock-out criterion that dropped an option stays: removing it would put the Wijkteam on the shortlist unscored.
    await ok(api(manager, 'delete', `/workshops/${id}/criteria/${c.systemisch}?confirm=true`), 409);
    // The dropped option has no scores and goes without asking.
    await ok(api(manager, 'delete', `/workshops/${id}/options/${o.wijk}`), 204);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 200);
    const plenary = await ok(api(manager, 'get', `/workshops/${id}/plenary`), 200);
    expect(plenary.shortlist.map((x: { name: string }) => x.name)).to.deep.equal(['Veilig Thuis', 'Zelfstandig centrum']);
    expect(plenary.criteria.map((x: { name: string }) => x.name)).to.deep.equal(['Instroom casuïstiek']);
    expect(plenary.cells.every((x: { spread: { n: number } }) => x.spread.n === 3)).to.equal(true);
    // The preferred scenario's option stays.
    await ok(api(manager, 'put', `/workshops/${id}/preferred`, { optionId: o.veilig, reasons: 'Geborgde instroom' }), 200);
    await ok(api(manager, 'delete', `/workshops/${id}/options/${o.veilig}?confirm=true`), 409);
  });

  it('reorders the long list and the criteria, refusing an order that is not every id once', async () => {
    const { id, o, c } = await prepared();
    const reordered = await ok(api(manager, 'put', `/workshops/${id}/options`, { ids: [o.ggd, o.veilig, o.wijk, o.centrum] }), 200);
    expect(reordered.options.map((x: { name: string }) => x.name)).to.deep.equal(['GGD', 'Veilig Thuis', 'Wijkteam', 'Zelfstandig centrum']);
    for (const ids of [[o.ggd, o.veilig, o.wijk], [o.ggd, o.veilig, o.wijk, o.wijk], [o.ggd, o.veilig, o.wijk, c.instroom]]) {
      await ok(api(manager, 'put', `/workshops/${id}/options`, { ids }), 422);
    }
    await ok(api(manager, 'put', `/workshops/${id}/options`, { ids: 'GGD' }), 422);
    await ok(api(manager, 'put', `/workshops/${id}/options`, { order: [] }), 400);
    expect((await get(id)).options.map((x: { name: string }) => x.name)).to.deep.equal(['GGD', 'Veilig Thuis', 'Wijkteam', 'Zelfstandig centrum']);
    const criteria = await ok(api(manager, 'put', `/workshops/${id}/criteria`, { ids: [c.keten, c.instroom, c.draagvlak, c.systemisch] }), 200);
    expect(criteria.criteria.map((x: { name: string }) => x.name)).to.deep.equal(['Inzet in de hele keten', 'Instroom casuïstiek', 'Draagvlak', 'Systemisch werken']);
    // The participant's matrix follows the new order.
    const [token] = await ok(api(manager, 'post', `/workshops/${id}/invitations`, { count: 1 }), 201);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    const matrix = (await request(t.app).get(`/w/${token.token}`)).text;
    expect(matrix.indexOf('GGD')).to.be.below(matrix.indexOf('Veilig Thuis'));
    expect(matrix.indexOf('Inzet in de hele keten')).to.be.below(matrix.indexOf('Instroom casuïstiek'));
  });

  it('goes back from the shortlist to screening, dropping the scores only when confirmed, and the links score again', async () => {
    const { id } = await prepared();
    // Before anyone scored: straight back.
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    expect((await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'preparing' }), 200)).status).to.equal('preparing');
    const tokens = await scored(id, 2);
    const asked = await api(manager, 'patch', `/workshops/${id}`, { status: 'preparing' });
    expect(asked.status).to.equal(409);
    expect(asked.body.error.message).to.contain('aantal: 2');
    expect((await get(id)).status).to.equal('scoring');
    const back = await ok(api(manager, 'patch', `/workshops/${id}?confirm=true`, { status: 'preparing' }), 200);
    expect(back).to.deep.include({ status: 'preparing', participants: { invited: 2, submitted: 0 } });
    expect(await scoreCount(id)).to.equal(0);
    // The long list changes again: the Wijkteam comes back, a criterion is added.
    await ok(api(manager, 'put', `/workshops/${id}/screening`, { failures: [] }), 200);
    await ok(api(manager, 'post', `/workshops/${id}/criteria`, { name: 'Samenwerking', kind: 'distinguishing' }), 201);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    const page = await request(t.app).get(`/w/${tokens[0]}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Wijkteam').and.contain('Samenwerking');
  });

  it('reopens scoring after the plenary: unused links work again, the plenary view says so, and closing again never singles anyone out', async () => {
    const { id } = await prepared();
    const tokens = (await ok(api(manager, 'post', `/workshops/${id}/invitations`, { count: 7 }), 201)).map((l: { token: string }) => l.token as string);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    const w = await get(id);
    const cells = (score: string) => w.options.filter((x: { shortlisted: boolean }) => x.shortlisted).flatMap((x: { id: string }) => w.criteria
      .filter((k: { kind: string }) => k.kind === 'distinguishing').map((k: { id: string }) => ({ optionId: x.id, criterionId: k.id, score })));
    for (const token of tokens.slice(0, 3)) await ok(request(t.app).post(`/w/${token}/scores`).send({ scores: cells('+') }), 201);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 200);
    expect((await request(t.app).get(`/w/${tokens[3]}`)).status).to.equal(410);
    await ok(api(viewer, 'patch', `/workshops/${id}`, { status: 'scoring' }), 403);
    await ok(api(stranger, 'patch', `/workshops/${id}`, { status: 'scoring' }), 404);

    const reopened = await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    expect(reopened).to.deep.include({ status: 'scoring', shownParticipants: 3 });
    expect((await request(t.app).get(`/w/${tokens[3]}`)).status).to.equal(200);
    expect((await request(t.app).get(`/w/${tokens[0]}`)).status).to.equal(410); // used links stay used
    const waiting = await api(viewer, 'get', `/workshops/${id}/plenary`);
    expect(waiting.status).to.equal(409);
    expect(waiting.body.error.message).to.contain('heropend');
    const page = await request(t.app).get(`/workshops/${id}/plenary`).set('Authorization', `Bearer ${viewer.token}`).set('Accept', 'text/html');
    expect(page.status).to.equal(409);
    expect(page.text).to.contain('De beoordeling is heropend').and.contain('met 3 deelnemers');

    // One more participant: the two views side by side would show her scores. Refused until none or three more.
    await ok(request(t.app).post(`/w/${tokens[3]}/scores`).send({ scores: cells('-') }), 201);
    const refused = await api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.contain('aantal: 1');
    await ok(request(t.app).post(`/w/${tokens[4]}/scores`).send({ scores: cells('-') }), 201);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 409);
    await ok(request(t.app).post(`/w/${tokens[5]}/scores`).send({ scores: cells('+/-') }), 201);
    const closed = await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 200);
    expect(closed.shownParticipants).to.equal(6);
    expect((await ok(api(viewer, 'get', `/workshops/${id}/plenary`), 200)).n).to.equal(6);
    // Reopened and closed again with nobody new: allowed, the view is the same one.
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'scoring' }), 200);
    await ok(api(manager, 'patch', `/workshops/${id}`, { status: 'plenary' }), 200);
  });

  it('refuses every change to another organisation\'s workshop with 404 and to a viewer with 403', async () => {
    const { id, o, c } = await prepared();
    for (const [method, path, body] of [
      ['patch', `/workshops/${id}/options/${o.veilig}`, { name: 'x' }], ['delete', `/workshops/${id}/options/${o.veilig}?confirm=true`, undefined],
      ['put', `/workshops/${id}/options`, { ids: [] }], ['patch', `/workshops/${id}/criteria/${c.instroom}`, { name: 'x' }],
      ['delete', `/workshops/${id}/criteria/${c.instroom}?confirm=true`, undefined], ['put', `/workshops/${id}/criteria`, { ids: [] }],
      ['patch', `/workshops/${id}?confirm=true`, { status: 'preparing' }],
    ] as const) {
      await ok(api(stranger, method, path, body), 404);
      await ok(api(viewer, method, path, body), 403);
    }
    const w = await get(id);
    expect(w.options.map((x: { name: string }) => x.name)).to.deep.equal(['Veilig Thuis', 'Zelfstandig centrum', 'Wijkteam', 'GGD']);
    expect(w.criteria.map((x: { name: string }) => x.name)).to.deep.equal(['Systemisch werken', 'Draagvlak', 'Instroom casuïstiek', 'Inzet in de hele keten']);
  });

  it('does the same from the workshop page: edit, move, remove with a confirmation page, reopen', async () => {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'facilitator@opvang.test', password: PASSWORD });
    const { id, o, c } = await prepared();
    const page = await agent.get(`/workshops/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Veilig Thuis wijzigen').and.contain(`action="/workshops/${id}/criteria/${c.systemisch}/remove"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const post = (path: string, body: Record<string, string> = {}) => agent.post(`/workshops/${id}/${path}`).type('form').send({ _csrf: csrf, ...body });

    expect((await post(`options/${o.centrum}`, { name: 'Centrum ervaringsdeskundigheid', description: 'Zelfstandig' })).status).to.equal(303);
    expect((await post(`options/${o.centrum}`, { name: '' })).status).to.equal(422);
    expect((await post(`options/${o.ggd}/move`, { direction: 'up' })).status).to.equal(303);
    expect((await post(`criteria/${c.draagvlak}`, { name: 'Draagvlak', kind: 'knock-out' })).status).to.equal(303);
    let w = await get(id);
    expect(w.options.map((x: { name: string }) => x.name)).to.deep.equal(['Veilig Thuis', 'Centrum ervaringsdeskundigheid', 'GGD', 'Wijkteam']);
    expect(w.criteria.find((x: { id: string }) => x.id === c.draagvlak).kind).to.equal('knock-out');

    // Removing the knock-out criterion that dropped the Wijkteam: a confirmation page first.
    const confirm = await post(`criteria/${c.systemisch}/remove`);
    expect(confirm.status).to.equal(409);
    expect(confirm.text).to.contain('komen die posities weer op de shortlist').and.contain('name="confirm" value="true"');
    expect((await get(id)).criteria).to.have.length(4);
    expect((await post(`criteria/${c.systemisch}/remove`, { confirm: 'true' })).status).to.equal(303);
    w = await get(id);
    expect(w.criteria).to.have.length(3);
    expect(w.options.every((x: { shortlisted: boolean }) => x.shortlisted)).to.equal(true);

    await scored(id, 3);
    expect((await post('status', { status: 'plenary' })).status).to.equal(303);
    const plenaryPage = await agent.get(`/workshops/${id}`);
    expect(plenaryPage.text).to.contain('Beoordeling heropenen').and.contain('Terug naar de selectie');
    expect((await post('status', { status: 'scoring' })).status).to.equal(303);
    expect((await agent.get(`/workshops/${id}`)).text).to.contain('heropend na een plenaire bespreking met 3 deelnemers');
    const back = await post('status', { status: 'preparing' });
    expect(back.status).to.equal(409);
    expect(back.text).to.contain('alle scores vervallen');
    expect((await post('status', { status: 'preparing', confirm: 'true' })).status).to.equal(303);
    expect((await get(id)).status).to.equal('preparing');
  });
});
