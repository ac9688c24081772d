// Every route that takes an id answers another organisation's id exactly as a missing one:
// the list of routes is read from the app itself (the API under its mount path), so a new
// route cannot be forgotten here.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account } from '../helpers/app';
import { routesOf, AppRoute } from '../helpers/routes';

type Route = AppRoute;

describe('another organisation\'s ids on every route that takes one', function () {
  this.timeout(120000);
  let t: TestApp;
  let outsider: Account;
  let outsideViewer: Account;
  let ids: Record<string, string>;

  before(async () => {
    t = await createTestApp();
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { mode: 'identified', instrument: 'weerman-organisatiescan', series: 'mt' });
    const viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
    const otherOrganisation = await createOrganisation(t.app, admin, 'Opvang Elders');
    outsider = await createUser(t.app, admin, { email: 'manager@elders.test', role: 'manager', organisationId: otherOrganisation });
    outsideViewer = await createUser(t.app, admin, { email: 'lezer@elders.test', role: 'viewer', organisationId: otherOrganisation });
    ids = { id: wave.id, series: 'mt', userId: viewer.user.id };
  });
  after(async () => t.close());

  it('finds the id routes of the app', () => {
    const withId = routesOf(t.app).filter((r) => r.path.includes(':id') || r.path.includes(':series'));
    expect(withId.length).to.be.at.least(20);
  });

  /** Every id route, called by `account` with another organisation's id and with a missing one. */
  async function sweep(account: Account, statuses: number[]): Promise<string[]> {
    const failures: string[] = [];
    const call = (route: Route, id: string) => {
      const isUserRoute = route.path.startsWith('/users/') || route.path.startsWith('/api/v1/users/');
      const path = route.path.replace(':id', isUserRoute && id === ids.id ? ids.userId : id).replace(':series', id === ids.id ? ids.series : 'bestaat-niet');
      const test = (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[route.method](path)
        .set('Authorization', `Bearer ${account.token}`).set('Accept', 'application/json');
      return route.method === 'get' || route.method === 'delete' ? test
        : test.set('Content-Type', 'application/json').send(JSON.stringify({ count: 1, status: 'closed', role: 'viewer', label: 'x' }));
    };
    for (const route of routesOf(t.app).filter((r) => r.path.includes(':id') || r.path.includes(':series'))) {
      const foreign = await call(route, ids.id);
      const missing = await call(route, crypto.randomUUID());
      const name = `${route.method.toUpperCase()} ${route.path}`;
      if (!statuses.includes(foreign.status)) failures.push(`${name}: ${foreign.status}`);
      if (foreign.status !== missing.status || JSON.stringify(foreign.body) !== JSON.stringify(missing.body)) {
        failures.push(`${name}: ${foreign.status} for another organisation, ${missing.status} for a missing id`);
      }
    }
    return failures;
  }

  it('answers a manager of another organisation exactly as for an id that does not exist, and never with data', async () => {
    // 400/415/422 come from checking the request itself, before any lookup: the same for any id;
    // 403 from the policy table for an admin-only route (the full export page), likewise.
    expect(await sweep(outsider, [400, 403, 404, 415, 422])).to.deep.equal([]);
  });

  it('answers a viewer of another organisation exactly as for an id that does not exist, and never with data', async () => {
    // 403 comes from the policy table, before any lookup: a role that may never do it is refused for any id.
    expect(await sweep(outsideViewer, [400, 403, 404, 415, 422])).to.deep.equal([]);
  });

  it('answers the same for an id that does not exist', async () => {
    const missing = await request(t.app).get(`/api/v1/waves/${crypto.randomUUID()}/results`).set('Authorization', `Bearer ${outsider.token}`);
    const foreign = await request(t.app).get(`/api/v1/waves/${ids.id}/results`).set('Authorization', `Bearer ${outsider.token}`);
    expect(foreign.status).to.equal(404);
    expect(foreign.body).to.deep.equal(missing.body);
  });
});
