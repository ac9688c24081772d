// The users page (server/pages/people-routes.ts): a network account belongs to no
// organisation, so the page names its network beside the role "Netwerk"; otherwise an admin
// sees several "Netwerk" accounts without knowing whose is whose.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, TestApp, Account, PASSWORD } from '../helpers/app';

describe('the users page and network accounts', () => {
  let t: TestApp;
  let admin: Account;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  afterEach(async () => t.close());

  const form = (path: string, body: string) => request(t.app).post(path).set('Authorization', `Bearer ${admin.token}`)
    .set('Content-Type', 'application/x-www-form-urlencoded').send(body);
  const network = async (name: string, email: string) => {
    const created = await form('/networks', `name=${encodeURIComponent(name)}&minOrganisations=6`);
    expect(created.status).to.equal(303);
    expect((await form(`${created.headers.location as string}/users`, `email=${encodeURIComponent(email)}&password=${encodeURIComponent(PASSWORD)}`)).status).to.equal(303);
  };
  /** The table row of one account, its tags removed. */
  const rowOf = (html: string, email: string) => {
    const row = html.split('<tr').find((r) => r.includes(`<td>${email}</td>`));
    expect(row, email).to.be.a('string');
    return row!.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
  };

  it('names the network of each network account, with the role', async () => {
    await network('Regio Oost', 'oost@netwerk.test');
    await network('Regio West', 'west@netwerk.test');
    const page = await request(t.app).get('/users').set('Authorization', `Bearer ${admin.token}`).set('Accept', 'text/html');
    expect(page.status).to.equal(200);
    expect(rowOf(page.text, 'oost@netwerk.test')).to.contain('Netwerk').and.contain('Netwerk: Regio Oost').and.not.contain('Regio West');
    expect(rowOf(page.text, 'west@netwerk.test')).to.contain('Netwerk: Regio West').and.not.contain('Regio Oost');
    // An organisation's account still shows its organisation, and no network.
    expect(rowOf(page.text, admin.user.email)).not.to.contain('Netwerk:');
  });

  it('escapes a network\'s name', async () => {
    await network('<b>Noord</b>', 'noord@netwerk.test');
    const page = await request(t.app).get('/users').set('Authorization', `Bearer ${admin.token}`).set('Accept', 'text/html');
    expect(page.text).to.contain('Netwerk: &lt;b&gt;Noord&lt;/b&gt;').and.not.contain('<b>Noord</b>');
  });
});
