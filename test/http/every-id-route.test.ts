// Every route that takes an id answers another organisation's id exactly as a missing one:
// the list of routes is read from the app itself, so a new route cannot be forgotten here.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { createTestApp, TestApp, setupAdmin, createUser, createOrganisation, createWave, Account } from '../helpers/app';

interface Route { method: string; path: string }

/** The routes of an Express 5 app, following mounted routers. */
function routesOf(app: Express): Route[] {
  const routes: Route[] = [];
  const walk = (stack: Array<{ route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }>) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) routes.push({ method, path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack as typeof stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Parameters<typeof walk>[0] } }).router.stack);
  return routes;
}

describe('another organisation\'s ids on every route that takes one', function () {
  this.timeout(120000);
  let t: TestApp;
  let outsider: Account;
  let ids: Record<string, string>;

  before(async () => {
    t = await createTestApp();
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { mode: 'identified', instrument: 'weerman-organisatiescan', series: 'mt' });
    const viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
    const otherOrganisation = await createOrganisation(t.app, admin, 'Opvang Elders');
    outsider = await createUser(t.app, admin, { email: 'manager@elders.test', role: 'manager', organisationId: otherOrganisation });
    ids = { id: wave.id, series: 'mt', userId: viewer.user.id };
  });
  after(async () => t.close());

  it('finds the id routes of the app', () => {
    const withId = routesOf(t.app).filter((r) => r.path.includes(':id') || r.path.includes(':series'));
    expect(withId.length).to.be.at.least(20);
  });

  it('answers a manager of another organisation exactly as for an id that does not exist, and never with data', async () => {
    const failures: string[] = [];
    const call = (route: Route, id: string) => {
      const isUserRoute = route.path.startsWith('/users/') || route.path.startsWith('/api/v1/users/');
      const path = route.path.replace(':id', isUserRoute && id === ids.id ? ids.userId : id).replace(':series', id === ids.id ? ids.series : 'bestaat-niet');
      const test = (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[route.method](path)
        .set('Authorization', `Bearer ${outsider.token}`).set('Accept', 'application/json');
      return route.method === 'get' || route.method === 'delete' ? test
        : test.set('Content-Type', 'application/json').send(JSON.stringify({ count: 1, status: 'closed', role: 'viewer', label: 'x' }));
    };
    for (const route of routesOf(t.app).filter((r) => r.path.includes(':id') || r.path.includes(':series'))) {
      const foreign = await call(route, ids.id);
      const missing = await call(route, crypto.randomUUID());
      const name = `${route.method.toUpperCase()} ${route.path}`;
      // 400/415 come from checking the request itself, before any lookup: the same for any id.
      if (![400, 404, 415].includes(foreign.status)) failures.push(`${name}: ${foreign.status}`);
      if (foreign.status !== missing.status || JSON.stringify(foreign.body) !== JSON.stringify(missing.body)) {
        failures.push(`${name}: ${foreign.status} for another organisation, ${missing.status} for a missing id`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('answers the same for an id that does not exist', async () => {
    const missing = await request(t.app).get(`/api/v1/waves/${crypto.randomUUID()}/results`).set('Authorization', `Bearer ${outsider.token}`);
    const foreign = await request(t.app).get(`/api/v1/waves/${ids.id}/results`).set('Authorization', `Bearer ${outsider.token}`);
    expect(foreign.status).to.equal(404);
    expect(foreign.body).to.deep.equal(missing.body);
  });
});
