// First-run setup is for whoever holds the one-time code the server printed at start (and
// keeps in DATA_DIR/setup-code), not for whoever reaches the page first.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, PASSWORD, setupCodeOf } from '../helpers/app';
import { hashPassword } from '../../server/auth/passwords';

describe('the setup code', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(async () => t.close());

  const setup = (body: Record<string, unknown>) =>
    request(t.app).post('/api/v1/setup').send({ organisation: 'Opvang Zuid', email: 'beheer@opvang.test', password: PASSWORD, ...body });
  const codeFile = () => path.join(t.config.dataDir, 'setup-code');

  it('is kept in DATA_DIR/setup-code, readable by the owner only', () => {
    expect(fs.readFileSync(codeFile(), 'utf8').trim()).to.equal(setupCodeOf(t.app));
    expect(fs.statSync(codeFile()).mode & 0o777).to.equal(0o600);
  });

  it('is required: setup without it answers 403 and creates nobody', async () => {
    const res = await setup({});
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('forbidden');
    expect(res.body.error.message).to.contain('setup-code');
    expect(Number((await t.testDb.db('users').count({ n: '*' }).first())?.n)).to.equal(0);
    expect((await request(t.app).get('/')).headers.location).to.equal('/setup');
  });

  it('must be the right one: a wrong code answers 403', async () => {
    expect((await setup({ setupCode: 'AAAA-BBBB-CCCC' })).status).to.equal(403);
    expect((await setup({ setupCode: '' })).status).to.equal(403);
    expect((await setup({ setupCode: setupCodeOf(t.app).slice(0, -1) })).status).to.equal(403);
  });

  it('sets up with the right code (as typed: lower case, spaces), then is removed; setup answers 409 after', async () => {
    const typed = setupCodeOf(t.app).toLowerCase().replace(/-/g, ' ');
    expect((await setup({ setupCode: typed })).status).to.equal(201);
    expect(fs.existsSync(codeFile())).to.equal(false);
    expect(fs.existsSync(path.join(t.config.dataDir, 'setup-done'))).to.equal(true);
    expect((await setup({ setupCode: typed })).status).to.equal(409);
    expect((await setup({})).status).to.equal(409);
  });

  it('refuses after setup and without the code before hashing any password', async () => {
    // The CPU of one scrypt hash, measured here, against many refused setups: a refusal
    // must cost far less than a hash, or anyone can keep the CPU busy with it. The refusals
    // come from 20 addresses (behind a trusted proxy), so that the setup rate limit, which
    // would refuse them without any hash too, does not answer in place of the check.
    await t.close();
    t = await createTestApp({ TRUST_PROXY: 'true' });
    const before = process.cpuUsage();
    await hashPassword(crypto.randomBytes(8).toString('hex'));
    const oneHash = cpuSince(before);
    const refusals = async (body: Record<string, unknown>, status: number) => {
      const start = process.cpuUsage();
      for (let i = 0; i < 20; i++) {
        const res = await request(t.app).post('/api/v1/setup').set('X-Forwarded-For', `198.51.100.${i + 1}`)
          .send({ organisation: 'Opvang Zuid', email: 'beheer@opvang.test', password: PASSWORD, ...body });
        expect(res.status).to.equal(status);
      }
      return cpuSince(start);
    };
    expect(await refusals({ setupCode: 'AAAA-BBBB-CCCC' }, 403)).to.be.below(oneHash * 5);
    expect((await setup({ setupCode: setupCodeOf(t.app) })).status).to.equal(201);
    expect(await refusals({}, 409)).to.be.below(oneHash * 5);
  });

  describe('on the first-run page', () => {
    it('is asked for, with where to find it', async () => {
      const page = await request(t.app).get('/setup');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('name="setupCode"').and.contain('Installatiecode').and.contain('setup-code');
    });

    it('a wrong code shows the form again with a message, and sets nothing up', async () => {
      const res = await request(t.app).post('/setup').type('form')
        .send({ setupCode: 'AAAA-BBBB-CCCC', organisation: 'Opvang West', email: 'a@b.test', password: PASSWORD });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('Spiegel inrichten').and.contain('installatiecode ontbreekt of klopt niet');
      expect(res.text).to.contain('value="Opvang West"');
      expect(Number((await t.testDb.db('users').count({ n: '*' }).first())?.n)).to.equal(0);
    });
  });
});

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}
