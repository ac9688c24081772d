import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createUser, createOrganisation, createWave, TestApp, Account, PASSWORD, dbOf } from '../helpers/app';
import { sealPending } from '../helpers/seal';

// The network benchmark (docs/api-benchmarks.md): six organisations of a network each opt a
// Weerman wave in; the network account sees the network aggregate, an organisation its own
// result beside the network minus itself. One opts out: five would still be the minimum, but
// set beside the six shown before it singles that one out, so every item is refused, exactly
// as in a network where nobody contributed.
describe('network benchmark', function () {
  this.timeout(120000);
  let t: TestApp;
  let admin: Account;
  let networkId: string;
  let emptyNetworkId: string;
  let networkUser: Account;
  const members: Array<{ organisationId: string; manager: Account; waveId: string }> = [];
  const INSTRUMENT = 'weerman-organisatiescan';

  const api = (who: Account, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
    const req = request(t.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${who.token}`);
    return body === undefined ? req : req.send(body);
  };
  const ok = async (res: request.Test, status: number) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).to.equal(status);
    return r.body;
  };

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    networkId = (await ok(api(admin, 'post', '/networks', { name: 'Landelijk Netwerk Vrouwenopvang' }), 201)).id;
    emptyNetworkId = (await ok(api(admin, 'post', '/networks', { name: 'Netwerk zonder deelname' }), 201)).id;
    for (let i = 0; i < 6; i++) {
      const organisationId = await createOrganisation(t.app, admin, `Opvang ${i + 1}`);
      const manager = await createUser(t.app, admin, { email: `manager${i + 1}@opvang.test`, role: 'manager', organisationId });
      const wave = await createWave(t.app, manager, { instrument: INSTRUMENT, label: 'Organisatiescan 2026', mode: 'anonymous', minGroupSize: 3 });
      // Organisation i answers w01_is with 0..4 shifted by i, so the organisations differ.
      for (let r = 0; r < 3; r++) {
        const res = await request(t.app).post(`/s/${wave.token}/responses`)
          .send({ submissionId: crypto.randomUUID(), data: { w01_is: (i + r) % 5, w01_wens: 4, w02_is: i < 3 ? 0 : 3, w02_wens: 3 } });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
      }
      members.push({ organisationId, manager, waveId: wave.id });
    }
    await sealPending(dbOf(t.app));
    // Two waves stay open for now: an open wave does not contribute (its counts still grow).
    for (const m of members.slice(0, 4)) await ok(api(m.manager, 'patch', `/waves/${m.waveId}`, { status: 'closed' }), 200);
    const ids = members.map((m) => m.organisationId);
    await ok(api(admin, 'put', `/networks/${networkId}/members`, { organisationIds: ids }), 200);
    await ok(api(admin, 'put', `/networks/${emptyNetworkId}/members`, { organisationIds: ids }), 200);
    await ok(api(admin, 'post', `/networks/${networkId}/users`, { email: 'netwerk@valente.test', password: PASSWORD }), 201);
    networkUser = (await request(t.app).post('/api/v1/auth/login').send({ email: 'netwerk@valente.test', password: PASSWORD })).body;
  });
  after(() => t.close());

  it('never lets a network count fewer than five organisations', async () => {
    await ok(api(admin, 'post', '/networks', { name: 'Te klein', minOrganisations: 4 }), 422);
    await ok(api(members[0].manager, 'post', '/networks', { name: 'Eigen netwerk' }), 403);
  });

  it('lets only a member organisation opt its own wave in', async () => {
    const outsider = await createOrganisation(t.app, admin, 'Opvang buiten het netwerk');
    const manager = await createUser(t.app, admin, { email: 'buiten@opvang.test', role: 'manager', organisationId: outsider });
    const wave = await createWave(t.app, manager, { instrument: INSTRUMENT, label: 'Scan', mode: 'anonymous' });
    await ok(api(manager, 'put', `/waves/${wave.id}/benchmark`, { networkId }), 404);
    await ok(api(manager, 'put', `/waves/${members[0].waveId}/benchmark`, { networkId }), 404);
    const viewer = await createUser(t.app, admin, { email: 'lezer1@opvang.test', role: 'viewer', organisationId: members[0].organisationId });
    await ok(api(viewer, 'put', `/waves/${members[0].waveId}/benchmark`, { networkId }), 403);
    await ok(api(members[0].manager, 'get', `/waves/${members[0].waveId}/benchmark`), 409);
  });

  it('shows six organisations a benchmark, and refuses it with five (six minus one opting out) exactly as an empty one', async () => {
    for (const m of members) await ok(api(m.manager, 'put', `/waves/${m.waveId}/benchmark`, { networkId }), 200);
    // Four closed waves and two open: the open ones do not count, four are too few, nothing is shown.
    const whileOpen = await ok(api(networkUser, 'get', `/networks/${networkId}/benchmark?instrument=${INSTRUMENT}`), 200);
    expect(whileOpen.items.every((i: { shown: boolean }) => !i.shown)).to.equal(true);
    for (const m of members.slice(4)) await ok(api(m.manager, 'patch', `/waves/${m.waveId}`, { status: 'closed' }), 200);

    const aggregate = await ok(api(networkUser, 'get', `/networks/${networkId}/benchmark?instrument=${INSTRUMENT}`), 200);
    const w01 = aggregate.items.find((i: { name: string }) => i.name === 'w01_is');
    expect(w01).to.deep.include({ shown: true, organisations: 6, n: 18 });
    // w01_is of organisation i is (i + r) % 5 for r = 0, 1, 2: 0 to 2 four times each, 3 and 4 three times; no "weet ik niet".
    expect(w01.options.map((o: { count: number }) => o.count)).to.deep.equal([4, 4, 4, 3, 3, 0]);

    // An organisation: its own result beside the network minus itself, tested, and its quartile.
    const own = await ok(api(members[5].manager, 'get', `/waves/${members[5].waveId}/benchmark`), 200);
    const item = own.items.find((i: { name: string }) => i.name === 'w02_is');
    expect(item.shown).to.equal(true);
    expect(item.own.n).to.equal(3);
    expect(item.network).to.deep.include({ organisations: 5, n: 15 });
    // Own: 3 x "3"; the rest: 9 x "0", 6 x "3". Expected counts are low, so p is Fisher's. From R:
    // r <- chisq.test(matrix(c(0,9,3,6),2), correct=FALSE); r$statistic -> 3.6, df 1;
    // fisher.test(matrix(c(0,9,3,6),2))$p.value -> 0.2058824
    expect(item.test.statistic).to.be.closeTo(3.6, 1e-9);
    expect(item.test.df).to.equal(1);
    expect(item.test.method).to.equal('fisher-exact');
    expect(item.test.p).to.be.closeTo(0.2058824, 1e-7);
    // Means of w02_is: 0, 0, 0, 3, 3, 3; own 3: mid-rank (3 + 1.5) / 6 = 0.75 -> the top quarter.
    expect(item.quartile).to.equal(4);
    expect(JSON.stringify(own)).to.not.contain(members[0].organisationId);

    // Roles: the network account sees no organisation's wave; another organisation's wave is not there.
    await ok(api(networkUser, 'get', `/waves/${members[5].waveId}/benchmark`), 403);
    await ok(api(networkUser, 'get', `/waves/${members[5].waveId}/results`), 403);
    await ok(api(networkUser, 'get', `/networks/${emptyNetworkId}/benchmark?instrument=${INSTRUMENT}`), 404);
    await ok(api(members[1].manager, 'get', `/waves/${members[5].waveId}/benchmark`), 404);
    await ok(api(members[1].manager, 'get', `/networks/${networkId}/benchmark?instrument=${INSTRUMENT}`), 403);

    // One opts out: five remain, set beside the six shown before.
    await ok(api(members[0].manager, 'delete', `/waves/${members[0].waveId}/benchmark`), 204);
    const afterOptOut = await ok(api(networkUser, 'get', `/networks/${networkId}/benchmark?instrument=${INSTRUMENT}`), 200);
    const empty = await ok(api(admin, 'get', `/networks/${emptyNetworkId}/benchmark?instrument=${INSTRUMENT}`), 200);
    expect(afterOptOut.items.every((i: { shown: boolean }) => !i.shown)).to.equal(true);
    expect(afterOptOut.items).to.deep.equal(empty.items);
    expect(Object.keys(afterOptOut)).to.deep.equal(Object.keys(empty));
    // Nor through an organisation's view: the network minus itself would be four, and the set five.
    const ownAfter = await ok(api(members[5].manager, 'get', `/waves/${members[5].waveId}/benchmark`), 200);
    expect(ownAfter.items).to.deep.equal(empty.items);
    // Coming back restores the set shown before.
    await ok(api(members[0].manager, 'put', `/waves/${members[0].waveId}/benchmark`, { networkId }), 200);
    const back = await ok(api(networkUser, 'get', `/networks/${networkId}/benchmark?instrument=${INSTRUMENT}`), 200);
    expect(back.items.find((i: { name: string }) => i.name === 'w01_is')).to.deep.include({ shown: true, organisations: 6 });
  });

  it('lists a network account its own network only', async () => {
    const listed = await ok(api(networkUser, 'get', '/networks'), 200);
    expect(listed.map((n: { id: string }) => n.id)).to.deep.equal([networkId]);
    expect((await ok(api(admin, 'get', '/networks'), 200)).length).to.be.at.least(2);
  });
});
