// No page or answer that shows results, contacts, invitation tokens or a respondent's
// answers may be kept by a browser or a proxy: a shared phone's back button, or the next
// person at an office computer, would show it again. Every GET route of the app is walked
// (read from the router, so a new route cannot be forgotten) as a signed-in admin, and
// without signing in; only the content-hashed assets may be cached, and for a year.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { bearer, fixture } from '../helpers/csv';
import { routesOf } from '../helpers/routes';
import { PASSWORD } from '../helpers/app';

describe('Cache-Control on every GET route', function () {
  this.timeout(60000);
  let t: TestApp;
  let admin: Account & { organisationId: string };
  let params: Record<string, string>;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { series: 'mt' });
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: PASSWORD });
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(`/waves/${wave.id}`)).text)![1]!;
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', fixture('two-valid-quickscan-rows.csv'), 'x.csv');
    params = { id: wave.id, series: 'mt', token: wave.token, key: 'tno-quickscan', upload: String(uploaded.headers.location).split('/').pop()! };
  });
  after(async () => t.close());

  const pathOf = (route: string) => route.replace(/:(\w+)/g, (_, name: string) => params[name] ?? 'onbekend');
  // Paths come with their mount paths; each page path is also tried under /api/v1, where it
  // is a 404, which must not be kept either.
  const getRoutes = () => [...new Set(routesOf(t.app).filter((r) => r.method === 'get' && r.path !== '/assets/:file')
    .flatMap((r) => (r.path.startsWith('/api/') ? [r.path] : [r.path, `/api/v1${r.path}`]))), '/healthz', '/bestaat-niet'];

  it('finds the GET routes of the app', () => {
    expect(getRoutes().length).to.be.at.least(30);
  });

  for (const [who, headers] of [['a signed-in admin', () => bearer(admin)], ['nobody signed in', () => ({})]] as const) {
    for (const accept of ['text/html', 'application/json']) {
      it(`answers every route with Cache-Control: no-store for ${who} (${accept})`, async () => {
        const failures: string[] = [];
        for (const route of getRoutes()) {
          const res = await request(t.app).get(pathOf(route)).set(headers()).set('Accept', accept);
          if (!/\bno-store\b/.test(String(res.headers['cache-control']))) failures.push(`${route} (${res.status}): ${res.headers['cache-control']}`);
        }
        expect(failures).to.deep.equal([]);
      });
    }
  }

  it('lets the content-hashed assets be cached, and an unknown asset not', async () => {
    const page = await request(t.app).get('/login');
    const asset = /(\/assets\/[^"]+\.css)"/.exec(page.text)![1]!;
    const res = await request(t.app).get(asset);
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect((await request(t.app).get('/assets/bestaat-niet.css')).headers['cache-control']).to.contain('no-store');
  });
});
