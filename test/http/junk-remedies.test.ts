// What a manager can do once junk or misuse got in: a new public link (the old one answers
// 410), contact requests removed for good, and a void for an identified wave's response.
// Viewers can do none of it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account, PASSWORD } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { sealPending } from '../helpers/seal';

const auth = (a: Account) => ({ Authorization: `Bearer ${a.token}` });

describe('remedies for junk and misuse', () => {
  let t: TestApp;
  let admin: Account;
  let viewer: Account;

  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    viewer = await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
  });
  afterEach(async () => t.close());

  const submit = (token: string, data: Record<string, unknown>) =>
    request(t.app).post(`/s/${token}/responses`).send({ submissionId: crypto.randomUUID(), data });

  /** A staff page session (cookie) with its CSRF token, as a manager's browser has. */
  async function pageSession(email = 'beheer@opvang.test', waveId?: string) {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email, password: PASSWORD });
    const page = await agent.get(waveId ? `/waves/${waveId}` : '/waves');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return { agent, csrf, page };
  }

  describe('a new public link', () => {
    it('answers 201 with the new token and url; the old link answers 410 with a neutral message, the new one takes responses', async () => {
      const wave = await createWave(t.app, admin);
      expect((await submit(wave.token, studentWithoutExperience())).status).to.equal(201);
      const res = await request(t.app).post(`/api/v1/waves/${wave.id}/public-link`).set(auth(admin));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.token).to.match(/^[A-Za-z0-9_-]{24}$/).and.not.equal(wave.token);
      expect(res.body.url).to.match(new RegExp(`/s/${res.body.token}$`));

      const old = await submit(wave.token, studentWithoutExperience());
      expect(old.status).to.equal(410);
      expect(old.body.error.message).to.match(/^Deze link werkt niet meer/);
      const oldPage = await request(t.app).get(`/s/${wave.token}`);
      expect(oldPage.status).to.equal(410);
      expect(oldPage.text).to.contain('Deze link werkt niet meer').and.contain('<title>Vragenlijst');

      expect((await request(t.app).get(`/s/${res.body.token}`)).status).to.equal(200);
      expect((await submit(res.body.token, studentWithoutExperience())).status).to.equal(201);
      const shown = await request(t.app).get(`/api/v1/waves/${wave.id}`).set(auth(admin));
      expect(shown.body).to.include({ token: res.body.token, responses: 2 });
      // A link replaced twice: both old ones answer 410, and no token is stored as it was.
      const again = await request(t.app).post(`/api/v1/waves/${wave.id}/public-link`).set(auth(admin));
      expect((await submit(res.body.token, studentWithoutExperience())).status).to.equal(410);
      expect((await submit(again.body.token, studentWithoutExperience())).status).to.equal(201);
      expect(JSON.stringify(await t.testDb.db('retired_links').select('*'))).not.to.contain(wave.token);
    });

    it('is made from the wave page with a button, and the page then shows the new link and QR code', async () => {
      const wave = await createWave(t.app, admin);
      const { agent, csrf, page } = await pageSession('beheer@opvang.test', wave.id);
      expect(page.text).to.contain('data-testid="new-public-link"');
      const made = await agent.post(`/waves/${wave.id}/public-link`).type('form').send({ _csrf: csrf });
      expect(made.status, made.text).to.equal(303);
      const after = await agent.get(`/waves/${wave.id}`);
      expect(after.text).not.to.contain(wave.token);
      const fresh = /data-testid="public-link">[^<]*\/s\/([A-Za-z0-9_-]{24})</.exec(after.text)![1];
      expect((await request(t.app).get(`/s/${fresh}`)).status).to.equal(200);
      expect((await agent.get(`/waves/${wave.id}/qr`)).text).to.contain(fresh);
    });

    it('is refused to viewers (403) and to an identified wave, which has no public link (409)', async () => {
      const wave = await createWave(t.app, admin);
      expect((await request(t.app).post(`/api/v1/waves/${wave.id}/public-link`).set(auth(viewer))).status).to.equal(403);
      expect((await submit(wave.token, studentWithoutExperience())).status).to.equal(201);
      const identified = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified' });
      expect((await request(t.app).post(`/api/v1/waves/${identified.id}/public-link`).set(auth(admin))).status).to.equal(409);
      const { page } = await pageSession('lezer@opvang.test', wave.id);
      expect(page.text).not.to.contain('new-public-link');
    });
  });

  describe('removing contact requests', () => {
    const withContact = (naam: string) => ({ ...studentWithoutExperience(), m_interview: 'ja', m_contact: { naam, email: `${naam.toLowerCase().replace(/ /g, '.')}@example.test` } });

    it('removes one, then all, from the wave page, and a removed contact cannot be read from the database files', async () => {
      const wave = await createWave(t.app, admin);
      for (const naam of ['Anna Verwijder', 'Bea Blijft', 'Cor Blijft']) expect((await submit(wave.token, withContact(naam))).status).to.equal(201);
      await sealPending(t.testDb.db);
      const { agent, csrf, page } = await pageSession('beheer@opvang.test', wave.id);
      expect(page.text).to.contain('Anna Verwijder');
      const ids = (await t.testDb.db('contact_requests').select('id', 'details')) as Array<{ id: string; details: string }>;
      const anna = ids.find((r) => r.details.includes('Anna Verwijder'))!.id;

      const removed = await agent.post(`/waves/${wave.id}/contacts/remove`).type('form').send({ _csrf: csrf, contactId: anna });
      expect(removed.status, removed.text).to.equal(303);
      const list = await request(t.app).get(`/api/v1/waves/${wave.id}/contacts`).set(auth(admin));
      expect(list.body.map((c: { naam: string }) => c.naam).sort()).to.deep.equal(['Bea Blijft', 'Cor Blijft']);
      if (t.testDb.file) {
        for (const file of fs.readdirSync(path.dirname(t.testDb.file))) {
          const bytes = fs.readFileSync(path.join(path.dirname(t.testDb.file), file));
          expect(bytes.includes(Buffer.from('Anna Verwijder')), `the removed contact in ${file}`).to.equal(false);
        }
      }

      expect((await agent.post(`/waves/${wave.id}/contacts/remove`).type('form').send({ _csrf: csrf })).status, 'all, unconfirmed').to.equal(400);
      expect((await agent.post(`/waves/${wave.id}/contacts/remove`).type('form').send({ _csrf: csrf, all: '1' })).status).to.equal(303);
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}/contacts`).set(auth(admin))).body).to.deep.equal([]);
      expect(await t.testDb.db('contact_requests').count({ n: '*' }).first().then((r) => Number(r!.n))).to.equal(0);
      // The responses stay: a contact request is not an answer.
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}`).set(auth(admin))).body.responses).to.equal(3);
    });

    it('is refused to a viewer (403) and without the CSRF token (403)', async () => {
      const wave = await createWave(t.app, admin);
      await submit(wave.token, withContact('Dina Blijft'));
      await sealPending(t.testDb.db);
      const asViewer = await pageSession('lezer@opvang.test', wave.id);
      expect((await asViewer.agent.post(`/waves/${wave.id}/contacts/remove`).type('form').send({ _csrf: asViewer.csrf, all: '1' })).status).to.equal(403);
      const asManager = await pageSession('beheer@opvang.test', wave.id);
      expect((await asManager.agent.post(`/waves/${wave.id}/contacts/remove`).type('form').send({ all: '1' })).status).to.equal(403);
      expect(await t.testDb.db('contact_requests').count({ n: '*' }).first().then((r) => Number(r!.n))).to.equal(1);
    });
  });

  describe('voiding a response of an identified wave', () => {
    const scan = (w01Is: number) => ({ w01_is: w01Is, w01_wens: 4 });

    async function identifiedWaveWithResponses() {
      const wave = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', mode: 'identified', minGroupSize: 3 });
      const invitations = (await request(t.app).post(`/api/v1/waves/${wave.id}/invitations`).set(auth(admin)).send({ names: ['A', 'B', 'C', 'D', 'Misbruikt'] })).body as Array<{ id: string; token: string; name: string }>;
      for (const i of invitations) expect((await submit(i.token, scan(i.name === 'Misbruikt' ? 0 : 3))).status).to.equal(201);
      return { wave, invitations, misused: invitations.find((i) => i.name === 'Misbruikt')! };
    }

    const w01 = async (waveId: string) => {
      const res = await request(t.app).get(`/api/v1/waves/${waveId}/results`).set(auth(admin));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const item = (res.body.questions as Array<{ name: string; n: number; options: Array<{ value: unknown; count: number }> }>).find((q) => q.name === 'w01_is')!;
      return { n: res.body.n as number, counts: Object.fromEntries(item.options.map((o) => [String(o.value), o.count])) };
    };
    const exportRows = async (waveId: string) => {
      const res = await request(t.app).get(`/api/v1/waves/${waveId}/export.csv`).set(auth(admin));
      expect(res.status).to.equal(200);
      return res.text.trim().split(/\r?\n/).length - 1;
    };

    it('stops counting the response in results (tallies included) and the export, and can reissue the invitation', async () => {
      const { wave, misused } = await identifiedWaveWithResponses();
      const before = await w01(wave.id); // folds the responses into the tallies
      expect(before.n).to.equal(5);
      expect(before.counts['0']).to.equal(1);
      expect(await exportRows(wave.id)).to.equal(5);

      const res = await request(t.app).post(`/api/v1/waves/${wave.id}/invitations/${misused.id}/void`).set(auth(admin)).send({ reissue: true });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ id: misused.id, used: false, voided: true });
      expect(res.body.token).not.to.equal(misused.token);

      const after = await w01(wave.id);
      expect(after.n).to.equal(4);
      expect(after.counts['0'] ?? 0).to.equal(0);
      expect(after.counts['3']).to.equal(4);
      expect(await exportRows(wave.id)).to.equal(4);
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}`).set(auth(admin))).body.responses).to.equal(4);

      // The misused link is dead; the reissued one takes one response, for the right person.
      expect((await submit(misused.token, scan(2))).status).to.equal(410);
      expect((await submit(res.body.token, scan(2))).status).to.equal(201);
      expect((await w01(wave.id)).counts['2']).to.equal(1);
    });

    it('works from the wave page, and without reissue leaves the invitation used', async () => {
      const { wave, misused } = await identifiedWaveWithResponses();
      const { agent, csrf, page } = await pageSession('beheer@opvang.test', wave.id);
      expect(page.text).to.contain(`/invitations/${misused.id}/void`);
      const done = await agent.post(`/waves/${wave.id}/invitations/${misused.id}/void`).type('form').send({ _csrf: csrf });
      expect(done.status, done.text).to.equal(303);
      expect((await w01(wave.id)).n).to.equal(4);
      expect((await submit(misused.token, scan(2))).status).to.equal(410);
      const again = await agent.post(`/waves/${wave.id}/invitations/${misused.id}/void`).type('form').send({ _csrf: csrf });
      expect(again.status, 'nothing left to void').to.equal(409);
    });

    it('is refused to viewers (403), and for an anonymous wave (409), whose page explains why', async () => {
      const { wave, misused } = await identifiedWaveWithResponses();
      expect((await request(t.app).post(`/api/v1/waves/${wave.id}/invitations/${misused.id}/void`).set(auth(viewer)).send({})).status).to.equal(403);
      expect((await w01(wave.id)).n).to.equal(5);
      const anonymous = await createWave(t.app, admin);
      expect((await request(t.app).post(`/api/v1/waves/${anonymous.id}/invitations/${misused.id}/void`).set(auth(admin)).send({})).status).to.equal(409);
      const { page } = await pageSession('beheer@opvang.test', anonymous.id);
      expect(page.text).to.contain('losse antwoorden kunnen hier niet ongeldig worden gemaakt');
    });
  });
});
