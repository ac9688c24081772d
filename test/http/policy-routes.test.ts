// The policy table (server/auth/policy.ts) walked against the app's routes: every route says
// which action it is, or that it is open to anyone, and every role gets 403 on exactly the
// routes whose action the table does not give it. A new route without an entry fails here.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createWave, Account, PASSWORD } from '../helpers/app';
import { routesOf, AppRoute } from '../helpers/routes';
import { rolesFor, Action } from '../../server/auth/policy';
import { ROLES, Role } from '../../server/auth/tokens';

/** Served outside the app's own routers on purpose: no data, no account. */
const INFRASTRUCTURE = new Set(['get /healthz', 'get /assets/:file']);

describe('the policy table against the routes', function () {
  this.timeout(180000);
  let t: TestApp;
  let accounts: Record<Role, Account>;
  let admin: Account;
  let waveId: string;
  let networkId: string;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    accounts = {
      admin,
      manager: await createUser(t.app, admin, { email: 'manager@noord.test', role: 'manager' }),
      viewer: await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' }),
      network: await networkAccount(admin),
    };
    waveId = (await createWave(t.app, admin, { mode: 'identified', instrument: 'weerman-organisatiescan', series: 'mt' })).id;
  });
  after(async () => t.close());

  /** A network account (server/benchmarks): made by an admin for a network, not with POST /users. */
  async function networkAccount(by: Account): Promise<Account> {
    const network = await request(t.app).post('/api/v1/networks').set('Authorization', `Bearer ${by.token}`).send({ name: 'Netwerk Noord' });
    networkId = network.body.id;
    // The admin's own organisation is a member: nothing of it may reach the network account.
    await request(t.app).put(`/api/v1/networks/${networkId}/members`).set('Authorization', `Bearer ${by.token}`).send({ organisationIds: [by.user.organisationId] });
    const made = await request(t.app).post(`/api/v1/networks/${network.body.id}/users`).set('Authorization', `Bearer ${by.token}`)
      .send({ email: 'netwerk@noord.test', password: PASSWORD });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    return (await request(t.app).post('/api/v1/auth/login').send({ email: 'netwerk@noord.test', password: PASSWORD })).body as Account;
  }

  it('finds every route of the app, the API under its mount path included', () => {
    const names = routesOf(t.app).map((r) => `${r.method} ${r.path}`);
    expect(names).to.include.members(['get /api/v1/waves/:id', 'get /api/v1/waves/:id/export.csv', 'get /waves/:id', 'post /s/:token/responses']);
    expect(names.length).to.be.at.least(60);
  });

  it('has every route declare its action from the policy table, or that it is open to anyone', () => {
    const undeclared = routesOf(t.app)
      .filter((r) => r.policy === undefined && !INFRASTRUCTURE.has(`${r.method} ${r.path}`))
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(undeclared).to.deep.equal([]);
  });

  it('answers 403 to exactly the roles the table leaves out of each route\'s action, and never 401 to a role it lets in', async () => {
    const withAction = routesOf(t.app).filter((r): r is AppRoute & { policy: { action: Action } } => r.policy !== undefined && 'action' in r.policy);
    // Logging out ends the session that the other requests use: those go last.
    withAction.sort((a, b) => Number(a.policy.action === 'session.end') - Number(b.policy.action === 'session.end'));
    const failures: string[] = [];
    for (const route of withAction) {
      for (const role of ROLES) {
        const res = await call(route, accounts[role]);
        const allowed = rolesFor(route.policy.action).includes(role);
        const name = `${route.method.toUpperCase()} ${route.path} (${route.policy.action}) as ${role}`;
        if (allowed && (res.status === 403 || res.status === 401)) failures.push(`${name}: ${res.status}, the table allows it`);
        if (!allowed && res.status !== 403) failures.push(`${name}: ${res.status}, the table refuses it`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('walks the network account over every route: its own network\'s aggregates only, every organisation route 403, nothing of an organisation in any answer', async () => {
    // The walk above ended with logging every role out.
    admin = await login('beheer@opvang.test');
    const network = await login('netwerk@noord.test');
    const organisation = admin.user.organisationId;
    const reachable = new Set<string>();
    const failures: string[] = [];
    for (const route of routesOf(t.app)) {
      if (route.policy === undefined || !('action' in route.policy) || route.policy.action === 'session.end') continue;
      const own = route.path.includes('/networks/:id');
      const res = await call(route, network, own ? networkId : undefined);
      const name = `${route.method.toUpperCase()} ${route.path} (${route.policy.action})`;
      if (!rolesFor(route.policy.action).includes('network')) {
        if (res.status !== 403) failures.push(`${name}: ${res.status}, an organisation's route`);
        continue;
      }
      reachable.add(route.policy.action);
      if (res.status === 403 || res.status === 401) failures.push(`${name}: ${res.status}`);
      const body = JSON.stringify(res.body ?? '') + (res.text ?? '');
      if (body.includes(organisation) || body.includes('Opvang Noord')) failures.push(`${name}: names an organisation`);
    }
    expect(failures).to.deep.equal([]);
    expect([...reachable].sort()).to.deep.equal(['network.benchmark', 'network.list']);
    // Where the app sends anyone logged in, it goes to its network, never to the waves.
    const start = await request(t.app).get('/').set('Authorization', `Bearer ${network.token}`);
    expect(start.headers.location).to.equal('/networks');
    // Another network is not there (404), as another organisation's wave is not.
    const other = await request(t.app).post('/api/v1/networks').set('Authorization', `Bearer ${admin.token}`).send({ name: 'Netwerk Zuid' });
    expect((await request(t.app).get(`/networks/${other.body.id}`).set('Authorization', `Bearer ${network.token}`)).status).to.equal(404);
    expect((await request(t.app).get(`/api/v1/networks/${other.body.id}/benchmark?instrument=tno-quickscan`).set('Authorization', `Bearer ${network.token}`)).status).to.equal(404);
  });

  it('refuses a viewer the per-row export (403) but gives the codebook and the aggregate CSV', async () => {
    const viewer = await login('lezer@noord.test');
    const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${viewer.token}`);
    const refused = await get(`/api/v1/waves/${waveId}/export.csv`);
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('forbidden');
    expect((await get(`/api/v1/waves/${waveId}/codebook.csv`)).status).to.equal(200);
    expect((await get(`/api/v1/waves/${waveId}/results.csv`)).status).to.equal(200);
    const manager = await login('manager@noord.test');
    expect((await request(t.app).get(`/api/v1/waves/${waveId}/export.csv`).set('Authorization', `Bearer ${manager.token}`)).status).to.equal(200);
  });

  it('shows a viewer no export, import, settings or invitation controls on the wave page, and a manager all of them', async () => {
    const page = async (email: string) => (await request(t.app).get(`/waves/${waveId}`)
      .set('Authorization', `Bearer ${(await login(email)).token}`).set('Accept', 'text/html')).text;
    const asViewer = await page('lezer@noord.test');
    const asManager = await page('manager@noord.test');
    for (const marker of ['data-testid="export-link"', `action="/waves/${waveId}/import"`, `action="/waves/${waveId}/settings"`, `action="/waves/${waveId}/invitations"`]) {
      expect(asViewer, marker).not.to.contain(marker);
      expect(asManager, marker).to.contain(marker);
    }
    expect(asViewer).to.contain('data-testid="codebook-link"');
  });

  async function login(email: string): Promise<Account> {
    const res = await request(t.app).post('/api/v1/auth/login').send({ email, password: PASSWORD });
    return res.body as Account;
  }

  /** A user nobody logs in as, for the routes that change or remove one. */
  async function target(): Promise<string> {
    const res = await request(t.app).post('/api/v1/users').set('Authorization', `Bearer ${admin.token}`)
      .send({ email: `doel-${crypto.randomUUID()}@noord.test`, password: PASSWORD, role: 'viewer' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as string;
  }

  async function call(route: AppRoute, account: Account, id?: string) {
    const isUserRoute = /^\/(api\/v1\/)?users\/:id/.test(route.path);
    const path = route.path
      .replace(':id', id ?? (isUserRoute ? await target() : waveId))
      .replace(':series', 'mt').replace(':upload', crypto.randomUUID()).replace(':key', 'tno-quickscan')
      // A network's benchmark is asked per instrument.
      + (route.path.endsWith('/networks/:id/benchmark') ? '?instrument=tno-quickscan' : '');
    const test = (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[route.method]!(path)
      .set('Authorization', `Bearer ${account.token}`).set('Accept', path.startsWith('/api/') ? 'application/json' : 'text/html');
    return route.method === 'get' || route.method === 'delete' ? test
      : test.set('Content-Type', 'application/json').send(JSON.stringify(bodyFor(route)));
  }
});

/**
 * A valid body where the route takes one, so that a request gets past validation to the
 * service's own assertCan: a route declaring a laxer action than its service checks then
 * shows up as a 403 the table does not expect. Other routes get {} (a 400 is not a 403).
 */
function bodyFor(route: AppRoute): Record<string, unknown> {
  const key = `${route.method} ${route.path.replace(/^\/api\/v1/, '')}`;
  switch (key) {
    case 'post /waves': return { instrument: 'tno-quickscan', label: 'Beleid', mode: 'anonymous' };
    case 'patch /waves/:id': case 'post /waves/:id/status': return { status: 'open' };
    case 'post /waves/:id/settings': return { label: 'Beleid' };
    case 'post /waves/:id/invitations': return { count: 1 };
    case 'post /users': return { email: `nieuw-${crypto.randomUUID()}@noord.test`, password: PASSWORD, role: 'viewer' };
    case 'patch /users/:id': case 'post /users/:id/role': return { role: 'manager' };
    case 'post /organisations': return { name: `Opvang ${crypto.randomUUID()}` };
    default: return {};
  }
}
