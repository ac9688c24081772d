import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, setupAdmin, createWave, TestApp } from '../helpers/app';

describe('the wave page when its links point to a loopback address', () => {
  const apps: TestApp[] = [];
  after(async () => { for (const a of apps) await a.close(); });

  async function wavePage(env: Record<string, string>, body: Record<string, unknown> = {}): Promise<string> {
    const t = await createTestApp(env);
    apps.push(t);
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, body);
    const auth = { Authorization: `Bearer ${admin.token}` };
    if (body.mode === 'identified') await request(t.app).post(`/api/v1/waves/${wave.id}/invitations`).set(auth).send({ count: 1 }).expect(201);
    return (await request(t.app).get(`/waves/${wave.id}`).set(auth).expect(200)).text;
  }

  it('warns that no phone can open them, and says how to fix it (HOST, PUBLIC_URL)', async () => {
    const page = await wavePage({});
    expect(page).to.contain('data-testid="loopback-warning"');
    expect(page).to.contain('Deze links werken niet op een telefoon.');
    expect(page).to.match(/Ze beginnen met http:\/\/127\.0\.0\.1:\d+/);
    expect(page).to.contain('HOST=0.0.0.0');
    expect(page).to.contain('PUBLIC_URL=');
  });

  it('warns about the invitation links of an identified wave too', async () => {
    const page = await wavePage({}, { instrument: 'weerman-organisatiescan', mode: 'identified' });
    expect(page).to.contain('data-testid="loopback-warning"');
  });

  it('says nothing once PUBLIC_URL gives an address phones can reach', async () => {
    const page = await wavePage({ PUBLIC_URL: 'https://enquete.opvang.example' });
    expect(page).to.contain('https://enquete.opvang.example/s/');
    expect(page).not.to.contain('loopback-warning');
  });
});
