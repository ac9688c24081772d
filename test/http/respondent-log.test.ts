// A respondent's request that fails is logged, and like every line about a respondent's
// request that line holds no time (docs/privacy.md, "Het logboek van de server").
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';

describe('the log of a failing respondent request', () => {
  let t: TestApp;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    wave = await createWave(t.app, await setupAdmin(t.app));
  });
  afterEach(() => t.close());

  const broken = async (table: string, work: () => Promise<void>) => {
    await t.testDb.db.schema.renameTable(table, `${table}_away`);
    try {
      await work();
    } finally {
      await t.testDb.db.schema.renameTable(`${table}_away`, table);
    }
  };
  const respondentLines = () => t.logLines.map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => String(entry.path).startsWith('/s/'));

  it('writes the failure of a submission without a time, a token or an answer', async () => {
    const submissionId = crypto.randomUUID();
    await broken('pending_responses', async () => {
      const res = await request(t.app).post(`/s/${wave.token}/responses`).set('Content-Type', 'application/json')
        .send(JSON.stringify({ submissionId, data: studentWithoutExperience() }));
      expect(res.status).to.equal(500);
    });
    const lines = respondentLines();
    expect(lines.map((l) => l.msg)).to.include('request failed').and.include('request');
    for (const line of lines) expect(line, JSON.stringify(line)).not.to.have.property('time');
    const log = t.logLines.join('\n');
    expect(log).not.to.contain(wave.token).and.not.contain(submissionId);
  });

  it('writes the failure of a survey page without a time', async () => {
    await broken('waves', async () => {
      expect((await request(t.app).get(`/s/${wave.token}`)).status).to.equal(500);
    });
    const failed = respondentLines().filter((l) => l.msg === 'request failed');
    expect(failed).to.have.length(1);
    expect(failed[0]).not.to.have.property('time');
  });

  it('still writes the time on lines about staff requests', async () => {
    await broken('waves', async () => {
      const res = await request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${(await adminToken())}`);
      expect(res.status).to.equal(500);
    });
    const failed = t.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request failed');
    expect(failed).to.have.length(1);
    expect(failed[0]).to.have.property('time');
  });

  async function adminToken(): Promise<string> {
    const res = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    return res.body.token as string;
  }
});
