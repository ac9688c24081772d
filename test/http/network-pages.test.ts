// The network benchmark's pages: an admin defines a network with forms, a network account
// (in no organisation) sees its network's aggregates and nothing of any organisation, a
// manager opts a wave in from the wave's page and reads its own result beside the network
// minus itself. Six organisations show the benchmark; one opting out leaves a page exactly
// like the one before anybody joined.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createUser, TestApp, Account, PASSWORD, login } from '../helpers/app';
import { buildNetwork, optIn, NetworkFixture } from '../helpers/network';

const INSTRUMENT = 'weerman-organisatiescan';

/** The items of a benchmark page, as HTML: what must look the same refused and empty. */
const itemsOf = (html: string) => html.split('data-testid="benchmark-item"').slice(1).map((part) => part.split('</section>')[0].replace(/\s+/g, ' '));
const item = (html: string, name: string) => itemsOf(html).find((i) => i.startsWith(` data-name="${name}"`)) ?? '';

describe('network benchmark pages', function () {
  this.timeout(180000);
  let t: TestApp;
  let admin: Account;
  let net: NetworkFixture;

  const page = (who: Account, path: string) => request(t.app).get(path).set('Authorization', `Bearer ${who.token}`).set('Accept', 'text/html');
  const form = (who: Account, path: string, body: string) => request(t.app).post(path).set('Authorization', `Bearer ${who.token}`)
    .set('Content-Type', 'application/x-www-form-urlencoded').send(body);

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    net = await buildNetwork(t.app, admin, {
      name: 'Landelijk Netwerk', organisations: 6, instrument: INSTRUMENT, prefix: 'lnv',
      answers: (i, r) => ({ w01_is: (i + r) % 5, w01_wens: 4, w02_is: i < 3 ? 0 : 3, w02_wens: 3 }),
    });
  });
  after(() => t.close());

  it('lets an admin define a network with forms: name, members, a network account', async () => {
    expect((await form(admin, '/networks', 'name=Te+klein&minOrganisations=4')).status).to.equal(422);
    const created = await form(admin, '/networks', 'name=Regio+Oost&minOrganisations=6');
    expect(created.status).to.equal(303);
    const path = created.headers.location as string;
    const id = path.split('/').pop()!;
    const [first, second] = net.members;
    expect((await form(admin, `${path}/members`, `organisationIds=${first.organisationId}&organisationIds=${second.organisationId}`)).status).to.equal(303);
    expect((await form(admin, `${path}/users`, `email=oost%40netwerk.test&password=${encodeURIComponent(PASSWORD)}`)).status).to.equal(303);
    const shown = (await page(admin, path)).text;
    expect(shown).to.contain('Landelijk Netwerk opvang 1').and.to.contain('oost@netwerk.test').and.to.contain('data-testid="member-count">2<');
    const listed = await request(t.app).get('/api/v1/networks').set('Authorization', `Bearer ${admin.token}`);
    expect(listed.body.find((n: { id: string }) => n.id === id)).to.deep.include({ minOrganisations: 6, organisationIds: [first.organisationId, second.organisationId].sort() });
    // A manager cannot define networks, and an unknown organisation changes nothing.
    expect((await form(first.manager, '/networks', 'name=Eigen')).status).to.equal(403);
    expect((await form(admin, `${path}/members`, 'organisationIds=onbekend')).status).to.equal(422);
  });

  it('ties a network account to its network and to no organisation', async () => {
    const account = await login(t.app, net.networkEmail);
    expect(account.user).to.deep.include({ role: 'network', organisationId: null, networkId: net.networkId });
    const users = await request(t.app).get('/api/v1/users').set('Authorization', `Bearer ${admin.token}`);
    const listed = users.body.find((u: { email: string }) => u.email === net.networkEmail);
    expect(listed).to.deep.include({ organisationId: null, networkId: net.networkId });
    // Its role is its network's: no role change makes it an organisation's account, nor any account a network one.
    expect((await request(t.app).patch(`/api/v1/users/${listed.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'manager' })).status).to.equal(403);
    // A manager of a member organisation does not see it among the own accounts.
    const managerList = await request(t.app).get('/api/v1/users').set('Authorization', `Bearer ${net.members[0].manager.token}`);
    expect(managerList.body.map((u: { email: string }) => u.email)).not.to.include(net.networkEmail);
    expect((await request(t.app).delete(`/api/v1/users/${listed.id}`).set('Authorization', `Bearer ${net.members[0].manager.token}`)).status).to.equal(404);
  });

  it('starts a network account at its network, with how many organisations but not which, and no page of any organisation', async () => {
    const loggedIn = await request(t.app).post('/login').type('form').send({ email: net.networkEmail, password: PASSWORD });
    expect(loggedIn.status).to.equal(303);
    expect(loggedIn.headers.location).to.equal('/networks');
    const start = await page(net.networkAccount, '/networks');
    expect(start.status).to.equal(302);
    expect(start.headers.location).to.equal(`/networks/${net.networkId}`);
    const own = await page(net.networkAccount, `/networks/${net.networkId}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.contain('data-testid="member-count">6<').and.to.contain(`/networks/${net.networkId}/benchmark?instrument=${INSTRUMENT}`);
    expect(own.text).not.to.contain('opvang 1').and.not.to.contain(net.members[0].organisationId).and.not.to.contain('href="/waves"');
    expect(own.text).not.to.contain(`action="/networks/${net.networkId}/members"`);
    for (const path of ['/waves', `/waves/${net.members[0].waveId}`, `/waves/${net.members[0].waveId}/results`, `/waves/${net.members[0].waveId}/benchmark`, '/users', '/organisations', '/workshops']) {
      expect((await page(net.networkAccount, path)).status, path).to.equal(403);
    }
  });

  it('shows six organisations\' benchmark to the network account and the managers, and with one opted out the same page as before anyone joined', async () => {
    const benchmarkPath = `/networks/${net.networkId}/benchmark?instrument=${INSTRUMENT}`;
    const empty = await page(net.networkAccount, benchmarkPath);
    expect(empty.status).to.equal(200);
    const emptyItems = itemsOf(empty.text);
    expect(emptyItems.length).to.be.greaterThan(10);
    expect(emptyItems.every((i) => i.includes('data-shown="false"'))).to.equal(true);

    // A manager joins from the wave's page (the form); the others through the API.
    const [first, , , , , last] = net.members;
    const wavePage = await page(last.manager, `/waves/${last.waveId}`);
    expect(wavePage.text).to.contain('data-testid="benchmark-join"').and.to.contain('data-testid="benchmark-not-joined"');
    for (const m of net.members.slice(0, 5)) await optIn(t.app, m, net.networkId);
    const joined = await form(last.manager, `/waves/${last.waveId}/benchmark`, `networkId=${net.networkId}`);
    expect(joined.status).to.equal(303);
    expect((await page(last.manager, `/waves/${last.waveId}`)).text).to.contain('data-testid="benchmark-joined"').and.to.contain('data-testid="benchmark-leave"');

    const shown = await page(net.networkAccount, benchmarkPath);
    const w01 = item(shown.text, 'w01_is');
    expect(w01).to.contain('data-shown="true"').and.to.contain('data-testid="organisations">6<').and.to.contain('n = 18');
    for (const m of net.members) expect(shown.text).not.to.contain(m.organisationId);

    // The manager: the tab on the results, own result beside the other five, the test and the quartile.
    expect((await page(last.manager, `/waves/${last.waveId}/results`)).text).to.contain('data-testid="benchmark-tab"');
    const own = await page(last.manager, `/waves/${last.waveId}/benchmark`);
    expect(own.status).to.equal(200);
    // w02_is: own 3 x "3" against 9 x "0" and 6 x "3" (network-benchmark.test.ts has the figures from R).
    const w02 = item(own.text, 'w02_is');
    expect(w02).to.contain('data-shown="true"').and.to.contain('data-testid="benchmark-test"').and.to.contain('hoogste kwart');
    expect(w02).to.contain('data-testid="organisations">5<');
    // A viewer of the organisation reads it too, without the switch.
    const viewer = await createUser(t.app, admin, { email: 'lezer@lnv.test', role: 'viewer', organisationId: last.organisationId });
    const viewerWave = (await page(viewer, `/waves/${last.waveId}`)).text;
    expect(viewerWave).to.contain('data-testid="benchmark-joined"').and.not.to.contain('data-testid="benchmark-leave"');
    expect((await page(viewer, `/waves/${last.waveId}/benchmark`)).status).to.equal(200);
    expect((await form(viewer, `/waves/${last.waveId}/benchmark/remove`, '')).status).to.equal(403);

    // One opts out from its wave's page: five are left, which would single the sixth out.
    expect((await form(first.manager, `/waves/${first.waveId}/benchmark/remove`, '')).status).to.equal(303);
    const after = await page(net.networkAccount, benchmarkPath);
    expect(itemsOf(after.text)).to.deep.equal(emptyItems);
    const ownAfter = itemsOf((await page(last.manager, `/waves/${last.waveId}/benchmark`)).text);
    expect(ownAfter).to.deep.equal(emptyItems);
    // And the one that left has no benchmark any more: the page says so.
    expect((await page(first.manager, `/waves/${first.waveId}/benchmark`)).text).to.contain('data-testid="benchmark-none"');
  });

  it('hides one organisation\'s own instrument from the network: unknown there', async () => {
    const own = await request(t.app).post(`/api/v1/instruments?key=eigen-lijst&organisationId=${net.members[0].organisationId}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ title: 'Eigen lijst', pages: [{ name: 'p1', elements: [{ type: 'radiogroup', name: 'geheim', title: 'Geheime vraag', choices: ['ja', 'nee'] }] }] });
    expect(own.status, JSON.stringify(own.body)).to.equal(201);
    const res = await request(t.app).get(`/api/v1/networks/${net.networkId}/benchmark?instrument=eigen-lijst`).set('Authorization', `Bearer ${net.networkAccount.token}`);
    expect(res.status).to.equal(422);
    expect(JSON.stringify(res.body)).not.to.contain('Geheime vraag');
    expect((await page(net.networkAccount, `/networks/${net.networkId}`)).text).not.to.contain('eigen-lijst');
  });
});
