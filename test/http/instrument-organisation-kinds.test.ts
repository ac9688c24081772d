// Instruments declare the kinds of organisation that run them (meta.organisationKinds): the
// new-wave form offers a gemeente the Movisie route and not the shelter instruments, an
// opvang the reverse, and the API refuses another with 422 and a Dutch reason, creating
// nothing. A shared upload that declares no kinds is for an opvang (what every shared
// instrument was written for); a manager's own upload runs in her organisation, whatever its kind.
import { expect } from 'chai';
import request from 'supertest';
import { Account, createTestApp, createUser, setupAdmin, TestApp, PASSWORD } from '../helpers/app';

const SHELTER_INSTRUMENTS = ['tno-quickscan', 'valente-zes-stappen', 'weerman-organisatiescan'];
const survey = { title: 'Eigen vragenlijst', pages: [{ name: 'p1', elements: [{ type: 'comment', name: 'opmerking', title: 'Wat valt op?' }] }] };

describe('instruments by kind of organisation', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account;
  let shelter: Account;
  let municipality: Account;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    shelter = await createUser(t.app, admin, { email: 'manager@opvang.test', role: 'manager', organisationId: admin.user.organisationId });
    const gemeente = (await request(t.app).post('/api/v1/organisations').set('Authorization', `Bearer ${admin.token}`).send({ name: 'Gemeente Breda', kind: 'gemeente' })).body.id;
    municipality = await createUser(t.app, admin, { email: 'beleid@breda.test', role: 'manager', organisationId: gemeente });
  });
  after(() => t.close());

  const api = (who: Account) => ({
    get: (path: string) => request(t.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${who.token}`),
    post: (path: string, body: object) => request(t.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${who.token}`).send(body),
  });

  /** The instrument keys the new-wave form offers, as the page's <option>s. */
  async function offered(email: string): Promise<string[]> {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email, password: PASSWORD });
    const page = await agent.get('/waves/new');
    expect(page.status).to.equal(200);
    const select = /<select id="instrument"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)![1];
    return [...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
  }

  it('declares the kinds in every shipped instrument', async () => {
    for (const key of SHELTER_INSTRUMENTS) expect((await api(admin).get(`/instruments/${key}`)).body.meta.organisationKinds, key).to.deep.equal(['opvang']);
    expect((await api(admin).get('/instruments/movisie-gemeente')).body.meta.organisationKinds).to.deep.equal(['gemeente']);
  });

  it('offers a gemeente the municipality\'s route only, and an opvang the shelter instruments only', async () => {
    expect(await offered('beleid@breda.test')).to.deep.equal(['movisie-gemeente']);
    expect(await offered('manager@opvang.test')).to.deep.equal(SHELTER_INSTRUMENTS);
  });

  it('refuses a shelter instrument in a gemeente and the route in an opvang with 422 and a Dutch reason, creating nothing', async () => {
    const before = (await api(municipality).get('/waves')).body.length;
    for (const key of SHELTER_INSTRUMENTS) {
      const refused = await api(municipality).post('/waves', { instrument: key, label: 'Meting', mode: 'anonymous' });
      expect(refused.status, key).to.equal(422);
      expect(refused.body.errors).to.deep.include({ question: 'instrument', message: refused.body.errors[0].message });
      expect(refused.body.errors[0].message).to.contain('is bedoeld voor een organisatie van de soort: Opvang of zorgorganisatie')
        .and.contain('Deze organisatie is van de soort: Gemeente');
    }
    expect((await api(municipality).get('/waves')).body).to.have.length(before);
    const route = await api(shelter).post('/waves', { instrument: 'movisie-gemeente', label: 'Route', mode: 'team' });
    expect(route.status).to.equal(422);
    expect(route.body.errors[0].message).to.contain('soort: Gemeente');
    // The form says the same.
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beleid@breda.test', password: PASSWORD });
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/waves/new')).text)![1];
    const form = await agent.post('/waves').type('form').send({ _csrf: csrf, label: 'Meting', instrument: 'valente-zes-stappen', mode: 'anonymous', minGroupSize: '5' });
    expect(form.status).to.equal(422);
    expect(form.text).to.contain('is bedoeld voor een organisatie van de soort');
    expect((await api(municipality).get('/waves')).body).to.have.length(before);
  });

  it('takes a shared upload without declared kinds for an opvang, and a manager\'s own upload for her organisation', async () => {
    expect((await request(t.app).post('/api/v1/instruments?key=gedeeld').set('Authorization', `Bearer ${admin.token}`).send(survey)).status).to.equal(201);
    expect((await request(t.app).post('/api/v1/instruments?key=eigen-gemeente').set('Authorization', `Bearer ${municipality.token}`).send(survey)).status).to.equal(201);
    expect(await offered('beleid@breda.test')).to.deep.equal(['eigen-gemeente', 'movisie-gemeente']);
    expect(await offered('manager@opvang.test')).to.deep.equal(['gedeeld', ...SHELTER_INSTRUMENTS]);
    expect((await api(municipality).post('/waves', { instrument: 'gedeeld', label: 'x', mode: 'anonymous' })).status).to.equal(422);
    expect((await api(municipality).post('/waves', { instrument: 'eigen-gemeente', label: 'x', mode: 'anonymous' })).status).to.equal(201);
    // Declared for both: offered to both.
    const both = { key: 'voor-beide', title: 'Voor beide', meta: { organisationKinds: ['opvang', 'gemeente'] }, definition: survey };
    expect((await request(t.app).post('/api/v1/instruments').set('Authorization', `Bearer ${admin.token}`).send(both)).status).to.equal(201);
    expect(await offered('beleid@breda.test')).to.include('voor-beide');
    expect(await offered('manager@opvang.test')).to.include('voor-beide');
  });
});
